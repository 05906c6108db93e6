import type { Drain } from '../drain/drain.interface.js';
import type { WorkSource } from '../integrations/work-source.interface.js';
import type { ShutdownEventEmitter } from '../events/shutdown-event-emitter.js';
import type { ResolvedShutdownOptions } from '../interfaces/shutdown-options.interface.js';
import type { DrainReport, LifecycleReport, ShutdownReport } from '../interfaces/shutdown-report.interface.js';
import type { ShutdownLogger } from '../logging/shutdown-logger.js';
import { describeRunning, messages, NAMED_RUNNING_HOOKS, PHASE_NAMES } from '../messages.js';
import { guardProcessExit } from '../process/exit-guard.js';
import { Watchdog, watchdogUnavailable } from '../process/watchdog.js';
import { describeError } from '../report/describe-error.js';
import { formatReport } from '../report/format-report.js';
import { reportRecord } from '../report/report-record.js';
import type { ShutdownHook } from '../shutdown-hook.interface.js';
import { Deadline } from './deadline.js';
import { createEntries, runHooks, type HookEntry, type RunHooksOptions } from './run-hooks.js';
import { StopWork } from './stop-work.js';
import type { ShutdownTrigger } from './shutdown-trigger.js';

type RunPhase = 'delay' | 'hooks' | 'drain' | 'work' | 'lifecycle' | 'done';

export interface ShutdownRunDependencies {
  hooks: readonly ShutdownHook[];
  options: ResolvedShutdownOptions;
  logger: ShutdownLogger;
  /** Present when the application has a server to drain. */
  drain?: Drain;
  /** Nest's own teardown: the application's original `close()`. */
  nestLifecycle(signal?: string): Promise<void>;
  events: ShutdownEventEmitter;
  /** Libraries whose work (scheduled jobs, queue workers) stops at the first moment of the run. */
  work: readonly WorkSource[];
}

/** What a run hands back: its report, and what it saw that the exit code and `app.close()` need. */
export interface RunResult {
  report: ShutdownReport;
  /** Codes passed to `process.exit()` while the run went on, by hooks or anyone else. */
  requestedExitCodes: number[];
  /** `process.exit()` was called by code other than a hook: the caller wants the process to end. */
  exitCalledOutsideHooks: boolean;
  /** What Nest's lifecycle threw, for `app.close()` to rethrow as Nest would. */
  lifecycleError?: unknown;
}

/**
 * One shutdown, from trigger to report: pre-stop delay and negative-order hooks, the drain, the
 * other hooks, Nest's lifecycle, all under one deadline armed at the start. Never rejects.
 */
export class ShutdownRun {
  private phase: RunPhase = 'hooks';
  private readonly entries: readonly HookEntry[];
  private readonly requestedExitCodes: number[] = [];
  private exitCalledOutsideHooks = false;
  private readonly deadline: Deadline;
  /** Epoch ms of the trigger, and the same moment on the monotonic clock. */
  private readonly startedAt: number;
  private readonly started: number;
  private watchdog?: Watchdog;
  private watchdogFailed = false;
  /** The pre-stop delay this run waited, which widens the window given to work in progress. */
  private delayedMs = 0;
  readonly result: Promise<RunResult>;

  /** `endsProcess`: the process exits after this run, so a blocked event loop must not outlive the deadline. */
  constructor(
    private readonly trigger: ShutdownTrigger,
    private readonly dependencies: ShutdownRunDependencies,
    endsProcess: boolean,
  ) {
    this.entries = createEntries(dependencies.hooks);
    // The trigger's time first: the deadline is counted from it, never from a moment before.
    this.startedAt = Date.now();
    this.started = performance.now();
    this.deadline = new Deadline(dependencies.options.timeout);
    // Before any hook starts: the first one may block the event loop at once.
    if (endsProcess) this.endsProcess();
    this.result = this.execute();
  }

