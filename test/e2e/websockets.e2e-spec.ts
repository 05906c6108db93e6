import { afterEach, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { killLeftovers, startApp } from './support/child-app.js';
import { freePort } from '../support/ports.js';

afterEach(killLeftovers);

interface Closed {
  code: number;
  reason: string;
}

function open(url: string): Promise<{ client: WebSocket; closed: Promise<Closed> }> {
  return new Promise((resolve, reject) => {
    const client = new WebSocket(url);
    const closed = new Promise<Closed>((settle) => client.on('close', (code, reason) => settle({ code, reason: reason.toString() })));
    client.on('open', () => resolve({ client, closed }));
    client.on('error', reject);
  });
}

/** A WebSocket client that completes the handshake and then never answers anything, as a frozen tab does. */
function silentClient(port: number): Promise<{ closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((settle) => socket.on('close', () => settle()));
    socket.on('error', () => undefined);
    socket.write(
      'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    // Reads what comes (the close frame too) and never writes again: the handshake is never completed.
    socket.once('data', () => resolve({ closed }));
  });
}

/** What a new upgrade request gets: the status line of the answer, or 'refused' when nothing listens. */
function tryUpgrade(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', () => resolve('refused'));
    socket.on('close', () => resolve(text.split('\r\n')[0]));
    socket.write(
      'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
  });
}

describe('WebSocket gateways on ws', () => {
  it.each([
    ['on the HTTP server', undefined],
    ['on a port of their own', '0'],
  ])('%s: every client gets 1001 "server shutting down", handleDisconnect runs before the hooks, exit in < 1 s', async (_case, ownPort) => {
    const wsPort = ownPort ? await freePort() : undefined;
    const { app, port } = await startApp('ws-gateway-app', { env: wsPort ? { WS_PORT: String(wsPort) } : {} });
    const clients = await Promise.all(Array.from({ length: 20 }, () => open(`ws://127.0.0.1:${wsPort ?? port}`)));
    app.kill();
    const closes = await Promise.all(clients.map(({ closed }) => closed));
    expect(closes).toEqual(Array(20).fill({ code: 1001, reason: 'server shutting down' }));
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(1_000);
    const disconnects = app.eventsOf('ws-disconnect');
    expect(disconnects).toHaveLength(20);
    const storeClosed = app.eventsOf('store-closed')[0].t;
    expect(disconnects.every((e) => e.t <= storeClosed)).toBe(true);
    expect(app.output).toMatch(/Drain: 0 request\(s\) on \d+ open connection\(s\) at start, 0 finished, 0 cut; 20 WebSocket\(s\) at start, 20 finished, 0 cut/);
  });

  it('a port of its own: a new upgrade during the drain gets 503; a client that never answers is terminated at drainTimeout', async () => {
    const wsPort = await freePort();
    const { app } = await startApp('ws-gateway-app', { env: { WS_PORT: String(wsPort) }, options: { drainTimeout: 1_500 } });
    const polite = await open(`ws://127.0.0.1:${wsPort}`);
    const silent = await silentClient(wsPort);
    app.kill();
    await expect(polite.closed).resolves.toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await tryUpgrade(wsPort)).toBe('HTTP/1.1 503 Service Unavailable');
    await silent.closed;
    const exit = await app.exited;
    // Cut at the limit, not before: it had its chance to answer.
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeGreaterThanOrEqual(1_400);
    expect(app.output).toMatch(/2 WebSocket\(s\) at start, 1 finished, 1 cut/);
  });
});
