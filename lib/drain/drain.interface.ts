import type { DrainKind, DrainReport } from '../interfaces/shutdown-report.interface.js';

/**
 * What the run asks of the drain phase: stop intake, let the work in flight end the way its
 * protocol ends it, cut what remains at the limit.
 */
export interface Drain {
  /** `onStarted` is told what is in flight once intake stopped. Undefined when there was nothing to drain. */
  drain(limitMs: number, onStarted?: (inFlight: DrainCount[]) => void): Promise<DrainReport | undefined>;
  /** Stops following connections: called once the run is over. */
  detach(): void;
}

export interface DrainCount {
  kind: DrainKind;
  count: number;
  /** HTTP/1.1: the connections open when intake stopped, busy or not (keep-alive, half-open). */
  connections?: number;
}

/**
 * One protocol's part of the drain, in a file named after it (http1-drainer, websocket-drainer…).
 * `begin()` stops that protocol's intake and starts each goodbye (a close frame, a GOAWAY, the end
 * of a stream); `cut()` destroys what is left at the limit.
 */
export interface ProtocolDrainer {
  readonly kind: DrainKind;
  /** False when this drainer has nothing to drain (its server is not listening, say): left out of the report. */
  readonly active: boolean;
  /** Returns how many were open, and a promise settled once none is left. */
  begin(): { atStart: number; done: Promise<void>; connections?: number };
  /** How many ended by themselves since `begin()`. */
  readonly finished: number;
  /** Destroys what is left; returns how many. */
  cut(): number;
  /** Stops following: the run is over. */
  detach(): void;
}
