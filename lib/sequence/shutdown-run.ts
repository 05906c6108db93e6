import type { ShutdownEventEmitter } from '../events/shutdown-event-emitter.js';
import type { HttpDrain } from '../http/http-drain.js';
import type { ResolvedShutdownOptions } from '../interfaces/shutdown-options.interface.js';
import type { DrainReport, LifecycleReport, ShutdownReport } from '../interfaces/shutdown-report.interface.js';
import { formatReport } from '../report/format-report.js';
import { Deadline } from '../runner/deadline.js';
import { createEntries, messageOf, runHooks, type HookEntry, type RunHooksOptions } from '../runner/run-hooks.js';
import type { ShutdownHook } from '../shutdown-hook.interface.js';
import type { ShutdownLogger } from '../shutdown-logger.js';
import type { ShutdownTrigger } from './shutdown-trigger.js';
import { guardProcessExit } from '../process/exit-guard.js';
import { NAMED_RUNNING_HOOKS, Watchdog, watchdogUnavailable } from '../process/watchdog.js';

export type RunPhase = 'delay' | 'hooks' | 'drain' | 'lifecycle' | 'done';

export interface ShutdownRunDependencies {
  hooks: readonly ShutdownHook[];
  options: ResolvedShutdownOptions;
  logger: ShutdownLogger;
  /** Present when the application has an HTTP server. */
  drain?: HttpDrain;
  /** Nest's own teardown: the application's original `close()`. */
  nestClose(signal?: string): Promise<void>;
  events: ShutdownEventEmitter;
}

/**
 * One shutdown, from trigger to report: pre-stop delay and negative-order hooks, HTTP drain, the
 * other hooks, Nest's lifecycle, all under one deadline armed at the start. Never rejects.
 */
export class ShutdownRun {
  phase: RunPhase = 'hooks';
  /** What Nest's lifecycle threw, for `app.close()` to rethrow as Nest would. */
  lifecycleError: unknown;
  /** The highest code of `process.exit()` calls made outside hooks during the run, deferred until its end. */
  deferredExitCode: number | undefined;
  private readonly entries: readonly HookEntry[];
  private deadline?: Deadline;
  private watchdog?: Watchdog;
  private watchdogFailed = false;

  constructor(
    private readonly trigger: ShutdownTrigger,
    private readonly dependencies: ShutdownRunDependencies,
  ) {
    this.entries = createEntries(dependencies.hooks);
  }

