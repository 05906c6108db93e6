import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { within } from './wait.js';

/** One kind of request the load sends, over its own keep-alive connections. */
export interface LoadStream {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  /**
   * Requests per second over all of the stream's connections. Without it, each connection sends its
   * next request as soon as it has the answer to the previous one.
   */
  rate?: number;
  /**
   * Split the stream into this many autocannon runs, started 1000 / staggered ms apart (default 1).
   * autocannon's rate limit lets each connection send its whole quota for a second at once, then
   * wait for the next second: staggering spreads those bursts over the second, for a steadier rate.
   */
  staggered?: number;
}

/** What happened to the requests sent. Every request sent ends up in exactly one of the buckets. */
export interface LoadCounts {
  sent: number;
  /** Answers received, whatever their status. */
  responses: number;
  status2xx: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Requests that failed with a socket error (ECONNRESET, ECONNREFUSED, EPIPE…). */
  errors: number;
  errorCodes: Record<string, number>;
  /** Requests without an answer after autocannon's timeout. */
  timeouts: number;
  /**
   * Requests outstanding when the other end closed the connection cleanly, without an answer.
   * autocannon reconnects silently then, counting neither an error nor a timeout: counted here.
   */
  lost: number;
  /** Of `lost`: the last answer on that connection carried `Connection: close` (autocannon ignores it). */
  lostAfterConnectionClose: number;
  /** Requests still waiting for their answer when the load was stopped: neither answered nor failed. */
  inFlightAtStop: number;
  /** sent minus every bucket above: 0 unless the accounting missed something. */
  unaccounted: number;
  /** The first failed requests (FAILURES_KEPT at most), in the order they happened. */
  failures: FailureRecord[];
}

export interface FailureRecord {
  /** ms from the start of the load. */
  atMs: number;
  stream: string;
  kind: 'non-2xx' | 'error' | 'timeout' | 'lost';
  /** Status code, error code, or what the connection had said. */
  detail: string;
}

const FAILURES_KEPT = 50;

export interface LoadResult {
  durationMs: number;
  total: LoadCounts;
  streams: Record<string, LoadCounts>;
  /** autocannon's own totals, for comparison (it does not see `lost` requests). */
  autocannon: { '2xx': number; non2xx: number; errors: number; timeouts: number };
}

/** The part of autocannon's internal HTTP client (autocannon 8) that the accounting relies on. */
interface AutocannonClient extends EventEmitter {
  conn: Socket;
  destroyed: boolean;
  pipelinedRequests: { size(): number; clear(): void };
  _connect(): void;
  destroy(): void;
}

interface AutocannonRunResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface AutocannonRun extends EventEmitter, PromiseLike<AutocannonRunResult> {
  stop(): void;
}

type Autocannon = (options: Record<string, unknown>) => AutocannonRun;

// autocannon is CommonJS without type declarations.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export function emptyCounts(): LoadCounts {
  return {
    sent: 0,
    responses: 0,
    status2xx: 0,
    non2xx: 0,
    statusCodes: {},
    errors: 0,
    errorCodes: {},
    timeouts: 0,
    lost: 0,
    lostAfterConnectionClose: 0,
    inFlightAtStop: 0,
    unaccounted: 0,
    failures: [],
  };
}

export function addCounts(into: LoadCounts, from: LoadCounts): LoadCounts {
  for (const key of ['sent', 'responses', 'status2xx', 'non2xx', 'errors', 'timeouts', 'lost', 'lostAfterConnectionClose', 'inFlightAtStop'] as const) {
    into[key] += from[key];
  }
  for (const [code, n] of Object.entries(from.statusCodes)) into.statusCodes[code] = (into.statusCodes[code] ?? 0) + n;
  for (const [code, n] of Object.entries(from.errorCodes)) into.errorCodes[code] = (into.errorCodes[code] ?? 0) + n;
  into.failures = [...into.failures, ...from.failures].sort((a, b) => a.atMs - b.atMs).slice(0, FAILURES_KEPT);
  into.unaccounted = into.sent - into.responses - into.errors - into.timeouts - into.lost - into.inFlightAtStop;
  return into;
}

/** Failed requests: errors, timeouts, lost requests and non-2xx answers. */
export function failedRequests(counts: LoadCounts): number {
  return counts.errors + counts.timeouts + counts.lost + counts.non2xx;
}

/** autocannon runs against one base URL, stopped together. */
export class Load {
  private readonly runs: Array<Promise<AutocannonRunResult>> = [];
  private readonly trackers: AutocannonRun[] = [];
  private readonly pendingStarts = new Set<NodeJS.Timeout>();
  private readonly counts = new Map<string, LoadCounts>();
  private readonly sendWaiters = new Map<string, Set<() => void>>();
  /** performance.now() when the load started: the origin of FailureRecord.atMs. */
  readonly startedAt = performance.now();
  private result?: Promise<LoadResult>;

