import { signalHub, type ExitFunction } from './signal-hub.js';

export type FatalErrorKind = 'uncaughtException' | 'unhandledRejection';

export interface FatalErrorSubscriber {
  /** Runs the sequence (or joins the one running); resolves to the exit code wanted, or undefined. */
  onFatalError(kind: FatalErrorKind, error: unknown): Promise<number | undefined>;
}

const KINDS: readonly FatalErrorKind[] = ['uncaughtException', 'unhandledRejection'];

/**
 * Owns the process's `uncaughtException` and `unhandledRejection` listeners for the applications
 * that opted in: added once, removed with the last subscriber (Node's default crash comes back).
 */
export class FatalErrorHub {
  private readonly subscribers = new Set<FatalErrorSubscriber>();
  private readonly listeners = new Map<FatalErrorKind, (error: unknown) => void>();
  private running = false;

  constructor(private readonly exit: ExitFunction = (code) => signalHub.exitProcess(code)) {}

  subscribe(subscriber: FatalErrorSubscriber): () => void {
    this.subscribers.add(subscriber);
    for (const kind of KINDS) {
      if (this.listeners.has(kind)) continue;
      const listener = (error: unknown): void => this.handle(kind, error);
      this.listeners.set(kind, listener);
      process.on(kind, listener);
    }
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size > 0) return;
      for (const [kind, listener] of this.listeners) process.removeListener(kind, listener);
      this.listeners.clear();
    };
  }

  private handle(kind: FatalErrorKind, error: unknown): void {
    const runs = [...this.subscribers].map((subscriber) => subscriber.onFatalError(kind, error));
    // Errors during a run only get logged by the subscribers: one sequence, one exit.
    if (this.running) return;
    this.running = true;
    void Promise.all(runs).then((codes) => {
      this.running = false;
      const wanted = codes.filter((code): code is number => code !== undefined);
      if (wanted.length > 0) this.exit(Math.max(...wanted));
    });
  }
}

export const fatalErrorHub = new FatalErrorHub();
