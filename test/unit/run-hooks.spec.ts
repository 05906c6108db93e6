import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { ShutdownContext } from '../../lib/index.js';
import { Deadline } from '../../lib/run/deadline.js';
import { groupByOrder } from '../../lib/run/group-by-order.js';
import { describeError } from '../../lib/report/describe-error.js';
import { createEntries, runHooks } from '../../lib/run/run-hooks.js';
import type { ShutdownHook } from '../../lib/shutdown-hook.interface.js';

const log: string[] = [];
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function hook(
  name: string,
  order: number,
  body: (ctx: ShutdownContext) => unknown = () => undefined,
  timeout?: number,
  after: string[] = [],
): ShutdownHook {
  return {
    name,
    order,
    timeout,
    after,
    invoke: async (ctx) => {
      log.push(`start ${name}`);
      await body(ctx);
      log.push(`end ${name}`);
    },
  };
}

/** Runs the hooks under fake timers, advancing them until the run is over. */
async function run(hooks: ShutdownHook[], timeoutMs = 10_000, advanceMs = 20_000) {
  const deadline = new Deadline(timeoutMs);
  const entries = createEntries(hooks);
  const done = runHooks(entries, { reason: 'test', deadline });
  await jest.advanceTimersByTimeAsync(advanceMs);
  await done;
  deadline.dispose();
  return { entries, byName: Object.fromEntries(entries.map((e) => [e.hook.name, e])) };
}

beforeEach(() => {
  log.length = 0;
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
});

describe('groupByOrder', () => {
  it('sorts groups ascending, keeps the original order inside a group', () => {
    const items = [{ order: 5, id: 'a' }, { order: -1, id: 'b' }, { order: 5, id: 'c' }, { order: 0, id: 'd' }];
    expect(groupByOrder(items, (item) => item.order).map((group) => group.map((item) => item.id))).toEqual([['b'], ['d'], ['a', 'c']]);
  });
});

