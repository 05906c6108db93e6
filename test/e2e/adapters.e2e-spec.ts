import { afterEach, describe, expect, it } from '@jest/globals';
import { killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

describe('kinds of application', () => {
  it.each([
    ['a pure TCP microservice', 'microservice-app'],
    ['a hybrid HTTP app with a connected TCP microservice', 'hybrid-app'],
    ['a standalone application context', 'context-app'],
  ] as const)('%s: SIGTERM runs the hooks, then Nest lifecycle, and exits 0', async (_kind, fixture) => {
    const { app } = await startApp(fixture, { hooks: [{ name: 'stop', order: -1, behaviour: 'ok' }, { name: 'close', order: 1, behaviour: 'ok' }] });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['stop', 'close']);
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
    // NestMicroservice.close() takes no signal, so its onApplicationShutdown gets none, as under app.close().
    const signal = fixture === 'microservice-app' ? undefined : 'SIGTERM';
    expect(app.eventsOf('nest-app-shutdown')).toHaveLength(1);
    expect(app.eventsOf('nest-app-shutdown')[0].signal).toBe(signal);
    expect(app.output).toMatch(/Nest lifecycle: ok/);
    expect(app.output).not.toMatch(/ERR_SERVER_NOT_RUNNING|Error/);
  });
});