  /** `maxDurationS` bounds every run even if `stop()` is never called. */
  constructor(baseUrl: string, streams: readonly LoadStream[], maxDurationS: number) {
    for (const stream of streams) {
      const counts = emptyCounts();
      this.counts.set(stream.name, counts);
      const waiters = new Set<() => void>();
      this.sendWaiters.set(stream.name, waiters);
      const onSent = () => {
        for (const wake of waiters) wake();
        waiters.clear();
      };
      const parts = Math.max(1, Math.min(stream.staggered ?? 1, stream.connections));
      for (let part = 0; part < parts; part++) {
        const options = {
          url: baseUrl + stream.path,
          method: stream.method ?? 'GET',
          ...(stream.body === undefined ? {} : { body: stream.body }),
          headers: stream.headers ?? {},
          connections: share(stream.connections, parts, part),
          ...(stream.rate === undefined ? {} : { overallRate: Math.max(1, share(stream.rate, parts, part)) }),
          pipelining: 1,
          timeout: 10,
          duration: maxDurationS,
          // How often autocannon looks at its stop flag: stop() takes effect within this.
          sampleInt: 100,
          setupClient: (client: AutocannonClient) => instrument(client, counts, stream.name, this.startedAt, onSent),
        };
        const begin = () => {
          const tracker = autocannon(options);
          this.trackers.push(tracker);
          this.runs.push(Promise.resolve(tracker));
        };
        if (part === 0) begin();
        else {
          const timer = setTimeout(() => {
            this.pendingStarts.delete(timer);
            begin();
          }, Math.round((part * 1000) / parts));
          this.pendingStarts.add(timer);
        }
      }
    }
  }

  /** Resolves when `stream` next sends a request; rejects after `timeoutMs`. */
  nextRequestOf(stream: string, timeoutMs: number): Promise<void> {
    const waiters = this.sendWaiters.get(stream);
    if (!waiters) return Promise.reject(new Error(`no load stream named "${stream}"`));
    let wake!: () => void;
    const sent = new Promise<void>((resolve) => (wake = resolve));
    waiters.add(wake);
    return within(`a request of ${stream}`, sent, timeoutMs).finally(() => waiters.delete(wake));
  }

  /** Stops every run (bounded wait) and sums up; calling it again returns the same result. */
  stop(): Promise<LoadResult> {
    this.result ??= this.finish();
    return this.result;
  }

  private async finish(): Promise<LoadResult> {
    for (const timer of this.pendingStarts) clearTimeout(timer);
    this.pendingStarts.clear();
    for (const tracker of this.trackers) tracker.stop();
    const results = await within('the load generator to stop', Promise.all(this.runs), 5_000);
    const durationMs = Math.round(performance.now() - this.startedAt);
    const total = emptyCounts();
    const streams: Record<string, LoadCounts> = {};
    for (const [name, counts] of this.counts) {
      streams[name] = addCounts(emptyCounts(), counts);
      addCounts(total, counts);
    }
    const autocannonTotals = { '2xx': 0, non2xx: 0, errors: 0, timeouts: 0 };
    for (const result of results) {
      autocannonTotals['2xx'] += result['2xx'];
      autocannonTotals.non2xx += result.non2xx;
      autocannonTotals.errors += result.errors;
      autocannonTotals.timeouts += result.timeouts;
    }
    return { durationMs, total, streams, autocannon: autocannonTotals };
  }
}

/** Part `index` of `total` split in `parts` near-equal integers. */
function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/**
 * Counts every request of one autocannon client into exactly one bucket. autocannon (8.0.0) drops
 * a request silently when the server closes the connection without answering it, and it keeps the
 * unanswered request queued after a socket error; both are handled here on the client's socket.
 */
function instrument(client: AutocannonClient, counts: LoadCounts, stream: string, startedAt: number, onSent: () => void): void {
  let lastAnswerClosed = false;
  const failure = (kind: FailureRecord['kind'], detail: string, times = 1) => {
    for (let i = 0; i < times && counts.failures.length < FAILURES_KEPT; i++) {
      counts.failures.push({ atMs: Math.round(performance.now() - startedAt), stream, kind, detail });
    }
  };
  client.on('request', () => {
    counts.sent++;
    onSent();
  });
  client.on('headers', (info: { headers?: string[] }) => {
    lastAnswerClosed = saysConnectionClose(info.headers ?? []);
  });
  client.on('response', (status: number) => {
    counts.responses++;
    if (status >= 200 && status < 300) counts.status2xx++;
    else {
      counts.non2xx++;
      failure('non-2xx', String(status));
    }
    counts.statusCodes[status] = (counts.statusCodes[status] ?? 0) + 1;
  });
  client.on('timeout', () => {
    counts.timeouts++;
    failure('timeout', 'no answer in time');
  });

  const connect = client._connect;
  client._connect = function (this: AutocannonClient) {
    connect.call(this);
    const socket = this.conn;
    lastAnswerClosed = false;
    // Prepended: they run before autocannon's own listeners, which reconnect and send at once.
    socket.prependListener('end', () => {
      if (this.conn !== socket || this.destroyed) return;
      const unanswered = this.pipelinedRequests.size();
      if (unanswered === 0) return;
      counts.lost += unanswered;
      if (lastAnswerClosed) counts.lostAfterConnectionClose += unanswered;
      failure('lost', lastAnswerClosed ? 'closed after an answer with Connection: close' : 'connection closed without an answer', unanswered);
      this.pipelinedRequests.clear();
    });
    socket.prependListener('error', (error: NodeJS.ErrnoException) => {
      if (this.conn !== socket || this.destroyed) return;
      const unanswered = this.pipelinedRequests.size();
      if (unanswered === 0) return;
      const code = error.code ?? error.message;
      counts.errors += unanswered;
      counts.errorCodes[code] = (counts.errorCodes[code] ?? 0) + unanswered;
      failure('error', code, unanswered);
      this.pipelinedRequests.clear();
    });
  };

  const destroy = client.destroy;
  client.destroy = function (this: AutocannonClient) {
    if (!this.destroyed) counts.inFlightAtStop += this.pipelinedRequests.size();
    destroy.call(this);
  };
}

function saysConnectionClose(rawHeaders: string[]): boolean {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'connection' && /\bclose\b/i.test(rawHeaders[i + 1])) return true;
  }
  return false;
}
