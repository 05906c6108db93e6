import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Http1Drainer } from '../../lib/drain/http1-drainer.js';
import { TEST_CERT, TEST_KEY } from './support/self-signed-certificate.js';

/**
 * The HTTP/1.1 drainer on a real server in this process, with raw clients: what it finds in flight
 * when the drain starts, although it follows nothing per request before that.
 */

/** Answers `/now` at once; holds every other path until `release(path)`. */
class HeldRoutes {
  readonly seen: string[] = [];
  private readonly held = new Map<string, ServerResponse>();

  readonly handle = (request: IncomingMessage, response: ServerResponse): void => {
    this.seen.push(request.url!);
    if (request.url === '/now') response.end('now');
    else this.held.set(request.url!, response);
  };

  release(path: string): void {
    const response = this.held.get(path);
    if (!response) throw new Error(`${path} is not held`);
    this.held.delete(path);
    response.end(`done ${path}`);
  }
}

/** What one raw client socket received, until the server closed it. */
class RawClient {
  text = '';
  readonly closed: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => (this.text += chunk.toString()));
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()));
  }

  get answers(): number {
    return (this.text.match(/HTTP\/1\.1 200/g) ?? []).length;
  }

  get goodbyes(): number {
    return (this.text.match(/^connection: close\r$/gim) ?? []).length;
  }

  send(...paths: string[]): void {
    this.socket.write(paths.map((path) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`).join(''));
  }
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('Http1Drainer', () => {
  it('answers every pipelined request still in flight when the drain starts, counted as one with the last; only that one says Connection: close', async () => {
    const routes = new HeldRoutes();
    const server = createServer(routes.handle);
    const drainer = new Http1Drainer(server);
    const port = await listen(server);
    const client = new RawClient(connect(port, '127.0.0.1'));
    client.send('/now', '/now', '/a', '/b', '/c');
    await until(() => routes.seen.length === 5 && client.answers === 2, 'five requests read, two answered');

    expect(drainer.responsesInFlight().map((response) => response.req.url)).toEqual(['/c']);
    const { atStart, connections, done } = drainer.begin();
    expect({ atStart, connections }).toEqual({ atStart: 1, connections: 1 });
    for (const path of ['/a', '/b', '/c']) routes.release(path);
    await client.closed;
    await done;

    expect(client.answers).toBe(5);
    expect(client.goodbyes).toBe(1);
    expect(client.text.lastIndexOf('done /c')).toBeGreaterThan(client.text.search(/^connection: close\r$/im));
    expect(drainer.finished).toBe(1);
    drainer.detach();
  });

  it('counts a request read on an idle keep-alive socket during the drain, and answers it with Connection: close', async () => {
    const routes = new HeldRoutes();
    const server = createServer(routes.handle);
    const drainer = new Http1Drainer(server);
    const port = await listen(server);
    const client = new RawClient(connect(port, '127.0.0.1'));
    client.send('/now');
    await until(() => client.answers === 1, 'the first answer');

    const { atStart, connections, done } = drainer.begin();
    expect({ atStart, connections }).toEqual({ atStart: 0, connections: 1 });
    client.send('/late');
    await until(() => routes.seen.length === 2, 'the request sent during the drain');
    expect(drainer.responsesInFlight().map((response) => response.req.url)).toEqual(['/late']);
    routes.release('/late');
    await client.closed;
    await done;

    expect(client.answers).toBe(2);
    expect(client.goodbyes).toBe(1);
    expect(drainer.finished).toBe(1);
    drainer.detach();
  });

  it('moves the goodbye to a request pipelined during the drain behind one in flight, and counts both', async () => {
    const routes = new HeldRoutes();
    const server = createServer(routes.handle);
    const drainer = new Http1Drainer(server);
    const port = await listen(server);
    const client = new RawClient(connect(port, '127.0.0.1'));
    client.send('/a');
    await until(() => routes.seen.length === 1, 'the first request');

    const { atStart, done } = drainer.begin();
    expect(atStart).toBe(1);
    client.send('/b');
    await until(() => routes.seen.length === 2, 'the request pipelined during the drain');
    routes.release('/a');
    routes.release('/b');
    await client.closed;
    await done;

    // Had /a kept its Connection: close, the client would have given up on /b.
    expect(client.answers).toBe(2);
    expect(client.goodbyes).toBe(1);
    expect(client.text.lastIndexOf('done /b')).toBeGreaterThan(client.text.search(/^connection: close\r$/im));
    expect(client.text.search(/^connection: close\r$/im)).toBeGreaterThan(client.text.indexOf('done /a'));
    expect(drainer.finished).toBe(2);
    drainer.detach();
  });

  it('keeps no answered response of a socket that pipelines without pause', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const routes = new HeldRoutes();
    let firstResponse: WeakRef<ServerResponse> | undefined;
    const server = createServer((request, response) => {
      firstResponse ??= new WeakRef(response);
      routes.handle(request, response);
    });
    const drainer = new Http1Drainer(server);
    const port = await listen(server);
    const client = new RawClient(connect(port, '127.0.0.1'));
    // Always one request queued behind the one being answered: the socket is never free.
    client.send('/0', '/1');
    await until(() => routes.seen.length === 2, 'the first two requests');
    for (let i = 0; i < 30; i++) {
      routes.release(`/${i}`);
      await until(() => client.answers === i + 1, `answer ${i}`);
      client.send(`/${i + 2}`);
      await until(() => routes.seen.length === i + 3, `request ${i + 2}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(firstResponse!.deref()).toBeUndefined();
    expect(drainer.responsesInFlight().map((response) => response.req.url)).toEqual(['/31']);
    drainer.detach();
  });

  it('finds the requests of a TLS socket, which rides on the accepted connection', async () => {
    const routes = new HeldRoutes();
    const server = createHttpsServer({ key: TEST_KEY, cert: TEST_CERT }, routes.handle);
    const drainer = new Http1Drainer(server);
    const port = await listen(server);
    const socket = connectTls({ port, host: '127.0.0.1', rejectUnauthorized: false });
    const client = new RawClient(socket);
    client.send('/now', '/a', '/b');
    await until(() => routes.seen.length === 3 && client.answers === 1, 'three requests read, one answered');

    const { atStart, connections, done } = drainer.begin();
    expect({ atStart, connections }).toEqual({ atStart: 1, connections: 1 });
    routes.release('/a');
    routes.release('/b');
    await client.closed;
    await done;

    expect(client.answers).toBe(3);
    expect(client.goodbyes).toBe(1);
    expect(drainer.finished).toBe(1);
    drainer.detach();
  });
});
