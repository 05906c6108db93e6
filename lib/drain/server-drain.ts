import type { DrainKind, DrainKindReport, DrainReport } from '../interfaces/shutdown-report.interface.js';
import type { Drain, DrainCount, ProtocolDrainer } from './drain.interface.js';

/** After a cut, at most this long for the goodbyes it wrote to leave (counted in the drain's duration). */
const CUT_FLUSH_MS = 100;

const KIND_ORDER: readonly DrainKind[] = ['requests', 'sse', 'websockets', 'socket.io', 'http2', 'grpc'];

/**
 * The drain phase of an application: every protocol's drainer begins at once (so that a
 * WebSocket's close frame goes out while HTTP requests finish), the phase ends when all are done
 * or at the limit, when each cuts what it has left, and the report says what became of each kind.
 */
export class ServerDrain implements Drain {
  /** `drainers` in the order they begin and cut: those riding on another's connections first. */
  constructor(private readonly drainers: readonly ProtocolDrainer[]) {}

  async drain(limitMs: number, onStarted?: (inFlight: DrainCount[]) => void): Promise<DrainReport | undefined> {
    const active = this.drainers.filter((drainer) => drainer.active);
    if (active.length === 0) return undefined;
    const startedAt = performance.now();
    const begun = active.map((drainer) => ({ drainer, ...drainer.begin() }));
    // Reported in one order whatever the order of beginning: requests first.
    begun.sort((a, b) => KIND_ORDER.indexOf(a.drainer.kind) - KIND_ORDER.indexOf(b.drainer.kind));
    onStarted?.(begun.map(({ drainer, atStart, connections }) => ({ kind: drainer.kind, count: atStart, ...(connections === undefined ? {} : { connections }) })));

    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<'limit'>((resolve) => (timer = setTimeout(() => resolve('limit'), limitMs)));
    const allDone = Promise.all(begun.map(({ done }) => done)).then(() => undefined);
    const winner = await Promise.race([allDone.then(() => 'done' as const), limit]);
    clearTimeout(timer);
    // Cut in the order they began: those riding on another's connections before that one.
    const cuts = new Map(active.map((drainer) => [drainer, winner === 'limit' ? drainer.cut() : 0]));
    if (winner === 'limit') {
      // What a cut writes (a gRPC status, say) goes out before Nest's close destroys the connections.
      let flushTimer: NodeJS.Timeout | undefined;
      await Promise.race([allDone, new Promise<void>((resolve) => (flushTimer = setTimeout(resolve, CUT_FLUSH_MS)))]);
      clearTimeout(flushTimer);
    }
    const kinds: DrainKindReport[] = begun.map(({ drainer, atStart, connections }) => ({
      kind: drainer.kind,
      atStart,
      finished: drainer.finished,
      cut: cuts.get(drainer) ?? 0,
      ...(connections === undefined ? {} : { connections }),
    }));
    const requests = kinds.find((report) => report.kind === 'requests');
    return {
      inFlightAtStart: requests?.atStart ?? 0,
      completed: requests?.finished ?? 0,
      cut: kinds.reduce((sum, report) => sum + report.cut, 0),
      durationMs: Math.round(performance.now() - startedAt),
      kinds,
    };
  }

  detach(): void {
    for (const drainer of this.drainers) drainer.detach();
  }
}
