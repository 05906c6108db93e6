import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { DATABASE_URL, EMBEDDED_DB_DIR } from '../src/config.js';

export interface StoredOrder {
  id: string;
  source: string;
  item: string;
  quantity: number;
}

/** What the database holds of one run, read after the app exited. */
export interface StoredRows {
  /** Where they were read from. */
  database: string;
  orders: StoredOrder[];
  /** Ids of marketplace orders received but not imported yet. */
  inbox: string[];
}

type Query = (sql: string, values: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * The orders placed and the inbox rows received since `since`: from DATABASE_URL's server, or
 * from the embedded database's data directory, opened again now that the app has closed it.
 */
export async function readBack(since: Date): Promise<StoredRows> {
  if (DATABASE_URL) {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const { host, port, pathname } = new URL(DATABASE_URL);
      const rows = (sql: string, values: unknown[]) => client.query(sql, values).then((result) => result.rows);
      return await readRows(rows, `the server at DATABASE_URL (${host}${port ? `:${port}` : ''}${pathname})`);
    } finally {
      await client.end();
    }
  }
  const db = await PGlite.create(EMBEDDED_DB_DIR);
  try {
    return await readRows(
      (sql, values) => db.query<Record<string, unknown>>(sql, values).then((result) => result.rows),
      `the embedded database in ${EMBEDDED_DB_DIR}`,
    );
  } finally {
    await db.close();
  }

  async function readRows(query: Query, database: string): Promise<StoredRows> {
    const orders = await query(
      'SELECT id, source, item, quantity FROM orders WHERE placed_at >= $1 ORDER BY placed_at, id',
      [since],
    );
    const inbox = await query('SELECT id::text AS id FROM marketplace_inbox WHERE received_at >= $1 ORDER BY id', [
      since,
    ]);
    return { database, orders: orders as unknown as StoredOrder[], inbox: inbox.map((row) => String(row.id)) };
  }
}
