import type { Queryable } from '../database/database.js';
import type { Order } from './order.js';

/**
 * Inserts `orders` in one statement, whatever their number. An order already there is skipped: a
 * retried batch whose first attempt did reach the database is not refused for duplicate keys.
 */
export async function insertOrders(db: Queryable, orders: readonly Order[]): Promise<void> {
  if (orders.length === 0) return;
  await db.query(
    `INSERT INTO orders (id, source, item, quantity, placed_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::timestamptz[])
     ON CONFLICT (id) DO NOTHING`,
    [
      orders.map((order) => order.id),
      orders.map((order) => order.source),
      orders.map((order) => order.item),
      orders.map((order) => order.quantity),
      orders.map((order) => order.placedAt),
    ],
  );
}
