import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** JSON-lines file OrdersBuffer appends to; the demo points it at a fresh directory. */
export const ORDERS_FILE = process.env.ORDERS_FILE ?? join(tmpdir(), 'nestjs-shutdown-sample', 'orders.jsonl');

/** How often OrdersBuffer writes what it holds: the orders a crash would lose at most. */
export const FLUSH_EVERY_MS = 1_000;

/** Reserving stock for a customer's order is a slow transaction: the request a shutdown must not cut. */
export const PLACE_ORDER_MS = Number(process.env.PLACE_ORDER_MS ?? 1_500);

/** Marketplace orders arrive paid and reserved: recording one is quick. */
export const IMPORT_ORDER_MS = 300;

export const JOBS_POLL_EVERY_MS = 250;

export const DB_POOL_SIZE = 4;

/**
 * How long the app keeps serving after its readiness route turned 503, so that the load balancer
 * stops routing to it before it drains. 0 locally; the Kubernetes manifest sets it.
 */
export const PRE_STOP_DELAY_MS = Number(process.env.PRE_STOP_DELAY_MS ?? 0);

/** Global shutdown deadline: inside `docker stop`'s 10 s; the manifest's grace period is larger. */
export const SHUTDOWN_TIMEOUT_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 8_000);
