import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The PostgreSQL server to use, e.g. `postgres://app:secret@db.internal:5432/shop`. Unset: the app
 * starts an embedded one (PGlite) itself, so that it runs with nothing installed.
 */
export const DATABASE_URL = process.env.DATABASE_URL || undefined;

/** Where the embedded PostgreSQL keeps its data: kept between runs, so only the first start creates it. */
export const EMBEDDED_DB_DIR = process.env.EMBEDDED_DB_DIR ?? join(tmpdir(), 'nestjs-shutdown-sample', 'pglite');

/** Connections in the pool. The embedded server is started to accept exactly this many. */
export const DB_POOL_SIZE = 4;

/** How often OrdersBuffer writes what it holds: the orders a crash would lose at most. */
export const FLUSH_EVERY_MS = 1_000;

/** The payment provider takes this long to authorise a card: the request a shutdown must not cut. */
export const PLACE_ORDER_MS = Number(process.env.PLACE_ORDER_MS ?? 1_500);

/** How often the jobs consumer looks for marketplace orders in the inbox, and how many it claims at once. */
export const JOBS_POLL_EVERY_MS = 250;
export const JOBS_BATCH_SIZE = 10;

/**
 * How long the app keeps serving after its readiness route turned 503, so that the load balancer
 * stops routing to it before it drains. 0 locally; the Kubernetes manifest sets it.
 */
export const PRE_STOP_DELAY_MS = Number(process.env.PRE_STOP_DELAY_MS ?? 0);

/** Global shutdown deadline: inside `docker stop`'s 10 s; the manifest's grace period is larger. */
export const SHUTDOWN_TIMEOUT_MS = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 8_000);
