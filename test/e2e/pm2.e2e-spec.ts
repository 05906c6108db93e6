import { afterEach, describe, expect, it } from '@jest/globals';
import { killLeftovers, launchApp, startApp, type AppSetup } from './support/child-app.js';
import { sleep } from '../fixtures/support/events.js';

afterEach(killLeftovers);

/** As PM2 starts an app: an IPC channel to the parent, and `pm_id` in its environment. */
const UNDER_PM2 = { ipc: true } as const;
const pm2Env = (setup: AppSetup = {}): AppSetup => ({ ...setup, env: { pm_id: '3', ...setup.env } });

describe("a process manager's shutdown message (PM2's shutdown_with_message) in a real process", () => {
  it("under PM2, 'shutdown' over IPC runs the sequence like a signal and exits 0", async () => {
    const { app } = await startApp('hooks-app', pm2Env({ hooks: [{ name: 'flush', order: 10, behaviour: 'wait:100' }] }), UNDER_PM2);
    app.send('shutdown');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.eventsOf('hook-start')).toEqual([expect.objectContaining({ name: 'flush', reason: 'message:shutdown' })]);
    expect(app.eventsOf('hook-end')).toHaveLength(1);
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
    expect(app.output).toMatch(/Shutdown \(message:shutdown\) completed in \d+ ms/);
    expect(app.output).toContain('Exiting with code 0');
  });

  it('ignores other messages, and the same message when PM2 did not start the process', async () => {
    const { app } = await startApp('hooks-app', { hooks: [{ name: 'flush', behaviour: 'ok' }] }, UNDER_PM2);
    app.send('shutdown');
    app.send({ type: 'shutdown' });
    await sleep(300);
    expect(app.running).toBe(true);
    expect(app.eventsOf('hook-start')).toHaveLength(0);
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    expect(app.eventsOf('hook-start')[0].reason).toBe('SIGTERM');
  });

  it('listens to the message named by shutdownMessage, and to none with false', async () => {
    const named = await startApp('hooks-app', { options: { shutdownMessage: 'stop-now' }, hooks: [{ name: 'h', behaviour: 'ok' }] }, UNDER_PM2);
    named.app.send('shutdown');
    named.app.send('stop-now');
    expect((await named.app.exited).code).toBe(0);
    expect(named.app.eventsOf('hook-start')).toEqual([expect.objectContaining({ reason: 'message:stop-now' })]);

    const off = await startApp('hooks-app', pm2Env({ options: { shutdownMessage: false } }), UNDER_PM2);
    off.app.send('shutdown');
    await sleep(300);
    expect(off.app.running).toBe(true);
    off.app.kill('SIGTERM');
    expect((await off.app.exited).code).toBe(0);
  });

  it('a repeated message changes nothing; a signal after it joins the run, and a second signal exits at once', async () => {
    const { app } = await startApp('hooks-app', pm2Env({ hooks: [{ name: 'slow', behaviour: 'wait:700' }] }), UNDER_PM2);
    app.send('shutdown');
    await app.waitForEvent('hook-start');
    app.send('shutdown');
    app.killAgain('SIGINT');
    await sleep(100);
    expect(app.running).toBe(true);
    app.killAgain('SIGINT');
    const exit = await app.exited;
    expect(exit.code).toBe(130);
    expect(app.output).toContain('message:shutdown received again while shutting down: ignored (one sequence runs)');
    expect(app.output).toMatch(/SIGINT received again: exiting now, before the sequence ended; still running: slow/);
    expect(app.output.match(/Shutting down \(/g)).toHaveLength(1);
  });

  it('a message during bootstrap is held until the application is built', async () => {
    const app = launchApp('slow-boot-app', pm2Env({ env: { SLOW_BOOT_MS: '800' }, hooks: [{ name: 'flush', behaviour: 'ok' }] }), UNDER_PM2);
    await app.waitForEvent('slow-boot-start');
    app.send('shutdown');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.output).toContain('message:shutdown during bootstrap: the shutdown starts as soon as the application is initialised');
    expect(app.eventsOf('hook-start')[0].t).toBeGreaterThanOrEqual(app.eventsOf('slow-boot-end')[0].t);
  });

  it('with exit: false the process ends by itself after the run: the IPC listener no longer holds it', async () => {
    const { app } = await startApp('hooks-app', pm2Env({ options: { exit: false }, hooks: [{ name: 'h', behaviour: 'ok' }] }), UNDER_PM2);
    app.send('shutdown');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.eventsOf('hook-end')).toHaveLength(1);
    expect(app.output).not.toMatch(/Exiting with code/);
  });
});
