import { afterEach, describe, expect, it } from '@jest/globals';
import { killLeftovers, launchApp, startApp } from './support/child-app.js';

afterEach(killLeftovers);

describe('signals at awkward moments', () => {
  it('a signal while providers are still being created: the app finishes building, its hooks run, it exits 0', async () => {
    const app = launchApp('slow-boot-app', { env: { SLOW_BOOT_MS: '800' }, hooks: [{ name: 'flush', behaviour: 'ok' }] });
    await app.waitForEvent('slow-boot-start');
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.output).toContain('SIGTERM during bootstrap: the shutdown starts as soon as the application is initialised');
    expect(app.eventsOf('hook-start')[0].t).toBeGreaterThanOrEqual(app.eventsOf('slow-boot-end')[0].t);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['flush']);
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
  });

  it("a signal while a provider's onModuleInit still runs: held until init finished, then the hooks, exit 0", async () => {
    const app = launchApp('slow-boot-app', { env: { SLOW_INIT_MS: '1500' }, hooks: [{ name: 'flush', behaviour: 'ok' }] });
    await app.waitForEvent('slow-init-start');
    await new Promise((resolve) => setTimeout(resolve, 300));
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.output).toContain('SIGTERM during bootstrap: the shutdown starts as soon as the application is initialised');
    expect(app.eventsOf('hook-start')[0].t).toBeGreaterThanOrEqual(app.eventsOf('slow-init-end')[0].t);
    expect(app.eventsOf('nest-destroy')[0].t).toBeGreaterThanOrEqual(app.eventsOf('slow-init-end')[0].t);
  });

  it('a bootstrap that never finishes does not hold the process past the deadline', async () => {
    const app = launchApp('slow-boot-app', { env: { SLOW_BOOT_MS: '600000' }, options: { timeout: 700 } });
    await app.waitForEvent('slow-boot-start');
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(exit.msAfterSignal).toBeGreaterThanOrEqual(650);
    expect(exit.msAfterSignal).toBeLessThan(3_000);
    expect(app.output).toContain('did not finish bootstrapping within the 700 ms shutdown deadline');
  });

  it.each([
    ['SIGTERM', 'SIGTERM', 143],
    ['SIGINT', 'SIGINT', 130],
    ['SIGTERM', 'SIGINT', 130],
    ['SIGINT', 'SIGTERM', 143],
  ] as const)('%s then %s: one sequence, and the second signal forces exit %i', async (first, second, code) => {
    const { app } = await startApp('hooks-app', { hooks: [{ name: 'long', behaviour: 'wait:20000' }] });
    app.kill(first);
    await app.waitForEvent('hook-start');
    app.killAgain(second);
    const exit = await app.exited;
    expect(exit.code).toBe(code);
    expect(app.eventsOf('hook-start')).toHaveLength(1);
    expect(app.output.match(/Shutting down \(/g)).toHaveLength(1);
    // Both named when they differ.
    expect(app.output).toContain(`${second} received ${first === second ? 'again' : `after ${first}`}: exiting now`);
  });
});
