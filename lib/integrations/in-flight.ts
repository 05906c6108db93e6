/** Counts the promises handed to it until they settle: the work a source still has running. */
export class InFlight {
  private running = 0;
  private idle: Array<() => void> = [];

  get size(): number {
    return this.running;
  }

  /** Returns `value` untouched; a promise (or thenable) is counted until it settles. */
  track<T>(value: T): T {
    const thenable = value as { then?: unknown } | null | undefined;
    if (typeof thenable?.then !== 'function') return value;
    this.running++;
    const done = (): void => {
      this.running--;
      if (this.running === 0) for (const wake of this.idle.splice(0)) wake();
    };
    (value as PromiseLike<unknown>).then(done, done);
    return value;
  }

  /** Resolves once nothing is counted. */
  whenIdle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}
