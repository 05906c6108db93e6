import { afterEach, describe, expect, it } from '@jest/globals';
import { get } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { killLeftovers, startApp } from './support/child-app.js';
import { freePort } from '../support/ports.js';

afterEach(killLeftovers);

const clients: Socket[] = [];
afterEach(() => clients.splice(0).forEach((client) => client.close()));

/** A connected client that does not reconnect, so that what it was told stays visible. */
function connected(url: string, transport: 'websocket' | 'polling'): Promise<{ disconnected: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const client = io(url, { transports: [transport], reconnection: false, forceNew: true });
    clients.push(client);
    const disconnected = new Promise<string>((settle) => client.on('disconnect', (reason) => settle(reason)));
    client.on('connect', () => resolve({ disconnected }));
    client.on('connect_error', reject);
  });
}

describe.each([
  ['the root namespace', ''],
  ['a namespace', '/chat'],
])('socket.io gateways, %s', (_case, NAMESPACE) => {
  it('every client, websocket or long-polling, is disconnected by the server; handleDisconnect runs before the hooks; exit in < 1 s', async () => {
    const { app, port } = await startApp('socket-io-app', { env: NAMESPACE ? { NAMESPACE } : {} });
    const url = `http://127.0.0.1:${port}${NAMESPACE}`;
    const sockets = await Promise.all([
      ...Array.from({ length: 10 }, () => connected(url, 'websocket')),
      ...Array.from({ length: 10 }, () => connected(url, 'polling')),
    ]);
    app.kill();
    const reasons = await Promise.all(sockets.map(({ disconnected }) => disconnected));
    // "io server disconnect": the client knows the server sent it away, and may go elsewhere.
    expect(reasons).toEqual(Array(20).fill('io server disconnect'));
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(1_000);
    const disconnects = app.eventsOf('io-disconnect');
    expect(disconnects).toHaveLength(20);
    expect(disconnects.every((e) => e.t <= app.eventsOf('store-closed')[0].t)).toBe(true);
    expect(app.output).toMatch(/20 socket\.io client\(s\) at start, 20 finished, 0 cut/);
  });
});

/** An engine.io session opened by hand and then left alone: no socket.io socket in it, no client to close it. */
function lingeringSession(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/socket.io/?EIO=4&transport=polling', agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve());
    }).on('error', reject);
  });
}

describe('a socket.io gateway on a port of its own, during a long drain', () => {
  it('a new client is refused at its handshake (connect_error); a session with no socket in it is closed at once', async () => {
    const port = await freePort();
    const { app, port: httpPort } = await startApp('socket-io-app', { env: { IO_PORT: String(port) }, options: { drainTimeout: 1_500 } });
    await lingeringSession(port);
    // A request that never ends keeps the drain going to its limit.
    get({ host: '127.0.0.1', port: httpPort, path: '/stuck', agent: false }).on('error', () => undefined);
    await app.waitForEvent('request-stuck');
    app.kill();
    await app.waitFor(() => app.output.includes('Draining:'));
    const refused = await new Promise<string>((resolve) => {
      const client = io(`http://127.0.0.1:${port}`, { transports: ['polling'], reconnection: false, forceNew: true });
      clients.push(client);
      client.on('connect', () => resolve('connected'));
      client.on('connect_error', (error) => resolve(`connect_error: ${error.message}`));
    });
    // Still listening on its own port, it refuses: the client's own logic retries elsewhere.
    expect(refused).toMatch(/^connect_error/);
    expect(app.output).not.toMatch(/Shutdown \(SIGTERM\) completed/);
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeGreaterThanOrEqual(1_400);
    expect(app.output).toMatch(/1 socket\.io client\(s\) at start, 1 finished, 0 cut/);
  });
});
