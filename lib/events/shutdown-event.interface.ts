import type { DrainReport, HookReport, ShutdownReport } from '../interfaces/shutdown-report.interface.js';

/** What a ShutdownEventListener hears, in this order: for metrics, traces, audit logs. */
export type ShutdownEvent =
  | { type: 'shutdown.started'; reason: string; deadline: number }
  | { type: 'hook.started'; name: string; order: number }
  | { type: 'hook.finished'; hook: HookReport }
  | { type: 'drain.finished'; drain: DrainReport }
  | { type: 'shutdown.finished'; report: ShutdownReport };

/**
 * Implement it on any singleton provider to hear the sequence, as Nest's lifecycle interfaces
 * work: no decorator, no registration. Called synchronously; a returned promise is not awaited
 * (a listener must not delay the shutdown) and what it throws or rejects with is logged.
 */
export interface ShutdownEventListener {
  onShutdownEvent(event: ShutdownEvent): void | Promise<void>;
}
