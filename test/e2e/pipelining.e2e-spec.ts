import { afterEach, describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

/** Everything the server wrote on one raw socket, until it closed it. */
function pipeline(port: number, requests: string[]): { sent: Promise<void>; received: Promise<{ text: string; reset: boolean }> } {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  let reset = false;
  socket.on('data', (chunk) => (text += chunk.toString()));
  socket.on('error', () => (reset = true));
  const received = new Promise<{ text: string; reset: boolean }>((resolve) => socket.on('close', () => resolve({ text, reset })));
  const sent = new Promise<void>((resolve) => socket.write(requests.join(''), () => resolve()));
  return { sent, received };
}

const post = (id: number) => {
  const body = JSON.stringify({ id });
  return `POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
};

describe.each(['express', 'fastify'])('pipelined requests on %s', (ADAPTER) => {
  it('every request already read on a socket is answered; only the last answer says Connection: close', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER, ORDER_MS: '300' } });
    const { sent, received } = pipeline(port, [1, 2, 3, 4, 5].map(post));
    await sent;
    await app.waitFor(() => app.eventsOf('order-start').length === 5);
    app.kill('SIGTERM');
    const { text, reset } = await received;
    // Answers follow each other on the socket: a status line starts right after the last body.
    const statuses = text.match(/HTTP\/1\.1 \d+/g) ?? [];
    expect(statuses).toEqual(Array(5).fill('HTTP/1.1 201'));
    for (const id of [1, 2, 3, 4, 5]) expect(text).toContain(`{"stored":${id}}`);
    // One goodbye, on the last answer only: the client reuses nothing and loses nothing.
    const closes = text.match(/^connection: close\r$/gim) ?? [];
    expect(closes).toHaveLength(1);
    expect(text.lastIndexOf('{"stored":5}')).toBeGreaterThan(text.search(/^connection: close\r$/im));
    expect(reset).toBe(false);
    expect((await app.exited).code).toBe(0);
    // The report counts a socket's pipelined requests as one, with the last (they are all answered, above).
    expect(app.output).toMatch(/Drain: 1 request\(s\) on 1 open connection\(s\) at start, 1 finished, 0 cut/);
  });
});
