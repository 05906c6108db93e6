import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OnShutdown, type ShutdownContext } from 'nestjs-shutdown';
import { FLUSH_EVERY_MS, ORDERS_FILE } from '../config.js';
import type { Order } from './order.js';

/**
 * Write-behind buffer: orders are kept in memory and appended to a JSON-lines file every
 * FLUSH_EVERY_MS, so requests never wait for the disk. What it still holds at shutdown is what a
 * plain `process.exit()` would lose.
 */
@Injectable()
export class OrdersBuffer implements OnModuleInit {
  private readonly logger = new Logger(OrdersBuffer.name);
  private pending: Order[] = [];
  private written = 0;
  private timer?: NodeJS.Timeout;
  /** The flush in progress: flushes run one after the other, never interleaving lines. */
  private writing: Promise<unknown> = Promise.resolve();
  private closed = false;

  async onModuleInit(): Promise<void> {
    await mkdir(dirname(ORDERS_FILE), { recursive: true });
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) => this.logger.error(`Periodic flush failed, will retry: ${String(error)}`));
    }, FLUSH_EVERY_MS);
  }

  add(order: Order): void {
    // The hook order makes this unreachable (producers stop before the final flush): if it ever
    // happens, fail the caller rather than drop the order silently.
    if (this.closed) throw new Error(`OrdersBuffer is closed: order ${order.id} was not recorded`);
    this.pending.push(order);
  }

  stats(): { pending: number; written: number; file: string } {
    return { pending: this.pending.length, written: this.written, file: ORDERS_FILE };
  }

  // Order 10: after the HTTP drain and the jobs consumer, the two producers of orders.
  @OnShutdown(10)
  async flushOnShutdown({ signal }: ShutdownContext): Promise<void> {
    clearInterval(this.timer);
    this.closed = true;
    this.logger.log(`Final flush: ${this.pending.length} pending order(s)`);
    await this.flush(signal);
    this.logger.log(`Final flush done: ${this.written} order(s) written to ${ORDERS_FILE} since startup`);
  }

  private flush(signal?: AbortSignal): Promise<void> {
    const run = this.writing.then(() => this.writePending(signal));
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async writePending(signal?: AbortSignal): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0);
    try {
      await writeFile(ORDERS_FILE, batch.map((order) => `${JSON.stringify(order)}\n`).join(''), { flag: 'a', signal });
    } catch (error) {
      this.pending.unshift(...batch); // Kept for the next flush; an aborted write may have written part of it.
      throw error;
    }
    this.written += batch.length;
    this.logger.debug(`Flushed ${batch.length} order(s)`);
  }
}
