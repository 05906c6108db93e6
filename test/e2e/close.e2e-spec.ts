import { afterEach, describe, expect, it } from '@jest/globals';
import { killLeftovers, launchApp, startApp } from './support/child-app.js';

afterEach(killLeftovers);

describe('app.close() and startup errors in a real process', () => {
  it('app.close() in code runs the hooks exactly once, then Nest lifecycle, and leaves no handle behind', async () => {
    const { app } = await startApp('close-in-code-app', { hooks: [{ name: 'flush', behaviour: 'wait:50' }] });
    const exit = await app.exited;
    // Nobody called process.exit: the process ended because nothing was left to keep it alive.
    expect(exit.code).toBe(0);
    expect(app.eventsOf('closed')).toHaveLength(1);
    expect(app.eventsOf('hook-start')).toHaveLength(1);
    expect(app.eventsOf('hook-start')[0].reason).toBe('close');
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
    expect(app.output).not.toMatch(/Exiting with code/);
  });

  it('with exit: false a signal runs the sequence and the process ends by itself', async () => {
    const { app } = await startApp('hooks-app', { options: { exit: false }, hooks: [{ name: 'h', behaviour: 'ok' }] });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.eventsOf('hook-end')).toHaveLength(1);
    expect(app.output).not.toMatch(/Exiting with code/);
  });

  it('with exit: false a second signal is logged and ignored: the sequence runs to its end', async () => {
    const { app } = await startApp('hooks-app', { options: { exit: false }, hooks: [{ name: 'slow', behaviour: 'wait:600' }] });
    app.kill();
    await app.waitForEvent('hook-start');
    app.killAgain('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.output).toContain('SIGTERM received again while shutting down; ignored because the "exit" option is false');
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['slow']);
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
  });

  it.each([
    ['SIGKILL', /"SIGKILL" can never be caught/],
    ['SIGFOO', /"SIGFOO" is not a signal this platform knows/],
  ])('refuses %s in "signals" at startup, naming it', async (signal, message) => {
    const app = launchApp('hooks-app', { options: { signals: [signal as NodeJS.Signals] } });
    const exit = await app.exited;
    // Nest's abortOnError (the default) ends the process with 1 after logging the bootstrap error.
    expect(exit.code).toBe(1);
    expect(app.output).toMatch(message);
    expect(app.output).toMatch(/ShutdownModule: option "signals"/);
    expect(app.eventsOf('ready')).toHaveLength(0);
  });
});