describe('runHooks', () => {
  it('runs ascending orders one after the other and equal orders concurrently', async () => {
    await run([
      hook('c', 2, () => sleep(10)),
      hook('a1', 1, () => sleep(100)),
      hook('a2', 1, () => sleep(50)),
      hook('z', -3),
    ]);
    expect(log).toEqual(['start z', 'end z', 'start a1', 'start a2', 'end a2', 'end a1', 'start c', 'end c']);
  });

  it('inside an order, starts a hook once those in its `after` settled, the others at once', async () => {
    await run([
      hook('repository', 5, () => sleep(100)),
      hook('unrelated', 5, () => sleep(30)),
      hook('pool', 5, () => sleep(10), undefined, ['repository']),
    ]);
    expect(log).toEqual(['start repository', 'start unrelated', 'end unrelated', 'end repository', 'start pool', 'end pool']);
  });

  it('a hook waiting on one cut by the deadline stays skipped', async () => {
    const { byName } = await run(
      [hook('stuck', 1, () => new Promise(() => undefined)), hook('waits', 1, () => undefined, undefined, ['stuck'])],
      300,
      400,
    );
    expect(byName.stuck.report.status).toBe('timedOut');
    expect(byName.waits.report.status).toBe('skipped');
  });

  it('records a throw, a rejection and a non-Error value, and goes on', async () => {
    const { byName } = await run([
      { name: 'throws-undefined', order: 0, after: [], invoke: () => { throw undefined; } },
      { name: 'rejects-null', order: 0, after: [], invoke: () => Promise.reject(null) },
      { name: 'sync-throw', order: 1, after: [], invoke: () => { throw new Error('boom'); } },
      { name: 'rejects', order: 2, after: [], invoke: () => Promise.reject(new TypeError('bad')) },
      { name: 'throws-string', order: 3, after: [], invoke: () => { throw 'plain string'; } },
      { name: 'throws-object', order: 3, after: [], invoke: () => Promise.reject({ code: 42 }) },
      hook('after', 4),
    ]);
    expect(byName['sync-throw'].report).toMatchObject({ status: 'failed', error: 'boom' });
    expect(byName['rejects'].report).toMatchObject({ status: 'failed', error: 'bad' });
    expect(byName['throws-string'].report).toMatchObject({ status: 'failed', error: 'plain string' });
    expect(byName['throws-object'].report).toMatchObject({ status: 'failed', error: 'non-Error value thrown: {"code":42}' });
    expect(byName['throws-undefined'].report).toMatchObject({ status: 'failed', error: 'throws-undefined failed with undefined' });
    expect(byName['rejects-null'].report).toMatchObject({ status: 'failed', error: 'rejects-null failed with null' });
    expect(byName['after'].report.status).toBe('ok');
  });

  it('hands each hook its context: reason, deadline and a live signal', async () => {
    let seen: ShutdownContext | undefined;
    const deadlineAt = Date.now() + 10_000;
    await run([hook('h', 0, (ctx) => { seen = ctx; })]);
    expect(seen).toMatchObject({ reason: 'test', deadline: deadlineAt });
    expect(seen!.signal.aborted).toBe(false);
  });

  it('at a hook timeout aborts its signal with a ShutdownTimeoutError, marks it timedOut and goes on', async () => {
    let signal: AbortSignal | undefined;
    const { byName } = await run([
      hook('slow', 1, (ctx) => { signal = ctx.signal; return new Promise(() => undefined); }, 200),
      hook('next', 2),
    ]);
    expect(signal!.aborted).toBe(true);
    expect(signal!.reason).toMatchObject({ name: 'ShutdownTimeoutError', message: 'slow exceeded its timeout of 200 ms' });
    expect(byName.slow.report).toMatchObject({ status: 'timedOut', durationMs: 200, error: 'slow exceeded its timeout of 200 ms' });
    expect(byName.slow.cutAtDeadline).toBeUndefined();
    expect(byName.next.report.status).toBe('ok');
  });

  it('at the global deadline aborts running hooks, skips the rest and returns at once', async () => {
    const signals: AbortSignal[] = [];
    const { byName } = await run(
      [
        hook('done', 1),
        hook('stuck-a', 2, (ctx) => { signals.push(ctx.signal); return new Promise(() => undefined); }),
        hook('stuck-b', 2, (ctx) => { signals.push(ctx.signal); return new Promise(() => undefined); }),
        hook('never', 3),
      ],
      500,
      600,
    );
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
    expect(byName['done'].report.status).toBe('ok');
    expect(byName['stuck-a'].report).toMatchObject({ status: 'timedOut', error: 'the shutdown deadline of 500 ms passed' });
    expect(byName['stuck-a'].cutAtDeadline).toBe(true);
    expect(byName['stuck-b'].cutAtDeadline).toBe(true);
    expect(byName['never'].report).toMatchObject({ status: 'skipped', durationMs: 0 });
    expect(log).not.toContain('start never');
  });

  it('starts nothing once the deadline has passed', async () => {
    const deadline = new Deadline(10);
    await jest.advanceTimersByTimeAsync(20);
    const entries = createEntries([hook('late', 0)]);
    await runHooks(entries, { reason: 'test', deadline });
    expect(entries[0].report.status).toBe('skipped');
    expect(log).toEqual([]);
  });

  it('a hook with a timeout that throws synchronously leaves no timer behind', async () => {
    const deadline = new Deadline(10_000);
    const entries = createEntries([
      {
        name: 'broken',
        order: 0,
        timeout: 30_000,
        after: [],
        invoke: () => {
          throw new Error('broken at once');
        },
      },
    ]);
    await runHooks(entries, { reason: 'test', deadline });
    deadline.dispose();
    expect(entries[0].report).toMatchObject({ status: 'failed', error: 'broken at once' });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('a hook finishing after its timeout keeps the timedOut status', async () => {
    const { byName } = await run([hook('overrun', 0, () => sleep(300), 100)]);
    expect(byName.overrun.report.status).toBe('timedOut');
    expect(log).toContain('end overrun');
  });

  it('calls onStart and onSettled once per hook', async () => {
    const events: string[] = [];
    const deadline = new Deadline(1_000);
    const entries = createEntries([hook('a', 0), hook('b', 1, () => { throw new Error('x'); })]);
    await runHooks(entries, {
      reason: 'r',
      deadline,
      onStart: (entry) => events.push(`start ${entry.hook.name}`),
      onSettled: (entry, error) => events.push(`settled ${entry.hook.name} ${error === undefined ? 'ok' : describeError(error)}`),
    });
    deadline.dispose();
    expect(events).toEqual(['start a', 'settled a ok', 'start b', 'settled b x']);
  });
});

describe('runHooks with many hooks', () => {
  it('runs 500 concurrent hooks of one order without a listener-leak warning', async () => {
    jest.useRealTimers();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const deadline = new Deadline(5_000);
    const entries = createEntries(Array.from({ length: 500 }, (_, i) => hook(`h${i}`, 0, () => sleep(1))));
    await runHooks(entries, { reason: 'many', deadline });
    deadline.dispose();
    await new Promise((resolve) => setImmediate(resolve));
    process.removeListener('warning', onWarning);
    expect(entries.every((entry) => entry.report.status === 'ok')).toBe(true);
    expect(warnings.map((warning) => warning.name)).toEqual([]);
  });
});
