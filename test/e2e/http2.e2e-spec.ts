import { afterEach, describe, expect, it } from '@jest/globals';
import { connect, type ClientHttp2Session } from 'node:http2';
import { killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

interface SessionSeen {
  session: ClientHttp2Session;
  goaway: Promise<number>;
  closed: Promise<void>;
}

function open(port: number): Promise<SessionSeen> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', () => undefined);
    const goaway = new Promise<number>((settle) => session.once('goaway', (code) => settle(code)));
    const closed = new Promise<void>((settle) => session.once('close', () => settle()));
    session.once('connect', () => resolve({ session, goaway, closed }));
    session.once('error', reject);
  });
}

function get(session: ClientHttp2Session, path: string): Promise<{ status: number; body: string; rstCode: number }> {
  return new Promise((resolve) => {
    const stream = session.request({ ':path': path });
    let status = 0;
    let body = '';
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk) => (body += chunk));
    stream.on('close', () => resolve({ status, body, rstCode: stream.rstCode }));
    stream.on('error', () => undefined);
    stream.end();
  });
}

describe('HTTP/2 (Fastify http2: true)', () => {
  it('GOAWAY to every session at once; the stream in flight completes; idle sessions close; exit 0', async () => {
    const { app, port } = await startApp('http2-app', { hooks: [{ name: 'after', order: 1, behaviour: 'ok' }] });
    const busy = await open(port);
    const idle = await open(port);
    await get(idle.session, '/fast');
    const slow = get(busy.session, '/slow');
    await app.waitForEvent('request-start');
    app.kill();
    // GOAWAY with NO_ERROR (0): the client knows to open its next stream elsewhere.
    expect(await idle.goaway).toBe(0);
    expect(await busy.goaway).toBe(0);
    await expect(slow).resolves.toEqual({ status: 200, body: 'slow done', rstCode: 0 });
    await Promise.all([busy.closed, idle.closed]);
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(2_000);
    expect(app.output).toMatch(/2 HTTP\/2 session\(s\) at start, 2 finished, 0 cut/);
    expect(app.output).toMatch(/Nest lifecycle: ok/);
  });

  it('with idle clients only, exits in < 1 s', async () => {
    const { app, port } = await startApp('http2-app');
    const sessions = await Promise.all([open(port), open(port), open(port)]);
    await Promise.all(sessions.map(({ session }) => get(session, '/fast')));
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(1_000);
  });

  it('a stream still open at drainTimeout is reset and the process still exits inside the deadline', async () => {
    const { app, port } = await startApp('http2-app', { env: { SLOW_MS: '5000' }, options: { timeout: 3_000, drainTimeout: 500 } });
    const busy = await open(port);
    const slow = get(busy.session, '/slow');
    await app.waitForEvent('request-start');
    app.kill();
    const seen = await slow;
    expect(seen.status).toBe(0);
    expect(seen.rstCode).not.toBe(0);
    const exit = await app.exited;
    expect(exit.msAfterSignal).toBeLessThan(3_000);
    expect(app.output).toMatch(/1 HTTP\/2 session\(s\) at start, 0 finished, 1 cut/);
  });
});
