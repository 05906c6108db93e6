import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { Server } from 'node:http';
import { ShutdownEventEmitter } from './events/shutdown-event-emitter.js';
import { HttpDrain } from './http/http-drain.js';
import { registerReadinessRoute } from './http/readiness-route.js';
import type { ResolvedShutdownOptions } from './interfaces/shutdown-options.interface.js';
import type { ShutdownPlanStep } from './interfaces/shutdown-plan.interface.js';
import type { ShutdownReport } from './interfaces/shutdown-report.interface.js';
import { buildHookPlan } from './planning/build-hook-plan.js';
import { describePlan } from './planning/describe-plan.js';
import { assertSingleImport } from './nest/assert-single-import.js';
import { hasNestShutdownListeners, locateApplication, type LocatedApplication } from './nest/application-locator.js';
import { BootstrapGuard } from './process/bootstrap-guard.js';
import { exitProcess } from './process/exit-guard.js';
import { FATAL_ERROR_KINDS, fatalErrorHub, type FatalErrorKind } from './process/fatal-error-hub.js';
import { signalHub } from './process/signal-hub.js';
import { watchdogUnavailable } from './process/watchdog.js';
import { messageOf } from './runner/run-hooks.js';
import { exitCodeOf } from './report/format-report.js';
import { ShutdownRun } from './sequence/shutdown-run.js';
import type { ShutdownTrigger } from './sequence/shutdown-trigger.js';
import type { ShutdownHook } from './shutdown-hook.interface.js';
import { ShutdownExplorer } from './shutdown.explorer.js';
import { ShutdownLogger } from './shutdown-logger.js';
import { SHUTDOWN_RESOLVED_OPTIONS } from './shutdown.tokens.js';

/**
 * The application's side of the library: finds the hooks and the application, listens to signals,
 * and starts one ShutdownRun, shared by signals, `shutdown()` and `app.close()` called in code.
 */
