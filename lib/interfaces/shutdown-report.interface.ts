export type HookStatus = 'ok' | 'failed' | 'timedOut' | 'skipped';

export type ShutdownOutcome = 'completed' | 'failed' | 'timedOut';

export interface HookReport {
  name: string;
  order: number;
  status: HookStatus;
  durationMs: number;
  /** Message of what the hook threw, or why it timed out. */
  error?: string;
}

/** What the drain waits for, by protocol. */
export type DrainKind = 'requests' | 'sse' | 'websockets' | 'socket.io' | 'http2' | 'grpc';

export interface DrainKindReport {
  kind: DrainKind;
  /**
   * Open (requests in flight, streams, connections, sessions, calls) when intake stopped. Requests
   * pipelined on one HTTP/1.1 socket count as one (all of them are answered).
   */
  atStart: number;
  /** Ended the way their protocol ends them during the drain. */
  finished: number;
  /** Still open at the drain's limit: destroyed. */
  cut: number;
  /** Requests only: the connections open when intake stopped, busy or idle (keep-alive, half-open). */
  connections?: number;
}

export interface DrainReport {
  /** Requests being served when the server stopped accepting connections (a socket's pipelined requests count as one). */
  inFlightAtStart: number;
  /** Requests (in flight or arriving on open keep-alive sockets) that finished during the drain, counted as `inFlightAtStart` is. */
  completed: number;
  /** Everything still open when the drain's limit passed, of every kind: destroyed. */
  cut: number;
  durationMs: number;
  /** Each kind of work the drain waited for (requests, SSE streams, WebSockets…), what became of it. */
  kinds: DrainKindReport[];
}

/** A library whose work was stopped at the start of the shutdown (see the `integrations` option). */
export interface IntegrationReport {
  name: '@nestjs/schedule' | '@nestjs/bullmq';
  /** Cron jobs, intervals and timeouts stopped; queue workers closed. */
  stopped: number;
  /** Ticks or queue jobs running at the trigger. */
  inProgress: number;
  /** Of those, ended before the hooks of order >= 0 started. */
  finished: number;
  /** Of those, still running when the wait ended (drainTimeout or the deadline). */
  unfinished: number;
  /** From the trigger until the work in progress ended (or the wait did). */
  durationMs: number;
  /** What stopping it threw, if it did. */
  error?: string;
}

export interface LifecycleReport {
  /** Nest's own teardown: onModuleDestroy, beforeApplicationShutdown, dispose, onApplicationShutdown. */
  status: 'ok' | 'failed' | 'timedOut' | 'skipped';
  durationMs: number;
  error?: string;
}

export interface ShutdownReport {
  reason: string;
  outcome: ShutdownOutcome;
  /** Epoch ms at which the sequence was triggered. */
  startedAt: number;
  durationMs: number;
  hooks: HookReport[];
  /** Present when the application uses @nestjs/schedule or @nestjs/bullmq and their integration is on. */
  integrations?: IntegrationReport[];
  /** Present when the application has an HTTP server that was listening. */
  drain?: DrainReport;
  lifecycle: LifecycleReport;
  /** Names of the hooks still running when the global deadline passed. */
  runningAtDeadline: string[];
}
