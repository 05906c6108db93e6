import type { ProcessEventSubscriber } from './process-event-hub.js';

/**
 * Catches a signal that arrives while the application is still being built (providers created,
 * init hooks running), when the ShutdownService can't run a sequence yet. It holds the signal until
 * the service is ready and hands it over; if the application never gets there, it ends the wait at
 * the deadline. Without it Node's default would kill the process with no hook run, or, as PID 1,
 * ignore the signal until SIGKILL.
 */
export class BootstrapGuard implements ProcessEventSubscriber<NodeJS.Signals> {
  private pending?: { signal: NodeJS.Signals; settle(code: Promise<number | undefined> | number | undefined): void };
  private timer?: NodeJS.Timeout;

  constructor(
    readonly events: readonly NodeJS.Signals[],
    private readonly timeoutMs: number,
    private readonly exitWanted: boolean,
    private readonly log: { warn(message: string): void; error(message: string): void },
  ) {}

  onEvent(signal: NodeJS.Signals): Promise<number | undefined> {
    this.log.warn(`${signal} during bootstrap: the shutdown starts as soon as the application is initialised`);
    return new Promise((resolve) => {
      this.pending = { signal, settle: resolve };
      this.timer = setTimeout(() => {
        this.log.error(`The application did not finish bootstrapping within the ${this.timeoutMs} ms shutdown deadline`);
        resolve(this.exitWanted ? 1 : undefined);
      }, this.timeoutMs);
    });
  }

  onRepeat(signal: NodeJS.Signals): boolean {
    this.log.error(`${signal} received again during bootstrap: exiting now`);
    return this.exitWanted;
  }

  /** The service is ready: it runs the held signal's sequence, whose exit code the hub awaits here. */
  handOver(run: (signal: NodeJS.Signals) => Promise<number | undefined>): void {
    if (!this.pending) return;
    clearTimeout(this.timer);
    this.pending.settle(run(this.pending.signal));
  }
}
