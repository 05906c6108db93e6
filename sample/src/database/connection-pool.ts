import { setTimeout as sleep } from 'node:timers/promises';
import { untilAborted } from '../common/until-aborted.js';

/** The round trip of ending one connection. */
const END_CONNECTION_MS = 60;

/**
 * Stands in for a driver's pool (pg, mysql2…): a fixed set of connections, one query at a time on
 * each, callers queueing when all are busy. Closing refuses new work, lets busy connections finish
 * their query, then ends every connection.
 */
export class ConnectionPool {
  private readonly idle: number[];
  private readonly busy = new Set<number>();
  private readonly queued: Array<{ resolve(id: number): void; reject(error: Error): void }> = [];
  private onAllIdle?: () => void;
  private closing = false;

  constructor(readonly size: number) {
    this.idle = Array.from({ length: size }, (_, index) => index + 1);
  }

  get busyCount(): number {
    return this.busy.size;
  }

  /** Runs `work` holding a connection; `label` names the work in errors. */
  async run<T>(label: string, work: () => Promise<T>): Promise<T> {
    const id = await this.acquire(label);
    try {
      return await work();
    } finally {
      this.release(id);
    }
  }

  /** Resolves to the number of connections ended; rejects if `signal` aborts first. */
  async close(signal: AbortSignal): Promise<number> {
    this.closing = true;
    for (const caller of this.queued.splice(0)) caller.reject(new Error('the connection pool is closing'));
    if (this.busy.size > 0) {
      await untilAborted(new Promise<void>((resolve) => (this.onAllIdle = resolve)), signal);
    }
    const connections = this.idle.splice(0);
    for (const id of connections) await this.end(id, signal);
    return connections.length;
  }

  private acquire(label: string): Promise<number> {
    if (this.closing) return Promise.reject(new Error(`${label}: the connection pool is closing`));
    const id = this.idle.pop();
    if (id === undefined) return new Promise((resolve, reject) => this.queued.push({ resolve, reject }));
    this.busy.add(id);
    return Promise.resolve(id);
  }

  /** A real driver would send its terminate message on connection `id` here. */
  private async end(_id: number, signal: AbortSignal): Promise<void> {
    await sleep(END_CONNECTION_MS, undefined, { signal });
  }

  private release(id: number): void {
    // Handed straight to the next caller in line: it stays busy.
    const next = this.queued.shift();
    if (next) return next.resolve(id);
    this.busy.delete(id);
    this.idle.push(id);
    if (this.busy.size === 0) this.onAllIdle?.();
  }
}
