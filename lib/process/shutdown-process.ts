import type { ResolvedShutdownOptions } from '../interfaces/shutdown-options.interface.js';
import type { ShutdownReport } from '../interfaces/shutdown-report.interface.js';
import { ShutdownLogger } from '../logging/shutdown-logger.js';
import { messages } from '../messages.js';
import type { RunResult } from '../run/shutdown-run.js';
import { ShutdownRunner } from '../run/shutdown-runner.js';
import type { ShutdownTrigger } from '../run/shutdown-trigger.js';
import { processExit, type ExitClaims } from './exit-decision.js';
import { FATAL_ERROR_KINDS, fatalErrorHub, type FatalErrorKind } from './fatal-error-hub.js';
import { messageHub } from './message-hub.js';
import { messageReason, shutdownMessageToListen } from './shutdown-message.js';
import { signalHub } from './signal-hub.js';
import { signalProblem } from '../validation/signal-problem.js';
import { signalExitCode } from './signals.js';

/** Signals that report a fault of the process itself, which Nest's enableShutdownHooks() listens to by default. */
const FAULT_SIGNALS = new Set<string>(['SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGSEGV']);

/** What came during bootstrap; `signal` once one did (it is then the first signal of the run). */
interface HeldTrigger {
  reason: string;
  signal?: NodeJS.Signals;
  release(): void;
}

/**
 * The application's dealings with the process: it listens to signals (from the moment the
 * providers are created, holding one that comes during bootstrap) and fatal errors, decides once
 * whether a run ends the process, and hands that exit to the process-wide exit decision.
 */
export class ShutdownProcess {
  private built = false;
  /** A signal (or the shutdown message) that came during bootstrap, waiting for the application to be built. */
  private held?: HeldTrigger;
  /** The first signal seen: another one during the run forces the exit. */
  private firstSignal?: NodeJS.Signals;
  /** This application's run ends the process: said once to the exit decision. */
  private ending = false;
  private fatalErrorSeen = false;
  private readonly unsubscribeSignals: Array<() => void> = [];
  private readonly listenedSignals: NodeJS.Signals[] = [];
  private unsubscribeFatalErrors?: () => void;

  constructor(
    private readonly options: ResolvedShutdownOptions,
    private readonly runner: ShutdownRunner,
    private readonly logger: ShutdownLogger,
  ) {
    // From here on (providers still being created) a signal is held until the application is built, not lost.
    this.listen(options.signals);
    this.listenToMessage(shutdownMessageToListen(options.shutdownMessage));
    runner.onFinished(() => this.release());
  }

  /** The signals that start the sequence: the `signals` option, and those adopted from `enableShutdownHooks()`. */
  get signals(): readonly NodeJS.Signals[] {
    return this.listenedSignals;
  }

  /**
   * Takes over the signals a left-in `enableShutdownHooks()` listened to, so that switching it off
   * drops none silently. Fault signals (SIGSEGV and the like) are not requests to stop: left to Node.
   */
  adoptSignals(signals: readonly NodeJS.Signals[]): { adopted: NodeJS.Signals[]; dropped: NodeJS.Signals[] } {
    const fresh = signals.filter((signal) => !this.listenedSignals.includes(signal));
    const dropped = fresh.filter((signal) => FAULT_SIGNALS.has(signal));
    const adopted = fresh.filter((signal) => !FAULT_SIGNALS.has(signal) && signalProblem(signal) === undefined);
    this.listen(adopted);
    return { adopted, dropped };
  }

  private listen(signals: readonly NodeJS.Signals[]): void {
    if (signals.length === 0) return;
    this.listenedSignals.push(...signals);
    this.unsubscribeSignals.push(signalHub.subscribe({ events: signals, onEvent: (signal) => this.onSignal(signal) }));
  }

  /** A process manager's IPC message (PM2's `shutdown`) starts the sequence as a signal does. */
  private listenToMessage(message: string | undefined): void {
    if (message === undefined) return;
    this.unsubscribeSignals.push(
      messageHub.subscribe({ events: ['message'], onEvent: (_, payload) => payload === message && this.onMessage(message) }),
    );
  }

  /** The application is built: fatal errors are handled from now on, and a held signal's run starts. */
  initialised(): void {
    this.built = true;
    if (this.options.handleFatalErrors) {
      this.unsubscribeFatalErrors = fatalErrorHub.subscribe({
        events: FATAL_ERROR_KINDS,
        onEvent: (kind, error) => this.onFatalError(kind as FatalErrorKind, error),
      });
    }
    this.held?.release();
    this.held = undefined;
  }

  /** `ShutdownService.shutdown()`: ends the process afterwards with the `exit` option. */
  shutdown(reason: string): Promise<ShutdownReport> {
    return this.start({ kind: 'shutdown', reason }, this.options.exit).then((result) => result.report);
  }

