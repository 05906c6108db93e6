import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { OnShutdown, type ShutdownContext } from 'nestjs-shutdown';
import { untilAborted } from '../common/until-aborted.js';
import { FLUSH_EVERY_MS } from '../config.js';
import { Database } from '../database/database.js';
import type { Order } from './order.js';
import { insertOrders } from './orders-table.js';

/**
 * Write-behind buffer: orders are kept in memory and inserted into the `orders` table every
 * FLUSH_EVERY_MS, so requests never wait for that write. What it still holds at shutdown is what a
 * plain `process.exit()` would lose.
 */
@Injectable()
export class OrdersBuffer implements OnModuleInit {
  private readonly logger = new Logger(OrdersBuffer.name);
  private pending: Order[] = [];
  private written = 0;
  private timer?: NodeJS.Timeout;
  /** The flush in progress: flushes run one after the other, so a batch is never written twice. */
  private writing: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly db: Database) {}

  onModuleInit(): void {
    this.timer = setInterval(() => {
      this.flush().catch((error: unknown) => this.logger.error(`Periodic flush failed, will retry: ${String(error)}`));
    }, FLUSH_EVERY_MS);
  }

  add(order: Order): void {
    // The hook order makes this unreachable (the HTTP drain ends before the final flush): if it
    // ever happens, fail the caller rather than drop the order silently.
    if (this.closed) throw new Error(`OrdersBuffer is closed: order ${order.id} was not recorded`);
    this.pending.push(order);
  }

  stats(): { pending: number; written: number } {
    return { pending: this.pending.length, written: this.written };
  }

  // Order 10: after the HTTP drain, which ends the requests that add orders; before the pool (100).
  @OnShutdown(10)
  async flushOnShutdown({ signal }: ShutdownContext): Promise<void> {
    clearInterval(this.timer);
    this.closed = true;
    this.logger.log(`Final flush: ${this.pending.length} pending order(s)`);
    await untilAborted(this.flush(), signal);
    this.logger.log(`Final flush done: ${this.written} order(s) inserted since startup`);
  }

  private flush(): Promise<void> {
    const run = this.writing.then(() => this.writePending());
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0);
    try {
      await insertOrders(this.db, batch);
    } catch (error) {
      this.pending.unshift(...batch); // Kept for the next flush.
      throw error;
    }
    this.written += batch.length;
    this.logger.debug(`Flushed ${batch.length} order(s)`);
  }
}