@Injectable()
export class ShutdownService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger: ShutdownLogger;
  private hooks: ShutdownHook[] = [];
  private events = new ShutdownEventEmitter([], { error: () => undefined });
  private application?: LocatedApplication;
  private nestClose?: (signal?: string) => Promise<void>;
  private drain?: HttpDrain;
  private unsubscribeSignals?: () => void;
  private unsubscribeFatalErrors?: () => void;
  private bootstrapGuard?: BootstrapGuard;
  private unsubscribeBootstrapGuard?: () => void;
  /** An uncaught error was seen: the exit code is 1 whatever the hooks did. */
  private fatalErrorSeen = false;
  private run?: ShutdownRun;
  private report?: Promise<ShutdownReport>;

  constructor(
    @Inject(SHUTDOWN_RESOLVED_OPTIONS) private readonly options: ResolvedShutdownOptions,
    private readonly explorer: ShutdownExplorer,
    private readonly modulesContainer: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.logger = new ShutdownLogger(options.logger);
    // From here on (providers still being created) a signal is held until onModuleInit, not lost.
    if (options.signals.length > 0) {
      this.unsubscribeBootstrapGuard = signalHub.subscribe(
        (this.bootstrapGuard = new BootstrapGuard(options.signals, options.timeout, options.exit, this.logger)),
      );
    }
  }

  /** True from the moment a shutdown starts. */
  get isShuttingDown(): boolean {
    return this.run !== undefined;
  }

  /** The report of the shutdown that started, once one has; undefined before. */
  lastShutdown(): Promise<ShutdownReport> | undefined {
    return this.report;
  }

  get signals(): readonly NodeJS.Signals[] {
    return this.options.signals;
  }

  /** Hooks in the order they run (ascending order; within an order, dependents first). */
  listHooks(): ReadonlyArray<Pick<ShutdownHook, 'name' | 'order' | 'timeout'>> {
    return this.hooks.map(({ name, order, timeout }) => ({ name, order, timeout }));
  }

  /** The sequence as it will run, before anything runs: hook groups by order, the drain, Nest's lifecycle. */
  plan(): ShutdownPlanStep[] {
    return describePlan(this.hooks, this.drain !== undefined);
  }

  onModuleInit(): void {
    try {
      assertSingleImport(this.modulesContainer);
      // In run order: the report lists hooks as they run.
      const { hooks, listeners } = this.explorer.explore(this.logger);
      this.hooks = buildHookPlan(hooks, this.logger);
      this.events = new ShutdownEventEmitter(listeners, this.logger);
      this.application = locateApplication(this.modulesContainer);
      this.takeOverClose(this.application);
      this.setUpHttp();
      const noWatchdog = this.options.exit && this.options.watchdog ? watchdogUnavailable() : undefined;
      if (noWatchdog) {
        this.logger.warn(`${noWatchdog}: a hook that blocks the event loop past the shutdown deadline can't be stopped before the orchestrator's SIGKILL`);
      }
      if (this.options.signals.length > 0) {
        this.unsubscribeSignals = signalHub.subscribe({
          events: this.options.signals,
          onEvent: (signal) => this.onSignal(signal),
          onRepeat: (signal) => this.onSecondSignal(signal),
        });
      }
      if (this.options.handleFatalErrors) {
        this.unsubscribeFatalErrors = fatalErrorHub.subscribe({
          events: FATAL_ERROR_KINDS,
          onEvent: (kind, error) => this.onFatalError(kind, error),
          // Only logged: onFatalError sees the run and starts no second one.
          onRepeat: (kind, error) => (void this.onFatalError(kind, error), false),
        });
      }
      this.bootstrapGuard?.handOver((signal) => this.onSignal(signal));
    } finally {
      // Subscribed before the guard leaves: the process listeners stay in place.
      this.unsubscribeBootstrapGuard?.();
      this.unsubscribeBootstrapGuard = undefined;
    }
  }

  onApplicationBootstrap(): void {
    const application = this.application;
    if (application && hasNestShutdownListeners(application)) {
      // Nest's listeners would re-raise the signal after its own teardown: our listener would take
      // it for a second signal, and user listeners would run twice.
      application.unsubscribeFromProcessSignals?.();
      this.logger.warn(
        'enableShutdownHooks() is not needed with ShutdownModule and was switched off: ShutdownModule already runs ' +
          "Nest's lifecycle hooks on shutdown. Remove the call from main.ts.",
      );
    }
  }

  /**
   * Runs the shutdown sequence (once: concurrent and repeated calls share one run) and resolves to
   * its report. With the `exit` option the process then exits, 0 when everything succeeded, 1 otherwise.
   */
  async shutdown(reason = 'shutdown'): Promise<ShutdownReport> {
    const { report, exitCode } = await this.runToEnd({ kind: 'shutdown', reason });
    if (exitCode !== undefined) exitProcess(exitCode);
    return report;
  }

  private async onSignal(signal: NodeJS.Signals): Promise<number | undefined> {
    return (await this.runToEnd({ kind: 'signal', reason: signal, nestSignal: signal })).exitCode;
  }

  private async onFatalError(kind: FatalErrorKind, error: unknown): Promise<number | undefined> {
    this.fatalErrorSeen = true;
    if (this.run) {
      this.logger.error(`${kind} while shutting down (no second sequence is started): ${messageOf(error)}`, error);
      return undefined;
    }
    this.logger.error(`${kind}: ${messageOf(error)}; shutting down`, error);
    return (await this.runToEnd({ kind: 'fatal', reason: kind })).exitCode;
  }

  /**
   * Starts the run, or joins the one running, for a trigger that ends the process (with `exit`):
   * the run gets the watchdog, even one that `app.close()` started, and the exit code is announced.
   */
  private async runToEnd(trigger: ShutdownTrigger): Promise<{ report: ShutdownReport; exitCode: number | undefined }> {
    const pending = this.start(trigger);
    if (this.options.exit) this.run?.armWatchdog();
    const report = await pending;
    return { report, exitCode: this.options.exit ? this.announceExit(report) : undefined };
  }

  private onSecondSignal(signal: NodeJS.Signals): boolean {
    const run = this.run;
    if (!run || run.phase === 'done') return false;
    if (!this.options.exit) {
      this.logger.warn(`${signal} received again while shutting down; ignored because the "exit" option is false`);
      return false;
    }
    this.logger.error(`${signal} received again: exiting now, before the sequence ended; still running: ${run.describeRunning()}`);
    return true;
  }

  private setUpHttp(): void {
    const adapter = this.adapterHost.httpAdapter;
    const server = adapter?.getHttpServer?.() as Server | undefined;
    // An HTTP/2 server has no closeIdleConnections(): it is left to Nest's own close.
    if (server && typeof server.closeIdleConnections === 'function') this.drain = new HttpDrain(server);
    if (this.options.readinessPath === undefined) return;
    if (!adapter) {
      this.logger.warn(`readinessPath "${this.options.readinessPath}" is ignored: this application has no HTTP server`);
      return;
    }
    registerReadinessRoute(adapter, this.options.readinessPath, () => this.isShuttingDown);
  }

  private takeOverClose(application: LocatedApplication): void {
    const nestClose = application.close;
    this.nestClose = (signal) => nestClose.call(application, signal);
    // `app.close()` in user code runs our sequence first, then Nest's own teardown, exactly once.
    application.close = async (signal?: string) => {
      const report = await this.start({ kind: 'close', reason: signal ?? 'close', nestSignal: signal });
      if (report.lifecycle.status === 'failed') throw this.run?.lifecycleError;
    };
  }

  private start(trigger: ShutdownTrigger): Promise<ShutdownReport> {
    if (!this.report) {
      this.run = new ShutdownRun(trigger, {
        hooks: this.hooks,
        options: this.options,
        logger: this.logger,
        drain: this.drain,
        events: this.events,
        nestClose: (signal) => this.nestClose?.(signal) ?? Promise.resolve(),
      });
      const run = this.run;
      this.report = run.execute().then((report) => {
        this.release();
        // Somebody asked to exit during the run: done now, with the worse of both codes.
        if (run.deferredExitCode !== undefined) exitProcess(this.announceExit(report));
        return report;
      });
    }
    return this.report;
  }

  /** Leaves no handle behind: signal listeners and the request follower go with the run. */
  private release(): void {
    this.unsubscribeSignals?.();
    this.unsubscribeSignals = undefined;
    this.unsubscribeFatalErrors?.();
    this.unsubscribeFatalErrors = undefined;
    this.drain?.detach();
  }

  private announceExit(report: ShutdownReport): number {
    const code = Math.max(exitCodeOf(report), this.run?.deferredExitCode ?? 0, this.fatalErrorSeen ? 1 : 0);
    this.logger[code === 0 ? 'log' : 'error'](`Exiting with code ${code}`);
    return code;
  }
}
