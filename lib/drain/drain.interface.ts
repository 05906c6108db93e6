import type { DrainReport } from '../interfaces/shutdown-report.interface.js';

/**
 * What the run asks of the drain phase: stop intake, let the work in flight end the way its
 * protocol ends it, cut what remains at the limit. One implementation today (HTTP/1.1); each
 * protocol's drainer lives beside it in lib/drain/, in a file named after it.
 */
export interface Drain {
  /** `onStarted` is told how much is in flight once intake stopped. Undefined when there was nothing to drain. */
  drain(limitMs: number, onStarted?: (inFlight: number) => void): Promise<DrainReport | undefined>;
  /** Stops following connections: called once the run is over. */
  detach(): void;
}
