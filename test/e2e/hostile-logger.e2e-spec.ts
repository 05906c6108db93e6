import { afterEach, describe, expect, it } from '@jest/globals';
import { ChildApp, killLeftovers } from './support/child-app.js';

afterEach(killLeftovers);

async function start(env: Record<string, string>): Promise<ChildApp> {
  const app = new ChildApp('test/fixtures/throwing-logger-app.js', env);
  await app.waitForEvent('ready');
  return app;
}

/** The logger is the user's code: whatever it does, the same hooks run and the exit code is the same. */
describe('a logger that throws', () => {
  it.each(['option', 'app'])('given as %s: every hook and onModuleDestroy run, exit 0, lines on stderr', async (LOGGER) => {
    const app = await start({ LOGGER });
    app.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.eventsOf('hook').map((e) => e.name)).toEqual(['first', 'second']);
    expect(app.eventsOf('destroyed')).toHaveLength(1);
    expect(app.output.match(/the logger threw/g)).toHaveLength(1);
    expect(app.output).toContain('LOG Exiting with code 0');
  });

  it('with handleFatalErrors: an uncaught exception still runs every hook and exits 1, not at the watchdog', async () => {
    const app = await start({ LOGGER: 'option', FATAL: '1' });
    const exit = await app.exited;
    expect(exit).toEqual(expect.objectContaining({ code: 1, signal: null }));
    expect(app.eventsOf('hook').map((e) => e.name)).toEqual(['first', 'second']);
    expect(app.output).toContain('ERROR uncaughtException: something escaped; shutting down');
  });

  it('when only error() throws: a failing hook does not end the sequence', async () => {
    const app = await start({ LOGGER: 'option', THROWS: 'error' });
    app.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.eventsOf('hook').map((e) => e.name)).toEqual(['first', 'second']);
    expect(app.eventsOf('destroyed')).toHaveLength(1);
  });
});
