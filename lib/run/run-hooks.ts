import type { HookReport } from '../interfaces/shutdown-report.interface.js';
import type { ShutdownContext } from '../interfaces/shutdown-context.interface.js';
import { messages } from '../messages.js';
import { describeError } from '../report/describe-error.js';
import type { ShutdownHook } from '../shutdown-hook.interface.js';
import type { Deadline } from './deadline.js';
import { groupByOrder } from './group-by-order.js';
import { inHookFrame, type FramedHook } from './hook-frame.js';
import { ShutdownTimeoutError } from './shutdown-timeout.error.js';

/** One hook of a run and its report, which starts as `skipped` and is filled in as the hook settles. */
export interface HookEntry {
  /** Position in the run's list of hooks. */
  readonly index: number;
  readonly hook: ShutdownHook;
  readonly report: HookReport;
  /** From the hook's start until it settles (or its timeout or the deadline cut it). */
  running?: boolean;
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
  const { deadline } = options;
  // One deadline listener for the whole call, not one per hook: it cuts whatever runs then.
  const running = new Set<HookRun>();
  const stopListening = deadline.whenPassed(() => running.forEach((run) => run.cutAtDeadline()));
  try {
    for (const group of groupByOrder(entries, (entry) => entry.hook.order)) {
      if (deadline.expired) return;
      const ends: Array<Promise<void>> = [];
      // Hooks are found by name only in an order where one of them waits for others.
      const endsByName = group.some((entry) => entry.hook.after.length > 0) ? new Map<string, Promise<void>>() : undefined;
      for (const entry of group) {
        const { after } = entry.hook;
        const waits = after.length === 0 ? undefined : after.flatMap((name) => endsByName?.get(name) ?? []);
        const end = waits?.length ? Promise.all(waits).then(() => startHook(entry, options, running)) : startHook(entry, options, running);
        ends.push(end);
        endsByName?.set(entry.hook.name, end);
      }
      await Promise.race([Promise.all(ends), deadline.reached]);
    }
  } finally {
    stopListening();
  }
}

const STARTED_NOTHING = Promise.resolve();

/** Starts one hook; resolves when it settled or was cut by its own timeout (not by the deadline: runHooks returns then). */
function startHook(entry: HookEntry, options: RunHooksOptions, running: Set<HookRun>): Promise<void> {
  if (options.deadline.expired) return STARTED_NOTHING;
  const run = new HookRun(entry, options, running);
  options.onStart?.(entry);
  const { timeout } = entry.hook;
  // The timer first: a hook that fails synchronously clears it as it settles.
  const timedOut = timeout === undefined ? undefined : run.timeoutAfter(timeout);
  const finished = inHookFrame(run);
  return timedOut ? Promise.race([finished, timedOut]) : finished;
}

/** The state of one running hook: one object and one promise per hook, the largest cost of a run of thousands. */
class HookRun implements FramedHook {
  readonly context: ShutdownContext;
  private readonly startedAt = performance.now();
  private settled = false;
  private timer: NodeJS.Timeout | undefined;
  // Created only if the hook reads ctx.signal: most hooks never do.
  private controller: AbortController | undefined;
  private cutReason: unknown;

  constructor(
    readonly entry: HookEntry,
    private readonly options: RunHooksOptions,
    private readonly running: Set<HookRun>,
  ) {
    running.add(this);
    entry.running = true;
    this.context = new HookContext(options.reason, options.deadline.at, this);
  }

  signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.cutReason !== undefined && !this.controller.signal.aborted) this.controller.abort(this.cutReason);
    return this.controller.signal;
  }

  /** Resolves once the hook's own timeout passed, having cut it; never if it settles first. */
  timeoutAfter(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timer = setTimeout(() => {
        const error = new ShutdownTimeoutError(`${this.entry.hook.name} exceeded its timeout of ${ms} ms`);
        this.cut(error);
        this.settle('timedOut', error);
        resolve();
      }, ms);
    });
  }

  succeeded(): void {
    this.settle('ok');
  }

  failed(error: unknown): void {
    this.settle('failed', error ?? new Error(messages.hookThrewNothing(this.entry.hook.name, error)));
  }

  cutAtDeadline(): void {
    const reason: unknown = this.options.deadline.reason;
    this.entry.cutAtDeadline = true;
    this.cut(reason);
    this.settle('timedOut', reason);
  }

  /** The first outcome stands: a hook that ends after its timeout or the deadline stays timedOut. */
  settle(status: HookReport['status'], error?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.running.delete(this);
    this.entry.running = false;
    const { report } = this.entry;
    report.status = status;
    report.durationMs = Math.round(performance.now() - this.startedAt);
    if (error !== undefined) report.error = describeError(error);
    this.options.onSettled?.(this.entry, error);
  }

  private cut(why: unknown): void {
    this.cutReason = why;
    this.controller?.abort(why);
  }
}

/** What a hook receives; its signal is made on first read. */
class HookContext implements ShutdownContext {
  readonly #run: HookRun;

  constructor(
    readonly reason: string,
    readonly deadline: number,
    run: HookRun,
  ) {
    this.#run = run;
  }

  get signal(): AbortSignal {
    return this.#run.signal();
  }
}