  async execute(): Promise<ShutdownReport> {
    const { options, logger, events } = this.dependencies;
    const { entries } = this;
    const startedAt = Date.now();
    const started = performance.now();
    const deadline = new Deadline(options.timeout);
    this.deadline = deadline;
    // Before any hook starts: the first one may block the event loop at once.
    if (this.trigger.kind !== 'close' && options.exit) this.armWatchdog();
    const lifecycle: LifecycleReport = { status: 'skipped', durationMs: 0 };
    let drain: DrainReport | undefined;
    let lifecycleStarted = 0;
    logger.log(`Shutting down (${this.trigger.reason}): ${entries.length} hook(s), deadline in ${options.timeout} ms`);
    events.emit({ type: 'shutdown.started', reason: this.trigger.reason, deadline: deadline.at });
    const liftExitGuard = guardProcessExit((code, fromHook) => {
      if (fromHook) return; // The hook fails with an error saying so.
      this.deferredExitCode = Math.max(this.deferredExitCode ?? 0, code);
      logger.warn(`process.exit(${code}) was called during the shutdown sequence: deferred until the sequence is over`);
    });

    const runOptions: RunHooksOptions = {
      reason: this.trigger.reason,
      deadline,
      onStart: (entry) => {
        this.watchdog?.hookStarted(entry.index);
        if (events.hasListeners) events.emit({ type: 'hook.started', name: entry.hook.name, order: entry.hook.order });
      },
      onSettled: (entry, error) => {
        // Past its own timeout a hook may still run, and may still be the one that blocks.
        if (entry.report.status !== 'timedOut') this.watchdog?.hookSettled(entry.index);
        if (events.hasListeners) events.emit({ type: 'hook.finished', hook: { ...entry.report } });
        if (entry.report.status === 'failed') logger.error(`Hook ${entry.hook.name} failed: ${messageOf(error)}`, error);
      },
    };
    const sequence = async (): Promise<void> => {
      // The server keeps serving during the delay, so that load balancers see readiness fail first.
      await Promise.all([this.preStopDelay(deadline), runHooks(entries.filter((e) => e.hook.order < 0), runOptions)]);
      if (this.dependencies.drain && !deadline.expired) {
        this.enter('drain');
        const limit = Math.min(options.drainTimeout, deadline.remainingMs());
        drain = await this.dependencies.drain.drain(limit, (inFlight) =>
          logger.log(`HTTP server closed to new connections; waiting up to ${limit} ms for ${inFlight} request(s) in flight`),
        );
        if (drain) events.emit({ type: 'drain.finished', drain: { ...drain } });
      }
      this.enter('hooks');
      await runHooks(entries.filter((e) => e.hook.order >= 0), runOptions);
      if (deadline.expired) return;
      this.enter('lifecycle');
      lifecycleStarted = performance.now();
      await this.runNestLifecycle(lifecycle);
    };
    const finished = await Promise.race([
      sequence().then(
        () => true,
        (error: unknown) => {
          logger.error(`Shutdown sequence broke: ${messageOf(error)}`, error);
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
      ...(drain ? { drain: { ...drain } } : {}),
      lifecycle: { ...lifecycle },
      runningAtDeadline: [
        ...entries.filter((entry) => entry.cutAtDeadline).map((entry) => entry.hook.name),
        ...(cutPhase === 'drain' ? ['the HTTP drain'] : []),
        ...(cutPhase === 'lifecycle' ? ["Nest's lifecycle"] : []),
      ],
    };
    for (const line of formatReport(report)) logger[line.level](line.text);
    events.emit({ type: 'shutdown.finished', report });
    return report;
  }

  /**
   * Arms the hard deadline: when this run is to end the process, a worker thread makes sure it
   * ends even if synchronous code blocks the event loop past the deadline. Idempotent.
   */
  armWatchdog(): void {
    if (!this.dependencies.options.watchdog || this.watchdog || this.watchdogFailed || !this.deadline || this.phase === 'done') return;
    // Said at startup already: the run goes on with the timers' deadline only.
    if (watchdogUnavailable()) return;
    let watchdog: Watchdog;
    try {
      watchdog = new Watchdog(this.deadline.at, this.deadline.timeoutMs, this.entries.map((entry) => entry.hook.name));
    } catch (error) {
      this.watchdogFailed = true;
      this.dependencies.logger.warn(
        `No watchdog thread for this shutdown (${messageOf(error)}): a hook that blocks the event loop past the deadline can't be stopped`,
      );
      return;
    }
    // Armed late (a signal during a run started by app.close()): tell it what already runs.
    for (const entry of this.entries) if (entry.running) watchdog.hookStarted(entry.index);
    watchdog.setPhase(this.phase);
    this.watchdog = watchdog;
  }

  /** Moves to the next phase; what goes on in the background after the deadline can't undo 'done'. */
  private enter(phase: Exclude<RunPhase, 'done'>): void {
    if (this.phase === 'done') return;
    this.phase = phase;
    this.watchdog?.setPhase(phase);
  }

  /** What is running now, for the line a second signal writes: a few names at most (the watchdog words its own). */
  describeRunning(): string {
    if (this.phase === 'drain') return 'the HTTP drain';
    if (this.phase === 'lifecycle') return "Nest's lifecycle hooks";
    const running = this.entries.filter((entry) => entry.running);
    const names = running.slice(0, NAMED_RUNNING_HOOKS).map((entry) => entry.hook.name);
    if (running.length > names.length) names.push(`${running.length - names.length} more hook(s)`);
    if (this.phase === 'delay') names.push('the pre-stop delay');
    return names.length > 0 ? names.join(', ') : 'nothing';
  }

  /** Only when leaving the process with an HTTP server: `app.close()` in code (tests) doesn't wait. */
  private async preStopDelay(deadline: Deadline): Promise<void> {
    const { options, drain, logger } = this.dependencies;
    if (this.trigger.kind === 'close' || !drain || options.preStopDelay === 0) return;
    this.enter('delay');
    logger.log(`Readiness now fails; serving for ${options.preStopDelay} ms more (preStopDelay) before draining`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, options.preStopDelay))), deadline.reached]);
    clearTimeout(timer);
    if (this.phase === 'delay') this.enter('hooks');
  }

  /** Nest's own teardown, as `app.close()` runs it. */
  private async runNestLifecycle(lifecycle: LifecycleReport): Promise<void> {
    const started = performance.now();
    try {
      await this.dependencies.nestClose(this.trigger.nestSignal);
      lifecycle.status = 'ok';
    } catch (error) {
      this.lifecycleError = error;
      lifecycle.status = 'failed';
      lifecycle.error = messageOf(error);
      this.dependencies.logger.error(`Nest's lifecycle hooks failed: ${messageOf(error)}`, error);
    }
    lifecycle.durationMs = Math.round(performance.now() - started);
  }
}
