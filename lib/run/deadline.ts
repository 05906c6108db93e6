import { ShutdownTimeoutError } from './shutdown-timeout.error.js';

/**
 * The global deadline of one shutdown run. Its timer is armed the moment the run starts and keeps
 * the event loop alive, so that a hook awaiting a promise nothing will settle cannot let the
 * process drain and exit 0 with the sequence unfinished. A timer, a promise and a short list of
 * callbacks: an AbortController with its event listeners cost several times as much, in every
 * run (a test suite's `app.close()` included), for the two or three parties that listen.
 */
export class Deadline {
  /** Epoch ms. */
  readonly at: number;
  /** Resolves when the deadline passes; never if the run ends first. */
  readonly reached: Promise<void>;
  /** Why what runs is cut: set when the deadline passes. */
  private passedWith?: ShutdownTimeoutError;
  private readonly onPassed = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutMs: number) {
    this.at = Date.now() + timeoutMs;
    let resolve!: () => void;
    this.reached = new Promise((settle) => (resolve = settle));
    this.timer = setTimeout(() => {
      this.passedWith = new ShutdownTimeoutError(`the shutdown deadline of ${timeoutMs} ms passed`);
      resolve();
      for (const listener of [...this.onPassed]) listener();
      this.onPassed.clear();
    }, timeoutMs);
  }

  get expired(): boolean {
    return this.passedWith !== undefined;
  }

  /** The ShutdownTimeoutError that cut what ran; undefined before the deadline. */
  get reason(): ShutdownTimeoutError | undefined {
    return this.passedWith;
  }

  /** Calls `listener` (synchronously, once) when the deadline passes; returns its remover. */
  whenPassed(listener: () => void): () => void {
    this.onPassed.add(listener);
    return () => this.onPassed.delete(listener);
  }

  remainingMs(): number {
    return this.expired ? 0 : Math.max(0, this.at - Date.now());
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.onPassed.clear();
  }
}
