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
  /**
   * Keep serving normally for this long (ms) after readiness flipped to "not ready", before the HTTP
   * drain, so that a load balancer or Kubernetes stops routing to this instance first. Default 0.
   * Counts against `timeout`. Applies on a signal or `shutdown()` when the app has an HTTP server.
   */
  preStopDelay?: number;
  /**
   * Path of a readiness route answered by the library: 200 while serving, 503 from the first moment
   * of a shutdown. Off by default. Registered on the HTTP adapter: no global prefix, guard or interceptor applies.
   */
  readinessPath?: string;
  /**
   * On an `uncaughtException` or `unhandledRejection`: log it, run the sequence with that reason,
   * and exit 1 even when every hook succeeded. Off by default (Node's own crash applies).
   */
  handleFatalErrors?: boolean;
  /**
   * When a run is to end the process, start a worker thread that kills it (SIGKILL, 137) if the event
   * loop is still blocked 100 ms after the deadline. Default `true`. `false`: no thread; a hook that
   * blocks the event loop then holds the process until the orchestrator's own SIGKILL.
   */
  watchdog?: boolean;
  /**
   * Work the application gives itself, stopped at the first moment of a shutdown when the library is
   * used: `schedule` (@nestjs/schedule's cron jobs, intervals, timeouts) and `bullmq` (@nestjs/bullmq's
   * workers). Both on by default; `false` leaves that library to Nest's own teardown.
   */
  integrations?: { schedule?: boolean; bullmq?: boolean };
  /**
   * An IPC message (`process.send` from the parent) that starts the sequence as a signal does.
   * Default: PM2's `'shutdown'` (sent with `shutdown_with_message`, and on Windows) when PM2 started
   * the process; otherwise none. A string listens to that message; `false` to none.
   */
  shutdownMessage?: string | false;
  /**
   * Also log the whole report as one object, `{ msg, shutdownReport }`, after its lines: a JSON logger
   * (nestjs-pino, winston) writes it as one record a log pipeline can parse. Default `false`.
   */
  structuredReport?: boolean;
  /** Where the library logs. Default: Nest's `Logger` (context `Shutdown`), so `app.useLogger()` applies. `false` silences it. */
  logger?: LoggerService | false;
}

/** Options after validation, with every default filled in. */
export interface ResolvedShutdownOptions {
  timeout: number;
  signals: readonly NodeJS.Signals[];
  exit: boolean;
  drainTimeout: number;
  preStopDelay: number;
  readinessPath: string | undefined;
  handleFatalErrors: boolean;
  watchdog: boolean;
  integrations: { schedule: boolean; bullmq: boolean };
  /** undefined: PM2's message under PM2 (decided when the application starts listening). */
  shutdownMessage: string | false | undefined;
  structuredReport: boolean;
  logger: LoggerService | false | undefined;
}