  /**
   * The process is to exit after this run (a signal during a run that `app.close()` started, say):
   * a worker thread then makes sure it ends even if synchronous code blocks the event loop past the
   * deadline. Idempotent.
   */
  endsProcess(): void {
    if (!this.dependencies.options.watchdog || this.watchdog || this.watchdogFailed || this.phase === 'done') return;
    // Said at startup already: the run goes on with the timers' deadline only.
    if (watchdogUnavailable()) return;
    let watchdog: Watchdog;
    try {
      watchdog = new Watchdog(this.deadline.at, this.deadline.timeoutMs, this.entries.map((entry) => entry.hook));
    } catch (error) {
      this.watchdogFailed = true;
      this.dependencies.logger.warn(messages.noWatchdogThread(error));
      return;
    }
    // Armed late: tell it what already ran and what runs.
    for (const entry of this.entries) {
      if (entry.running) watchdog.hookStarted(entry.index);
      else if (entry.report.status !== 'skipped') watchdog.hookSettled(entry.index, entry.report.status);
    }
    watchdog.setPhase(this.phase);
    this.watchdog = watchdog;
  }

  /** What is running now, for the line a second signal writes. */
  describeRunning(): string {
    const running = this.entries.filter((entry) => entry.running).map((entry) => entry.hook.name);
    return describeRunning(this.phase, running.reverse(), PHASE_NAMES, NAMED_RUNNING_HOOKS);
  }

  private async execute(): Promise<RunResult> {
    const { options, logger, events } = this.dependencies;
    const { entries, deadline, startedAt, started } = this;
    // First of all, before the delay and any hook: no scheduled tick or queue job starts from now on.
    const work = this.dependencies.work.length > 0 ? new StopWork(this.dependencies.work, logger) : undefined;
    const lifecycle: LifecycleReport = { status: 'skipped', durationMs: 0 };
    let drain: DrainReport | undefined;
    let lifecycleStarted = 0;
    let lifecycleError: unknown;
    logger.log(messages.shuttingDown(this.trigger.reason, entries.length, options.timeout));
    events.emit({ type: 'shutdown.started', reason: this.trigger.reason, deadline: deadline.at });
    const liftExitGuard = guardProcessExit((code, fromHook) => {
      this.requestedExitCodes.push(code);
      // From a hook, the hook fails with an error saying so.
      if (fromHook) return;
      this.exitCalledOutsideHooks = true;
      logger.warn(messages.exitDeferred(code));
    });

    const runOptions: RunHooksOptions = {
      reason: this.trigger.reason,
      deadline,
      onStart: (entry) => {
        this.watchdog?.hookStarted(entry.index);
        if (events.hasListeners) events.emit({ type: 'hook.started', name: entry.hook.name, order: entry.hook.order });
      },
      onSettled: (entry, error) => {
        const { status } = entry.report;
        if (status !== 'skipped') this.watchdog?.hookSettled(entry.index, status);
        if (events.hasListeners) events.emit({ type: 'hook.finished', hook: { ...entry.report } });
        if (entry.report.status === 'failed') logger.error(messages.hookFailed(entry.hook.name, error), error);
      },
    };
    const sequence = async (): Promise<void> => {
      // The server keeps serving during the delay, so that load balancers see readiness fail first.
      await Promise.all([this.preStopDelay(), runHooks(entries.filter((e) => e.hook.order < 0), runOptions)]);
      if (this.dependencies.drain && !deadline.expired) {
        this.enter('drain');
        const limit = Math.min(options.drainTimeout, deadline.remainingMs());
        drain = await this.dependencies.drain.drain(limit, (inFlight) => logger.log(messages.drainStarted(limit, inFlight)));
        if (drain) events.emit({ type: 'drain.finished', drain: { ...drain } });
      }
      // Work in progress gets the drain's window (from the trigger: the pre-stop delay, then drainTimeout),
      // and ends before the hooks that close what it may use.
      if (work?.pending && !deadline.expired) {
        this.enter('work');
        const windowLeft = this.delayedMs + options.drainTimeout - (performance.now() - started);
        await work.wait(Math.max(0, Math.min(windowLeft, deadline.remainingMs())));
      }
      this.enter('hooks');
      await runHooks(entries.filter((e) => e.hook.order >= 0), runOptions);
      if (deadline.expired) return;
      this.enter('lifecycle');
      lifecycleStarted = performance.now();
      lifecycleError = await this.runNestLifecycle(lifecycle);
    };
    const finished = await Promise.race([
      sequence().then(
        () => true,
        (error: unknown) => {
          logger.error(messages.sequenceBroke(error), error);
          return true;
        },
      ),
      deadline.reached.then(() => false),
    ]);
    deadline.dispose();
    this.watchdog?.stop();
    liftExitGuard();
    const cutPhase = finished ? undefined : this.phase;
    if (cutPhase === 'lifecycle') {
      lifecycle.status = 'timedOut';
      lifecycle.durationMs = Math.round(performance.now() - lifecycleStarted);
    }
    this.phase = 'done';

    const hookReports = entries.map((entry) => ({ ...entry.report }));
    const failed = hookReports.some((hook) => hook.status !== 'ok') || lifecycle.status !== 'ok';
    const report: ShutdownReport = {
      reason: this.trigger.reason,
      outcome: !finished ? 'timedOut' : failed ? 'failed' : 'completed',
      startedAt,
      durationMs: Math.round(performance.now() - started),
      hooks: hookReports,
      ...(work ? { integrations: work.report() } : {}),
      ...(drain ? { drain: { ...drain } } : {}),
      lifecycle: { ...lifecycle },
      runningAtDeadline: [
        ...entries.filter((entry) => entry.cutAtDeadline).map((entry) => entry.hook.name),
        ...(cutPhase === 'drain' || cutPhase === 'lifecycle' || cutPhase === 'work' ? [PHASE_NAMES[cutPhase]] : []),
      ],
    };
    const lines = formatReport(report);
    for (const line of lines) logger[line.level](line.text);
    if (options.structuredReport) {
      const { level, record } = reportRecord(report, lines[0]);
      logger.record(level, record);
    }
    events.emit({ type: 'shutdown.finished', report });
    return { report, requestedExitCodes: [...this.requestedExitCodes], exitCalledOutsideHooks: this.exitCalledOutsideHooks, lifecycleError };
  }

