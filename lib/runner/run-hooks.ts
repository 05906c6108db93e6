import type { HookReport } from '../interfaces/shutdown-report.interface.js';
import type { ShutdownContext } from '../interfaces/shutdown-context.interface.js';
import type { ShutdownHook } from '../shutdown-hook.interface.js';
import type { Deadline } from './deadline.js';
import { groupByOrder } from './group-by-order.js';
import { ShutdownTimeoutError } from './shutdown-timeout.error.js';

/** One hook of a run and its report, which starts as `skipped` and is filled in as the hook settles. */
export interface HookEntry {
  /** Position in the run's list of hooks. */
  readonly index: number;
  readonly hook: ShutdownHook;
  readonly report: HookReport;
  /** Set when the global deadline cut the hook while it ran. */
  cutAtDeadline?: boolean;
}

export interface RunHooksOptions {
  reason: string;
  deadline: Deadline;
  onStart?(entry: HookEntry): void;
  onSettled?(entry: HookEntry, error: unknown): void;
}

export function createEntries(hooks: readonly ShutdownHook[]): HookEntry[] {
  return hooks.map((hook, index) => ({ index, hook, report: { name: hook.name, order: hook.order, status: 'skipped', durationMs: 0 } }));
}

/**
 * Runs the entries' hooks by ascending order, equal orders concurrently, the next order once all
 * of the previous one settled. Inside an order a hook starts once the hooks named in its `after`
 * settled (they come first in the list). A failure or a per-hook timeout is recorded and the run
 * goes on; the global deadline aborts what runs, leaves the rest `skipped` and returns at once.
 */
export async function runHooks(entries: readonly HookEntry[], options: RunHooksOptions): Promise<void> {
  // One deadline listener for the whole call, not one per hook: it cuts whatever runs then.
  const running = new Set<() => void>();
  const cutAll = (): void => running.forEach((cut) => cut());
  options.deadline.signal.addEventListener('abort', cutAll, { once: true });
  try {
    for (const group of groupByOrder(entries.map((entry) => ({ order: entry.hook.order, entry })))) {
      if (options.deadline.expired) return;
      const settled = new Map<string, Promise<void>>();
      for (const { entry } of group) {
        const waits = entry.hook.after.flatMap((name) => settled.get(name) ?? []);
        const start = () => runOne(entry, options, running);
        settled.set(entry.hook.name, waits.length === 0 ? start() : Promise.all(waits).then(start));
      }
      await Promise.race([Promise.all(settled.values()), options.deadline.reached]);
    }
  } finally {
    options.deadline.signal.removeEventListener('abort', cutAll);
  }
}

function runOne(entry: HookEntry, { reason, deadline, onStart, onSettled }: RunHooksOptions, running: Set<() => void>): Promise<void> {
  const { hook, report } = entry;
  if (deadline.expired) return Promise.resolve();
  // Created only if the hook reads ctx.signal: most hooks never do, and a controller per hook is
  // the largest cost of a run with thousands of hooks.
  let controller: AbortController | undefined;
  let cutReason: unknown;
  const signalOf = (): AbortSignal => {
    controller ??= new AbortController();
    if (cutReason !== undefined && !controller.signal.aborted) controller.abort(cutReason);
    return controller.signal;
  };
  const cut = (why: unknown): void => {
    cutReason = why;
    controller?.abort(why);
  };
  const startedAt = performance.now();
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (status: HookReport['status'], error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      running.delete(onDeadline);
      report.status = status;
      report.durationMs = Math.round(performance.now() - startedAt);
      if (error !== undefined) report.error = messageOf(error);
      onSettled?.(entry, error);
      resolve();
    };
    const onDeadline = (): void => {
      entry.cutAtDeadline = true;
      cut(deadline.signal.reason);
      settle('timedOut', deadline.signal.reason);
    };
    running.add(onDeadline);
    if (hook.timeout !== undefined) {
      timer = setTimeout(() => {
        const error = new ShutdownTimeoutError(`${hook.name} exceeded its timeout of ${hook.timeout} ms`);
        cut(error);
        settle('timedOut', error);
      }, hook.timeout);
    }
    onStart?.(entry);
    const context: ShutdownContext = {
      reason,
      deadline: deadline.at,
      get signal() {
        return signalOf();
      },
    };
    runShutdownHook(hook, context).then(
      () => settle('ok'),
      (error: unknown) => settle('failed', error ?? new Error(`${hook.name} failed with ${String(error)}`)),
    );
  });
}

/**
 * Every hook runs inside this async function: its name in a stack trace (V8 keeps awaiting async
 * frames) tells the process.exit() guard that the call comes from a hook, without the cost of
 * AsyncLocalStorage.
 */
async function runShutdownHook(hook: ShutdownHook, context: ShutdownContext): Promise<void> {
  await hook.invoke(context);
}

/** A readable message for anything a hook may throw, Error or not. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return `non-Error value thrown: ${JSON.stringify(error)}`;
  } catch {
    return `non-Error value thrown: ${String(error)}`;
  }
}
