import { signalExitCode } from '../validation/signals.js';
import { exitProcess } from './exit-guard.js';

/** An application that wants to hear about signals: one ShutdownService. */
export interface SignalSubscriber {
  readonly signals: readonly NodeJS.Signals[];
  /** Runs the sequence; resolves to the exit code wanted, or undefined to leave the process alone. */
  onSignal(signal: NodeJS.Signals): Promise<number | undefined>;
  /** Called when a second signal arrives during the sequence; true when it forces the process out. */
  onSecondSignal(signal: NodeJS.Signals): boolean;
}

export type ExitFunction = (code: number) => void;

/**
 * Owns the process's signal listeners: one per signal however many applications subscribe, removed
 * when the last one unsubscribes. It adds listeners and never removes or replaces anyone else's, and
 * it never re-raises a signal: other listeners for it run exactly once, as Node calls them.
 */
export class SignalHub {
  private readonly subscribers = new Set<SignalSubscriber>();
  private readonly listeners = new Map<NodeJS.Signals, (signal: NodeJS.Signals) => void>();
  private running = false;

  constructor(private readonly exit: ExitFunction = exitProcess) {}

  subscribe(subscriber: SignalSubscriber): () => void {
    this.subscribers.add(subscriber);
    for (const signal of subscriber.signals) {
      if (this.listeners.has(signal)) continue;
      const listener = (received: NodeJS.Signals): void => this.handle(received);
      this.listeners.set(signal, listener);
      process.on(signal, listener);
    }
    return () => this.unsubscribe(subscriber);
  }

  private exitInterceptor?: ExitFunction;

  /** Ends the process: the library's one way out (but the watchdog's), which tests can intercept. */
  exitProcess(code: number): void {
    (this.exitInterceptor ?? this.exit)(code);
  }

  /** For tests: until the returned function is called, exits are handed to `record` instead. */
  interceptExits(record: ExitFunction): () => void {
    this.exitInterceptor = record;
    return () => {
      if (this.exitInterceptor === record) this.exitInterceptor = undefined;
    };
  }

  /** Number of signals this hub listens to now (for tests of leaks). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  private unsubscribe(subscriber: SignalSubscriber): void {
    this.subscribers.delete(subscriber);
    const stillWanted = new Set([...this.subscribers].flatMap((s) => s.signals));
    for (const [signal, listener] of this.listeners) {
      if (stillWanted.has(signal)) continue;
      process.removeListener(signal, listener);
      this.listeners.delete(signal);
    }
  }

  private handle(signal: NodeJS.Signals): void {
    const targets = [...this.subscribers].filter((subscriber) => subscriber.signals.includes(signal));
    if (this.running) {
      const forced = targets.map((subscriber) => subscriber.onSecondSignal(signal)).some(Boolean);
      if (forced) this.exitProcess(signalExitCode(signal));
      return;
    }
    this.running = true;
    void Promise.all(targets.map((subscriber) => subscriber.onSignal(signal))).then((codes) => {
      this.running = false;
      const wanted = codes.filter((code): code is number => code !== undefined);
      if (wanted.length > 0) this.exitProcess(Math.max(...wanted));
    });
  }
}

/** The process-wide hub: signals are process-wide, whatever the number of applications. */
export const signalHub = new SignalHub();
