import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { Server } from 'node:http';
import { HttpDrain } from './http/http-drain.js';
import type { ResolvedShutdownOptions } from './interfaces/shutdown-options.interface.js';
import type { DrainReport, LifecycleReport, ShutdownReport } from './interfaces/shutdown-report.interface.js';
import { hasNestShutdownListeners, locateApplication, type LocatedApplication } from './nest/application-locator.js';
import { signalHub, type SignalSubscriber } from './process/signal-hub.js';
import { exitCodeOf, formatReport } from './report/format-report.js';
import { Deadline } from './runner/deadline.js';
import { createEntries, messageOf, runHooks, type HookEntry, type RunHooksOptions } from './runner/run-hooks.js';
import type { ShutdownHook } from './shutdown-hook.interface.js';
import { ShutdownExplorer } from './shutdown.explorer.js';
import { ShutdownLogger } from './shutdown-logger.js';
import { SHUTDOWN_RESOLVED_OPTIONS } from './shutdown.tokens.js';

type Phase = 'idle' | 'hooks' | 'drain' | 'lifecycle' | 'done';

/**
 * Runs the shutdown sequence: negative-order hooks, HTTP drain, the other hooks, then Nest's own
 * lifecycle (what `app.close()` does), all under one deadline; logs the report. Signals,
 * `shutdown()` and `app.close()` called in code all share one run.
 */
@Injectable()
export class ShutdownService implements OnModuleInit, OnApplicationBootstrap, SignalSubscriber {
  private readonly logger: ShutdownLogger;
  private hooks: ShutdownHook[] = [];
  private application?: LocatedApplication;
  private nestClose?: (signal?: string) => Promise<void>;
  private drain?: HttpDrain;
  private unsubscribeSignals?: () => void;
  private run?: Promise<ShutdownReport>;
  private phase: Phase = 'idle';
  private readonly runningHooks = new Set<HookEntry>();
  private lifecycleError: unknown;

  constructor(
    @Inject(SHUTDOWN_RESOLVED_OPTIONS) private readonly options: ResolvedShutdownOptions,
    private readonly explorer: ShutdownExplorer,
    private readonly modulesContainer: ModulesContainer,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    this.logger = new ShutdownLogger(options.logger);
  }

  /** True from the moment a shutdown starts. */
  get isShuttingDown(): boolean {
    return this.phase !== 'idle';
  }

  get signals(): readonly NodeJS.Signals[] {
    return this.options.signals;
  }

  /** Hooks as they will run, for inspection: ascending order, equal orders together. */
  listHooks(): ReadonlyArray<Pick<ShutdownHook, 'name' | 'order' | 'timeout'>> {
    return this.hooks.map(({ name, order, timeout }) => ({ name, order, timeout }));
  }

  onModuleInit(): void {
    // Sorted once, stably: the report lists hooks in the order they run.
    this.hooks = this.explorer.explore(this.logger).sort((a, b) => a.order - b.order);
    this.application = locateApplication(this.modulesContainer);
    this.takeOverClose(this.application);
    const server = httpServerOf(this.adapterHost);
    if (server) this.drain = new HttpDrain(server);
    if (this.options.signals.length > 0) this.unsubscribeSignals = signalHub.subscribe(this);
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
    const report = await this.start(reason, undefined);
    if (this.options.exit) signalHub.exitProcess(this.announceExit(report));
    return report;
  }

  async onSignal(signal: NodeJS.Signals): Promise<number | undefined> {
    const report = await this.start(signal, signal);
    return this.options.exit ? this.announceExit(report) : undefined;
  }

  onSecondSignal(signal: NodeJS.Signals): boolean {
    if (!this.isShuttingDown || this.phase === 'done') return false;
    if (!this.options.exit) {
      this.logger.warn(`${signal} received again while shutting down; ignored because the "exit" option is false`);
      return false;
    }
    this.logger.error(`${signal} received again: exiting now, before the sequence ended; still running: ${this.describeRunning()}`);
    return true;
  }

  private takeOverClose(application: LocatedApplication): void {
    const nestClose = application.close;
    this.nestClose = (signal) => nestClose.call(application, signal);
    // `app.close()` in user code runs our sequence first, then Nest's own teardown, exactly once.
    application.close = async (signal?: string) => {
      const report = await this.start(signal ?? 'close', signal);
      if (report.lifecycle.status === 'failed') throw this.lifecycleError;
    };
  }

  private start(reason: string, nestSignal: string | undefined): Promise<ShutdownReport> {
    this.run ??= this.execute(reason, nestSignal);
    return this.run;
  }

