import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { OnShutdown, type ShutdownContext } from 'nestjs-shutdown';
import { untilAborted } from '../common/until-aborted.js';
import { JOBS_BATCH_SIZE, JOBS_POLL_EVERY_MS } from '../config.js';
import { Database } from '../database/database.js';
import type { Order } from '../orders/order.js';
import { insertOrders } from '../orders/orders-table.js';

interface InboxRow {
  id: string;
  item: string;
  quantity: number;
  received_at: Date;
}

/**
 * Imports the marketplace's orders from the inbox table. A batch is claimed, imported and removed
 * in one transaction: a crash in between leaves it in the inbox, never half imported. `SKIP LOCKED`
 * lets several instances poll at once, each claiming rows the others have not locked.
 */
@Injectable()
export class JobsConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobsConsumer.name);
  private timer?: NodeJS.Timeout;
  private current?: Promise<void>;
  private imported = 0;

  constructor(private readonly db: Database) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.poll(), JOBS_POLL_EVERY_MS);
  }

  // Negative order: runs at the very start of the shutdown, so no batch is claimed while requests
  // drain, and the batch in progress commits while the pool (order 100) is still open.
  @OnShutdown(-10)
  async stop({ signal }: ShutdownContext): Promise<void> {
    clearInterval(this.timer);
    const current = this.current;
    this.logger.log(current ? 'Stopping: waiting for the batch in progress' : 'Stopping: idle');
    if (current) await untilAborted(current, signal);
    this.logger.log(`Stopped after importing ${this.imported} marketplace order(s)`);
  }

  private poll(): void {
    if (this.current) return;
    this.current = this.importBatch()
      .catch((error: unknown) => {
        // Rolled back: the rows are still in the inbox for the next poll.
        this.logger.error(`Import failed, will retry: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => (this.current = undefined));
  }

  private async importBatch(): Promise<void> {
    const count = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<InboxRow>(
        'SELECT id, item, quantity, received_at FROM marketplace_inbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [JOBS_BATCH_SIZE],
      );
      if (rows.length === 0) return 0;
      const orders: Order[] = rows.map((row) => ({
        id: `mkt-${row.id}`,
        source: 'marketplace',
        item: row.item,
        quantity: row.quantity,
        placedAt: row.received_at.toISOString(),
      }));
      await insertOrders(tx, orders);
      await tx.query('DELETE FROM marketplace_inbox WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      return rows.length;
    });
    if (count === 0) return;
    this.imported += count;
    this.logger.log(`Imported ${count} marketplace order(s)`);
  }
}
