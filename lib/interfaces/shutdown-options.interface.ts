import type { LoggerService } from '@nestjs/common';

export interface ShutdownModuleOptions {
  /** Global deadline in ms, counted from the trigger (signal or `shutdown()`). Default 8 000. */
  timeout?: number;
  /** Signals that start the sequence. Default `['SIGTERM', 'SIGINT']`; `[]` listens to none. */
  signals?: NodeJS.Signals[];
  /**
   * End the process once a signal- or `shutdown()`-triggered sequence is over (default `true`).
   * `false` leaves the process alone: for tests and for hosts that embed the application.
   */
  exit?: boolean;
  /**
   * How long in-flight HTTP requests may take to finish once the server stopped accepting
   * connections, in ms; remaining connections are then destroyed. Default: half of `timeout`.
   * Always bounded by the global deadline.
   */
  drainTimeout?: number;
  /** Where the library logs. Default: Nest's `Logger` (context `Shutdown`), so `app.useLogger()` applies. `false` silences it. */
  logger?: LoggerService | false;
}

/** Options after validation, with every default filled in. */
export interface ResolvedShutdownOptions {
  timeout: number;
  signals: readonly NodeJS.Signals[];
  exit: boolean;
  drainTimeout: number;
  logger: LoggerService | false | undefined;
}
