import { exitProcess } from './exit-guard.js';

/** An application that wants to hear about some process events (signals, fatal errors). */
export interface ProcessEventSubscriber<E extends string> {
  readonly events: readonly E[];
  /** Runs the sequence (or joins the one running); resolves to the exit code wanted, or undefined. */
  onEvent(event: E, payload: unknown): Promise<number | undefined>;
  /** The event again while that sequence runs; true forces the process out at once. */
  onRepeat(event: E, payload: unknown): boolean;
}

export type ExitFunction = (code: number) => void;

/**
 * Owns the process's listeners for a family of events: one per event however many applications
 * subscribe, removed with the last subscriber that wants it. It adds listeners and never removes or
 * replaces anyone else's, and never re-raises anything. The first event runs every subscriber's
 * sequence and exits once, with the highest code wanted; a repeat during it may force the exit.
 */
export class ProcessEventHub<E extends string> {
  private readonly subscribers = new Set<ProcessEventSubscriber<E>>();
  private readonly listeners = new Map<E, (payload: unknown) => void>();
  private running = false;

  constructor(
    /** The exit code of an exit forced by a repeated event. */
    private readonly forcedExitCode: (event: E) => number,
    private readonly exit: ExitFunction = exitProcess,
  ) {}

  subscribe(subscriber: ProcessEventSubscriber<E>): () => void {
    this.subscribers.add(subscriber);
    for (const event of subscriber.events) {
      if (this.listeners.has(event)) continue;
      const listener = (payload: unknown): void => this.handle(event, payload);
      this.listeners.set(event, listener);
      process.on(event, listener);
    }
    return () => this.unsubscribe(subscriber);
  }

  /** Number of events this hub listens to now (for tests of leaks). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  private unsubscribe(subscriber: ProcessEventSubscriber<E>): void {
    this.subscribers.delete(subscriber);
    const stillWanted = new Set([...this.subscribers].flatMap((s) => s.events));
    for (const [event, listener] of this.listeners) {
      if (stillWanted.has(event)) continue;
      process.removeListener(event, listener);
      this.listeners.delete(event);
    }
  }

  private handle(event: E, payload: unknown): void {
    const targets = [...this.subscribers].filter((subscriber) => subscriber.events.includes(event));
    if (this.running) {
      const forced = targets.map((subscriber) => subscriber.onRepeat(event, payload)).some(Boolean);
      if (forced) this.exit(this.forcedExitCode(event));
      return;
    }
    this.running = true;
    void Promise.all(targets.map((subscriber) => subscriber.onEvent(event, payload))).then((codes) => {
      this.running = false;
      const wanted = codes.filter((code): code is number => code !== undefined);
      if (wanted.length > 0) this.exit(Math.max(...wanted));
    });
  }
}
