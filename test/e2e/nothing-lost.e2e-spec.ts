import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildApp, killLeftovers } from './support/child-app.js';

afterEach(killLeftovers);

const WRITERS = 8;

/** POSTs one order; resolves to its id when acknowledged with 2xx, undefined otherwise, rejects on a socket error. */
function placeOrder(port: number, agent: Agent, item: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ item, quantity: 1 });
    const req = request(
      { host: '127.0.0.1', port, path: '/orders', method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve(response.statusCode! < 300 ? (JSON.parse(text).id as string) : undefined));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('nothing acknowledged is lost', () => {
  it.each([1, 2, 3])('run %i: every order answered 2xx during a SIGTERM under load is in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nothing-lost-'));
    const file = join(dir, 'orders.jsonl');
    const app = new ChildApp('sample/src/main.js', { PORT: '0', ORDERS_FILE: file, PLACE_ORDER_MS: '40' });
    const port = Number((await app.waitFor(() => /Listening on http:\/\/\S+:(\d+)/.exec(app.output) ?? undefined))[1]);

    const acknowledged: string[] = [];
    let refused = 0;
    let stop = false;
    const agent = new Agent({ keepAlive: true, maxSockets: WRITERS });
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        try {
          const id = await placeOrder(port, agent, `w${w}-${n}`);
          if (id) acknowledged.push(id);
        } catch {
          // The server is gone (drained, closed): this order was never acknowledged.
          refused++;
          if (app.eventsOf('exit').length > 0 || refused > 200) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    };
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await new Promise((resolve) => setTimeout(resolve, 800));
    const beforeSignal = acknowledged.length;
    app.kill();
    const exit = await app.exited;
    stop = true;
    await Promise.all(writers);
    agent.destroy();

    const stored = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; source: string })
      .filter((order) => order.source === 'http')
      .map((order) => order.id);
    rmSync(dir, { recursive: true, force: true });

    expect(exit.code).toBe(0);
    expect(beforeSignal).toBeGreaterThan(20);
    expect(acknowledged.length).toBeGreaterThan(beforeSignal);
    expect(new Set(stored)).toEqual(new Set(acknowledged));
    expect(stored).toHaveLength(acknowledged.length);
  }, 30_000);
});
