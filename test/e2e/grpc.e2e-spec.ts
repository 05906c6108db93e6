import { afterEach, describe, expect, it } from '@jest/globals';
import { credentials, loadPackageDefinition, status, type Client, type ServiceError } from '@grpc/grpc-js';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import { HERO_PROTO } from '../fixtures/support/hero-proto.js';
import { killLeftovers, startApp } from './support/child-app.js';
import { freePort } from '../support/ports.js';

afterEach(killLeftovers);

type HeroClient = Client & {
  Slow(request: object, callback: (error: ServiceError | null, response?: { n: number }) => void): void;
  Ticks(request: object): NodeJS.EventEmitter;
};

function heroClient(url: string): HeroClient {
  const path = join(tmpdir(), `nestjs-shutdown-hero-client-${process.pid}.proto`);
  writeFileSync(path, HERO_PROTO);
  const hero = loadPackageDefinition(loadSync(path)).hero as unknown as { HeroService: new (url: string, creds: unknown) => HeroClient };
  return new hero.HeroService(url, credentials.createInsecure());
}

/** The status a call ended with, by name. */
function unary(client: HeroClient): Promise<string> {
  return new Promise((resolve) => client.Slow({ id: 1 }, (error, response) => resolve(error ? status[error.code] : `OK ${response?.n}`)));
}

function stream(client: HeroClient): { messages: () => number; ended: Promise<string> } {
  let count = 0;
  const call = client.Ticks({ id: 1 });
  call.on('data', () => count++);
  call.on('error', () => undefined);
  const ended = new Promise<string>((resolve) => call.on('status', (end: { code: number; details: string }) => resolve(`${status[end.code]} ${end.details}`)));
  return { messages: () => count, ended };
}

describe.each([
  ['hybrid', 'hybrid', '0'],
  ['hybrid, with Nest\'s gracefulShutdown', 'hybrid', '1'],
  ['standalone', 'standalone', '0'],
])('gRPC microservice, %s', (_case, MODE, GRACEFUL) => {
  it('unary calls in flight complete; open streams end at drainTimeout with UNAVAILABLE; new calls are refused; exit 0', async () => {
    const url = `127.0.0.1:${await freePort()}`;
    const { app } = await startApp('grpc-app', { env: { MODE, GRACEFUL, GRPC_URL: url }, options: { timeout: 4_000, drainTimeout: 1_200 } });
    const client = heroClient(url);
    const calls = Array.from({ length: 5 }, () => unary(client));
    const streams = Array.from({ length: 5 }, () => stream(client));
    await app.waitFor(() => app.eventsOf('slow-start').length === 5 && app.eventsOf('stream-open').length === 5);
    app.kill();
    await app.waitFor(() => app.output.includes('Draining:'));
    const late = await unary(heroClient(url));
    expect(await Promise.all(calls)).toEqual(Array(5).fill('OK 42'));
    expect(await Promise.all(streams.map((s) => s.ended))).toEqual(Array(5).fill('UNAVAILABLE server shutting down'));
    expect(streams.every((s) => s.messages() > 0)).toBe(true);
    // A call after the drain began: refused at once, a status the client can retry elsewhere.
    expect(late).toBe('UNAVAILABLE');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(2_500);
    expect(app.output).toMatch(/10 gRPC call\(s\) at start, 5 finished, 5 cut/);
    expect(app.output).toMatch(/Nest lifecycle: ok/);
    client.close();
  });
});
