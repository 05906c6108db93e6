import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** What the sample's tables hold: orders by source, and the inbox rows not imported yet. */
export interface SampleRows {
  orders: Array<{ id: string; source: string }>;
  inbox: string[];
}

const ORDERS = 'SELECT id, source FROM orders';
const INBOX = 'SELECT id::text AS id FROM marketplace_inbox';

/** Reads the sample's tables from a server, once the app is gone. */
export async function readRowsFromServer(url: string): Promise<SampleRows> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const orders = (await client.query<{ id: string; source: string }>(ORDERS)).rows;
    const inbox = (await client.query<{ id: string }>(INBOX)).rows.map((row) => row.id);
    return { orders, inbox };
  } finally {
    await client.end();
  }
}

/** Reads the sample's tables from the embedded database's data directory, once the app closed it. */
export async function readRowsFromDataDir(dataDir: string): Promise<SampleRows> {
  const db = await PGlite.create(dataDir);
  try {
    const orders = (await db.query<{ id: string; source: string }>(ORDERS)).rows;
    const inbox = (await db.query<{ id: string }>(INBOX)).rows.map((row) => row.id);
    return { orders, inbox };
  } finally {
    await db.close();
  }
}
