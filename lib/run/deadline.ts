import { setMaxListeners } from 'node:events';
import { ShutdownTimeoutError } from './shutdown-timeout.error.js';

/**
 * The global deadline of one shutdown run. Its timer is armed the moment the run starts and keeps
 * the event loop alive, so that a hook awaiting a promise nothing will settle cannot let the
 * process drain and exit 0 with the sequence unfinished.
 */
export class Deadline {
  /** Epoch ms. */
  readonly at: number;
  readonly reached: Promise<void>;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly timeoutMs: number) {
    this.at = Date.now() + timeoutMs;
    // Every running hook listens to it: hundreds at once is normal, not a leak worth a warning.
    setMaxListeners(0, this.controller.signal);
    this.reached = new Promise((resolve) => this.signal.addEventListener('abort', () => resolve(), { once: true }));
    this.timer = setTimeout(
      () => this.controller.abort(new ShutdownTimeoutError(`the shutdown deadline of ${timeoutMs} ms passed`)),
      timeoutMs,
    );
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  remainingMs(): number {
    return this.expired ? 0 : Math.max(0, this.at - Date.now());
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