  /** `app.close()` in code: the process lives on, unless somebody called `process.exit()` meanwhile. */
  close(signal?: string): Promise<RunResult> {
    const result = this.start({ kind: 'close', reason: signal ?? 'close', nestSignal: signal }, false);
    void result.then((settled) => {
      if (settled.exitCalledOutsideHooks) this.endProcessAfter(Promise.resolve(settled));
    });
    return result;
  }

  /** True until the application was built: closed then, it must leave no listener behind. */
  get beforeInit(): boolean {
    return !this.built;
  }

  /** The application is being closed: one closed without ever having run its shutdown leaves no listener behind. */
  applicationClosed(): void {
    if (!this.runner.started) this.release();
  }

  private onSignal(signal: NodeJS.Signals): void {
    if (!this.built) return this.holdDuringBootstrap({ kind: 'signal', reason: signal, nestSignal: signal }, signal);
    if (!this.runner.started || (this.runner.running && this.firstSignal === undefined)) {
      this.firstSignal = signal;
      void this.start({ kind: 'signal', reason: signal, nestSignal: signal }, this.options.exit);
      return;
    }
    if (!this.runner.running) return;
    if (!this.options.exit) {
      this.logger.warn(messages.signalAgainIgnored(signal, this.firstSignal ?? signal));
      return;
    }
    this.logger.error(messages.signalAgainExiting(signal, this.firstSignal ?? signal, this.runner.describeRunning()));
    processExit.now(signalExitCode(signal), this.announceExit);
  }

  /**
   * Like a signal, except that a repeat is no one's request to hurry: a process manager sends its
   * message once, and a repeat neither cuts the run short nor starts another.
   */
  private onMessage(message: string): void {
    const trigger: ShutdownTrigger = { kind: 'message', reason: messageReason(message) };
    if (!this.built) {
      if (this.held) this.logger.warn(messages.messageAgainIgnored(trigger.reason));
      else this.holdDuringBootstrap(trigger);
      return;
    }
    if (!this.runner.started) {
      void this.start(trigger, this.options.exit);
      return;
    }
    if (this.runner.running) this.logger.warn(messages.messageAgainIgnored(trigger.reason));
  }

  /** `signal`: what came, when it is one; a second one during bootstrap then exits at once. */
  private holdDuringBootstrap(trigger: ShutdownTrigger, signal?: NodeJS.Signals): void {
    if (this.held) {
      // Only a signal gets here with a run already held. After the message it is the first signal: it joins.
      if (this.held.signal === undefined && signal) {
        this.held.signal = signal;
        return;
      }
      this.logger.error(messages.signalAgainDuringBootstrap(trigger.reason, this.held.reason));
      if (this.options.exit && signal) processExit.now(signalExitCode(signal), this.announceExit);
      return;
    }
    this.logger.warn(messages.signalDuringBootstrap(trigger.reason));
    let handOver!: (claims: Promise<ExitClaims> | number) => void;
    const claims = new Promise<ExitClaims | number>((resolve) => (handOver = resolve));
    const timer = setTimeout(() => {
      this.logger.error(messages.bootstrapTooLong(this.options.timeout));
      handOver(1);
    }, this.options.timeout);
    const held: HeldTrigger = {
      reason: trigger.reason,
      signal,
      release: () => {
        clearTimeout(timer);
        this.firstSignal = held.signal;
        handOver(this.runner.start(trigger, this.options.exit).then(this.claimsOf));
      },
    };
    this.held = held;
    if (this.options.exit) {
      this.ending = true;
      processExit.after(claims, this.announceExit);
    }
  }

  private onFatalError(kind: FatalErrorKind, error: unknown): void {
    this.fatalErrorSeen = true;
    if (this.runner.started) {
      this.logger.error(messages.fatalErrorWhileShuttingDown(kind, error), error);
      return;
    }
    this.logger.error(messages.fatalError(kind, error), error);
    void this.start({ kind: 'fatal', reason: kind }, this.options.exit);
  }

  private start(trigger: ShutdownTrigger, endsProcess: boolean): Promise<RunResult> {
    const result = this.runner.start(trigger, endsProcess);
    if (endsProcess) this.endProcessAfter(result);
    return result;
  }

  private endProcessAfter(result: Promise<RunResult>): void {
    if (this.ending) return;
    this.ending = true;
    processExit.after(result.then(this.claimsOf), this.announceExit);
  }

  private readonly claimsOf = (result: RunResult): ExitClaims => ({
    report: result.report,
    requestedCodes: result.requestedExitCodes,
    fatalError: this.fatalErrorSeen,
  });

  private readonly announceExit = (code: number): void => {
    if (code === 0) this.logger.log(messages.exiting(code));
    else this.logger.error(messages.exiting(code));
  };

  /** Leaves no process listener behind. */
  private release(): void {
    for (const unsubscribe of this.unsubscribeSignals.splice(0)) unsubscribe();
    this.unsubscribeFatalErrors?.();
    this.unsubscribeFatalErrors = undefined;
  }
}