  private async execute(reason: string, nestSignal: string | undefined): Promise<ShutdownReport> {
    const startedAt = Date.now();
    const started = performance.now();
    this.phase = 'hooks';
    const deadline = new Deadline(this.options.timeout);
    const entries = createEntries(this.hooks);
    const lifecycle: LifecycleReport = { status: 'skipped', durationMs: 0 };
    let drain: DrainReport | undefined;
    let lifecycleStarted = 0;
    this.logger.log(`Shutting down (${reason}): ${entries.length} hook(s), deadline in ${this.options.timeout} ms`);

    const runOptions: RunHooksOptions = {
      reason,
      deadline,
      onStart: (entry) => this.runningHooks.add(entry),
      onSettled: (entry, error) => {
        this.runningHooks.delete(entry);
        if (entry.report.status === 'failed') this.logger.error(`Hook ${entry.hook.name} failed: ${messageOf(error)}`, error);
      },
    };
    const sequence = async (): Promise<void> => {
      await runHooks(
        entries.filter((entry) => entry.hook.order < 0),
        runOptions,
      );
      if (this.drain && !deadline.expired) {
        this.phase = 'drain';
        const limit = Math.min(this.options.drainTimeout, deadline.remainingMs());
        drain = await this.drain.drain(limit, (inFlight) =>
          this.logger.log(`HTTP server closed to new connections; waiting up to ${limit} ms for ${inFlight} request(s) in flight`),
        );
      }
      this.phase = 'hooks';
      await runHooks(
        entries.filter((entry) => entry.hook.order >= 0),
        runOptions,
      );
      if (deadline.expired) return;
      this.phase = 'lifecycle';
      lifecycleStarted = performance.now();
      await this.runNestLifecycle(nestSignal, lifecycle);
    };
    const finished = await Promise.race([
      sequence().then(
        () => true,
        (error: unknown) => {
          this.logger.error(`Shutdown sequence broke: ${messageOf(error)}`, error);
          return true;
        },
      ),
      deadline.reached.then(() => false),
    ]);
    deadline.dispose();
    if (!finished && (this.phase as Phase) === 'lifecycle') {
      lifecycle.status = 'timedOut';
      lifecycle.durationMs = Math.round(performance.now() - lifecycleStarted);
    }
    this.phase = 'done';

    const hooks = entries.map((entry) => ({ ...entry.report }));
    const failed = hooks.some((hook) => hook.status !== 'ok') || lifecycle.status !== 'ok';
    const report: ShutdownReport = {
      reason,
      outcome: !finished ? 'timedOut' : failed ? 'failed' : 'completed',
      startedAt,
      durationMs: Math.round(performance.now() - started),
      hooks,
      ...(drain ? { drain: { ...drain } } : {}),
      lifecycle: { ...lifecycle },
      runningAtDeadline: [
        ...entries.filter((entry) => entry.cutAtDeadline).map((entry) => entry.hook.name),
        ...(lifecycle.status === 'timedOut' ? ["Nest's lifecycle"] : []),
      ],
    };
    this.release();
    for (const line of formatReport(report)) this.logger[line.level](line.text);
    return report;
  }

  /** Nest's own teardown, as `app.close()` runs it. */
  private async runNestLifecycle(nestSignal: string | undefined, lifecycle: LifecycleReport): Promise<void> {
    const started = performance.now();
    try {
      await this.nestClose?.(nestSignal);
      lifecycle.status = 'ok';
    } catch (error) {
      this.lifecycleError = error;
      lifecycle.status = 'failed';
      lifecycle.error = messageOf(error);
      this.logger.error(`Nest's lifecycle hooks failed: ${messageOf(error)}`, error);
    }
    lifecycle.durationMs = Math.round(performance.now() - started);
  }

  /** Leaves no handle behind: signal listeners and the request follower go with the run. */
  private release(): void {
    this.unsubscribeSignals?.();
    this.unsubscribeSignals = undefined;
    this.drain?.detach();
  }

  private announceExit(report: ShutdownReport): number {
    const code = exitCodeOf(report);
    this.logger[code === 0 ? 'log' : 'error'](`Exiting with code ${code}`);
    return code;
  }

  private describeRunning(): string {
    if (this.phase === 'drain') return 'the HTTP drain';
    if (this.phase === 'lifecycle') return "Nest's lifecycle hooks";
    const names = [...this.runningHooks].map((entry) => entry.hook.name);
    return names.length > 0 ? names.join(', ') : 'nothing';
  }
}

/** The application's HTTP(S) server, when it has one that can be drained. */
function httpServerOf(adapterHost: HttpAdapterHost): Server | undefined {
  const server = adapterHost.httpAdapter?.getHttpServer?.() as Server | undefined;
  return server && typeof server.closeIdleConnections === 'function' ? server : undefined;
}
