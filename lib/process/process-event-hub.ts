/** An application that wants to hear about some process events (signals, fatal errors). */
export interface ProcessEventSubscriber<E extends string> {
  readonly events: readonly E[];
  /** Every occurrence, the first and the repeats: the subscriber knows whether its shutdown runs. */
  onEvent(event: E, payload: unknown): void;
}

/**
 * Owns the process's listeners for a family of events: one per event however many applications
 * subscribe, removed with the last subscriber that wants it. It adds listeners and never removes or
 * replaces anyone else's, never re-raises anything and decides nothing: it tells the subscribers.
 * Adding a listener also removes Node's default action (a signal's death, a fatal error's crash)
 * for as long as it is there.
 */
export class ProcessEventHub<E extends string> {
  private readonly subscribers = new Set<ProcessEventSubscriber<E>>();
  private readonly listeners = new Map<E, (payload: unknown) => void>();

  subscribe(subscriber: ProcessEventSubscriber<E>): () => void {
    this.subscribers.add(subscriber);
    for (const event of subscriber.events) {
      if (this.listeners.has(event)) continue;
      const listener = (payload: unknown): void => this.dispatch(event, payload);
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
    if (!this.subscribers.delete(subscriber)) return;
    const stillWanted = new Set([...this.subscribers].flatMap((s) => s.events));
    for (const [event, listener] of this.listeners) {
      if (stillWanted.has(event)) continue;
      process.removeListener(event, listener);
      this.listeners.delete(event);
    }
  }

  private dispatch(event: E, payload: unknown): void {
    // A copy: a subscriber may unsubscribe while being told.
    for (const subscriber of [...this.subscribers]) {
      if (subscriber.events.includes(event)) subscriber.onEvent(event, payload);
    }
  }
}
