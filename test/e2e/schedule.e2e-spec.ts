import { afterEach, describe, expect, it } from '@jest/globals';
import { killLeftovers, startApp, type AppEvent, type ChildApp } from './support/child-app.js';

afterEach(killLeftovers);

/** The first hook runs right after the trigger (order -100: before any other): its start is the trigger's time in the app's clock. */
const FIRST = { name: 'first', order: -100, behaviour: 'ok' };

function triggerTime(app: ChildApp): number {
  return app.events.find((event) => event.type === 'hook-start' && event.name === 'first')!.t;
}

/** Ticks that had started and not ended at `t`. */
function runningAt(app: ChildApp, t: number): AppEvent[] {
  const ended = new Set(app.eventsOf('tick-end').filter((event) => event.t <= t).map((event) => event.n));
  return app.eventsOf('tick-start').filter((event) => event.t <= t && !ended.has(event.n));
}

/** The numbers of the @nestjs/schedule report line. */
function scheduleLine(app: ChildApp): { stopped: number; inProgress: number; finished: number; unfinished: number } {
  const match = /@nestjs\/schedule: (\d+) scheduled job\(s\) stopped; (\d+) tick\(s\) in progress, (\d+) finished, (\d+) unfinished, \d+ ms/.exec(app.output);
  if (!match) throw new Error(`no @nestjs/schedule line in:\n${app.output}`);
  const [stopped, inProgress, finished, unfinished] = match.slice(1).map(Number);
  return { stopped, inProgress, finished, unfinished };
}

describe('@nestjs/schedule stops at the trigger, in a real process with the real library', () => {
  it('no cron, interval or timeout starts after SIGTERM; the ticks running finish before the hooks of order >= 0', async () => {
    const { app } = await startApp('schedule-app', {
      hooks: [FIRST, { name: 'flush', order: 10, behaviour: 'wait:1600' }],
      env: { INTERVAL_MS: '200', TICK_MS: '300', TIMEOUT_MS: '1500' },
    });
    await app.waitFor(() => app.eventsOf('tick-start').find((event) => event.kind === 'interval'), { what: 'an interval tick' });
    app.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);

    const trigger = triggerTime(app);
    // Through a shutdown of 1.6 s, the interval (200 ms), the cron (1 s) and the timeout (1.5 s) would all have fired.
    expect(app.eventsOf('tick-start').filter((event) => event.t > trigger)).toEqual([]);
    const running = runningAt(app, trigger);
    expect(running.length).toBeGreaterThanOrEqual(1);
    const flushStart = app.events.find((event) => event.type === 'hook-start' && event.name === 'flush')!.t;
    for (const tick of running) {
      const end = app.eventsOf('tick-end').find((event) => event.n === tick.n);
      expect(end).toBeDefined();
      expect(end!.t).toBeLessThanOrEqual(flushStart);
    }
    expect(scheduleLine(app)).toEqual({ stopped: 3, inProgress: running.length, finished: running.length, unfinished: 0 });
  });

  it('with integrations.schedule false, ticks go on firing during the shutdown (Nest stops them only in its teardown)', async () => {
    const { app } = await startApp('schedule-app', {
      options: { integrations: { schedule: false } },
      hooks: [FIRST, { name: 'flush', order: 10, behaviour: 'wait:1000' }],
      env: { INTERVAL_MS: '100', TICK_MS: '20' },
    });
    await app.waitForEvent('tick-start');
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    expect(app.eventsOf('tick-start').filter((event) => event.t > triggerTime(app)).length).toBeGreaterThanOrEqual(3);
    expect(app.output).not.toContain('@nestjs/schedule:');
  });

  it('an interval added to the SchedulerRegistry during the shutdown is stopped at once, and said', async () => {
    const { app } = await startApp('schedule-app', { hooks: [FIRST, { name: 'flush', order: 10, behaviour: 'wait:300' }], env: { ADD_LATE: '1' } });
    app.kill('SIGTERM');
    expect((await app.exited).code).toBe(0);
    expect(app.eventsOf('tick-start').filter((event) => event.kind === 'late')).toEqual([]);
    expect(app.output).toContain('@nestjs/schedule: interval "late" added during the shutdown was stopped at once');
  });

  it('a tick longer than the drain window is reported unfinished, and the hooks of order >= 0 do not wait for it', async () => {
    const { app } = await startApp('schedule-app', {
      options: { drainTimeout: 400 },
      hooks: [FIRST, { name: 'flush', order: 10, behaviour: 'ok' }],
      env: { INTERVAL_MS: '100', TICK_MS: '5000' },
    });
    await app.waitForEvent('tick-start');
    app.kill('SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    const flushStart = app.events.find((event) => event.type === 'hook-start' && event.name === 'flush')!.t;
    expect(flushStart - triggerTime(app)).toBeGreaterThanOrEqual(350);
    expect(flushStart - triggerTime(app)).toBeLessThan(1_500);
    const line = scheduleLine(app);
    expect(line.inProgress).toBeGreaterThanOrEqual(1);
    expect(line.unfinished).toBe(line.inProgress);
    expect(app.output).toMatch(/WARN \[Shutdown\] +@nestjs\/schedule: /);
  });
});
