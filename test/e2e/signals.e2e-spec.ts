import { afterEach, describe, expect, it } from '@jest/globals';
import { killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

describe('a real signal runs the sequence in a real process', () => {
  it('runs hooks by ascending order, equal orders together, then Nest lifecycle, and exits 0', async () => {
    const { app } = await startApp('hooks-app', {
      hooks: [
        { name: 'late', order: 100, behaviour: 'ok' },
        { name: 'early-a', order: 10, behaviour: 'wait:150' },
        { name: 'early-b', order: 10, behaviour: 'wait:150' },
        { name: 'negative', order: -1, behaviour: 'ok' },
      ],
    });
    app.kill('SIGTERM');
    const exit = await app.exited;

    expect(exit.code).toBe(0);
    const starts = app.eventsOf('hook-start').map((event) => event.name);
    expect(starts[0]).toBe('negative');
    expect(new Set(starts.slice(1, 3))).toEqual(new Set(['early-a', 'early-b']));
    expect(starts[3]).toBe('late');
    const at = (type: string, name?: string) => app.events.find((e) => e.type === type && (!name || e.name === name))!.t;
    // Equal orders overlap: the second starts before the first ends.
    expect(at('hook-start', 'early-b')).toBeLessThan(at('hook-end', 'early-a'));
    // The next order waits for both.
    expect(at('hook-start', 'late')).toBeGreaterThanOrEqual(Math.max(at('hook-end', 'early-a'), at('hook-end', 'early-b')));
    // Nest's own lifecycle runs after every hook, with the signal.
    expect(at('nest-destroy')).toBeGreaterThanOrEqual(at('hook-end', 'late'));
    expect(app.eventsOf('nest-app-shutdown')[0].signal).toBe('SIGTERM');
    expect(app.eventsOf('hook-start')[0].reason).toBe('SIGTERM');
    expect(app.eventsOf('exit')).toEqual([expect.objectContaining({ code: 0 })]);
    expect(app.output).toMatch(/Shutdown \(SIGTERM\) completed in \d+ ms/);
    expect(app.output).toMatch(/\[order 10\] early-a\s+ok/);
  });

  it('handles SIGINT the same way', async () => {
    const { app } = await startApp('hooks-app', { hooks: [{ name: 'only', behaviour: 'ok' }] });
    app.kill('SIGINT');
    expect((await app.exited).code).toBe(0);
    expect(app.eventsOf('hook-start')[0].reason).toBe('SIGINT');
  });

  it('goes on past a throwing and a rejecting hook, reports them, and exits 1', async () => {
    const { app } = await startApp('hooks-app', {
      hooks: [
        { name: 'throws', order: 1, behaviour: 'throw' },
        { name: 'rejects', order: 2, behaviour: 'reject' },
        { name: 'after', order: 3, behaviour: 'ok' },
      ],
    });
    app.kill();
    expect((await app.exited).code).toBe(1);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['throws', 'rejects', 'after']);
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
    expect(app.output).toMatch(/\[order 1\] throws\s+failed .*\(throws broke\)/);
    expect(app.output).toMatch(/\[order 2\] rejects\s+failed .*\(rejects rejected\)/);
    expect(app.output).toMatch(/Shutdown \(SIGTERM\) failed/);
  });

  it('aborts a hook at its own timeout, marks it timedOut, goes on, and exits 1', async () => {
    const { app } = await startApp('hooks-app', {
      hooks: [
        { name: 'slow', order: 1, timeout: 200, behaviour: 'abortable:5000' },
        { name: 'next', order: 2, behaviour: 'ok' },
      ],
    });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(exit.msAfterSignal).toBeLessThan(3_000);
    expect(app.eventsOf('hook-aborted')[0]).toMatchObject({ name: 'slow', reason: 'slow exceeded its timeout of 200 ms' });
    expect(app.eventsOf('hook-start').map((e) => e.name)).toEqual(['slow', 'next']);
    expect(app.output).toMatch(/\[order 1\] slow\s+timedOut/);
  });

  it.each([
    ['holds a live handle', 'hang-with-handle'],
    ['awaits a promise nothing will settle (no handle: must not exit 0)', 'hang'],
  ])('at the global deadline exits 1 when a hook %s, naming it and skipping the rest', async (_case, behaviour) => {
    const { app } = await startApp('hooks-app', {
      options: { timeout: 800 },
      hooks: [{ name: 'stuck', order: 1, behaviour }, { name: 'never', order: 2, behaviour: 'ok' }],
    });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(exit.msAfterSignal).toBeGreaterThanOrEqual(750);
    expect(exit.msAfterSignal).toBeLessThan(3_000);
    expect(app.eventsOf('hook-start').map((e) => e.name)).toEqual(['stuck']);
    expect(app.output).toMatch(/hit its deadline \(still running: stuck\)/);
    expect(app.output).toMatch(/\[order 2\] never\s+skipped/);
  });

  it('exits at once on a second signal, naming the hooks still running', async () => {
    const { app } = await startApp('hooks-app', { hooks: [{ name: 'long', order: 1, behaviour: 'wait:20000' }] });
    app.kill('SIGINT');
    await app.waitForEvent('hook-start');
    app.killAgain('SIGINT');
    const exit = await app.exited;
    expect(exit.code).toBe(130);
    expect(exit.msAfterSignal).toBeLessThan(3_000);
    expect(app.output).toMatch(/SIGINT received again: exiting now.*still running: long/);
    expect(app.eventsOf('exit')).toEqual([expect.objectContaining({ code: 130 })]);
  });

  it("leaves a listener the user registered alone: it runs exactly once and the 'exit' event fires", async () => {
    const { app } = await startApp('user-listener-app', { hooks: [{ name: 'h', behaviour: 'wait:100' }] });
    app.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.eventsOf('user-listener')).toHaveLength(1);
    expect(app.eventsOf('hook-end')).toHaveLength(1);
    expect(app.eventsOf('exit')).toHaveLength(1);
  });

  it('runs a standalone application context (no HTTP server) the same way', async () => {
    const { app } = await startApp('context-app', { hooks: [{ name: 'worker-stop', behaviour: 'ok' }] });
    app.kill();
    expect((await app.exited).code).toBe(0);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['worker-stop']);
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
    expect(app.output).not.toMatch(/Drain:/);
  });
});
