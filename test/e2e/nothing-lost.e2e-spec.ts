import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type PostgresServer } from '../support/postgres/postgres-server.js';
import { readRowsFromDataDir, readRowsFromServer, type SampleRows } from '../support/postgres/read-rows.js';
import { ChildApp, killLeftovers } from './support/child-app.js';

afterEach(killLeftovers);

const CUSTOMERS = 8;
const MARKETPLACE_SENDERS = 2;
const ITEMS = ['kettle', 'teapot', 'mug', 'tray'];

/** POSTs one order; resolves to the id it was acknowledged with (2xx), undefined otherwise; rejects on a socket error. */
function post(port: number, agent: Agent, path: string, item: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ item, quantity: 1 });
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode! >= 300) return resolve(undefined);
          const answer = JSON.parse(text) as { id?: string; inboxId?: string };
          resolve(answer.id ?? answer.inboxId);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Outcome {
  exitCode: number | null;
  beforeSignal: number;
  /** Customers' orders answered 200, by id. */
  orders: string[];
  /** Marketplace orders answered 202, by inbox id. */
  inbox: string[];
  rows: SampleRows;
}

/**
 * Customers and the marketplace send orders under load; SIGTERM arrives in the middle; once the
 * app exited, the database is read back.
 */
async function sigtermUnderLoad(env: Record<string, string>, readRows: () => Promise<SampleRows>): Promise<Outcome> {
  const app = new ChildApp('sample/src/main.js', { PORT: '0', PLACE_ORDER_MS: '40', ...env });
  const listening = await app.waitFor(() => /Listening on http:\/\/\S+:(\d+)/.exec(app.output) ?? undefined, { timeoutMs: 30_000, what: 'the sample to listen' });
  const port = Number(listening[1]);

  const orders: string[] = [];
  const inbox: string[] = [];
  let stop = false;
  const agent = new Agent({ keepAlive: true, maxSockets: CUSTOMERS + MARKETPLACE_SENDERS });
  const sender = async (path: string, acknowledged: string[], pauseMs: number, w: number) => {
    let refused = 0;
    for (let n = 0; !stop; n++) {
      try {
        const id = await post(port, agent, path, ITEMS[(w + n) % ITEMS.length]);
        if (id) acknowledged.push(id);
        if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      } catch {
        // The server is gone (drained, closed): this order was never acknowledged.
        refused++;
        if (app.eventsOf('exit').length > 0 || refused > 200) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const senders = [
    ...Array.from({ length: CUSTOMERS }, (_, w) => sender('/orders', orders, 0, w)),
    ...Array.from({ length: MARKETPLACE_SENDERS }, (_, w) => sender('/marketplace/orders', inbox, 30, w)),
  ];
  await new Promise((resolve) => setTimeout(resolve, 800));
  const beforeSignal = orders.length;
  app.kill();
  const exit = await app.exited;
  stop = true;
  await Promise.all(senders);
  agent.destroy();
  if (exit.code !== 0) throw new Error(`the app exited with ${JSON.stringify(exit)}:\n${app.output}`);
  return { exitCode: exit.code, beforeSignal, orders, inbox, rows: await readRows() };
}

function expectNothingLost({ exitCode, beforeSignal, orders, inbox, rows }: Outcome): void {
  expect(exitCode).toBe(0);
  expect(beforeSignal).toBeGreaterThan(20);
  expect(orders.length).toBeGreaterThan(beforeSignal);
  expect(inbox.length).toBeGreaterThan(0);

  const stored = rows.orders.filter((order) => order.source === 'http').map((order) => order.id);
  expect(new Set(stored)).toEqual(new Set(orders));
  expect(stored).toHaveLength(orders.length);

  // Each acknowledged marketplace order was imported (as mkt-<inbox id>) or still waits in the inbox: not both.
  const imported = rows.orders.filter((order) => order.source === 'marketplace').map((order) => order.id.slice(4));
  expect(new Set([...imported, ...rows.inbox])).toEqual(new Set(inbox));
  expect(imported.length + rows.inbox.length).toBe(inbox.length);
}

describe('nothing acknowledged is lost', () => {
  describe('on the embedded PostgreSQL (PGlite)', () => {
    it.each([1, 2, 3])('run %i: every order acknowledged during a SIGTERM under load is a row', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'nothing-lost-'));
      try {
        const outcome = await sigtermUnderLoad({ DATABASE_URL: '', EMBEDDED_DB_DIR: dataDir }, () =>
          readRowsFromDataDir(dataDir),
        );
        console.log(`embedded: ${outcome.orders.length} orders and ${outcome.inbox.length} marketplace orders acknowledged, ${outcome.rows.orders.length} order rows, ${outcome.rows.inbox.length} left in the inbox`);
        expectNothingLost(outcome);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 60_000);
  });

  describe('on a PostgreSQL server', () => {
    let server: PostgresServer;
    beforeAll(async () => {
      server = await startPostgres();
    }, 90_000);
    afterAll(() => server?.stop(), 30_000);

    it('every order acknowledged during a SIGTERM under load is a row', async () => {
      const outcome = await sigtermUnderLoad({ DATABASE_URL: server.url }, () => readRowsFromServer(server.url));
      console.log(`postgres ${server.version}: ${outcome.orders.length} orders and ${outcome.inbox.length} marketplace orders acknowledged, ${outcome.rows.orders.length} order rows, ${outcome.rows.inbox.length} left in the inbox`);
      expectNothingLost(outcome);
    }, 60_000);
  });
});