  /** Moves to the next phase; what goes on in the background after the deadline can't undo 'done'. */
  private enter(phase: Exclude<RunPhase, 'done'>): void {
    if (this.phase === 'done') return;
    this.phase = phase;
    this.watchdog?.setPhase(phase);
  }

  /** Only when leaving the process with a server to drain: `app.close()` in code (tests) doesn't wait. */
  private async preStopDelay(): Promise<void> {
    const { options, drain, logger } = this.dependencies;
    if (this.trigger.kind === 'close' || !drain || options.preStopDelay === 0) return;
    this.enter('delay');
    this.delayedMs = options.preStopDelay;
    logger.log(messages.preStopDelay(options.preStopDelay));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, options.preStopDelay))), this.deadline.reached]);
    clearTimeout(timer);
    if (this.phase === 'delay') this.enter('hooks');
  }

  /** Nest's own teardown, as `app.close()` runs it; resolves to what it threw, if it did. */
  private async runNestLifecycle(lifecycle: LifecycleReport): Promise<unknown> {
    const started = performance.now();
    let thrown: unknown;
    try {
      await this.dependencies.nestLifecycle(this.trigger.nestSignal);
      lifecycle.status = 'ok';
    } catch (error) {
      thrown = error;
      lifecycle.status = 'failed';
      lifecycle.error = describeError(error);
      this.dependencies.logger.error(messages.lifecycleFailed(error), error);
    }
    lifecycle.durationMs = Math.round(performance.now() - started);
    return thrown;
  }
}
