import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** JSON-lines file OrdersBuffer appends to; the demo points it at a fresh directory. */
export const ORDERS_FILE = process.env.ORDERS_FILE ?? join(tmpdir(), 'nestjs-shutdown-sample', 'orders.jsonl');

/** How often OrdersBuffer writes what it holds: the orders a crash would lose at most. */
export const FLUSH_EVERY_MS = 1_000;

/** Reserving stock for a customer's order is a slow transaction: the request a shutdown must not cut. */
export const PLACE_ORDER_MS = 1_500;

/** Marketplace orders arrive paid and reserved: recording one is quick. */
export const IMPORT_ORDER_MS = 300;

export const JOBS_POLL_EVERY_MS = 250;

export const DB_POOL_SIZE = 4;
