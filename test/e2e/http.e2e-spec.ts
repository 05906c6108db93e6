import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

export function request(port: number, path: string, agent?: Agent): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: agent ?? false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, body, connection: response.headers.connection }),
      );
    }).on('error', reject);
  });
}

describe.each(['express', 'fastify'])('HTTP during shutdown on %s', (ADAPTER) => {
  it('lets a request in flight finish, tells its client to close the socket, then runs the hooks', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER, SLOW_MS: '700' }, hooks: [{ name: 'db', order: 1, behaviour: 'ok' }] });
    const agent = new Agent({ keepAlive: true });
    const response = request(port, '/slow', agent);
    await app.waitForEvent('request-start');
    app.kill();

    await expect(response).resolves.toMatchObject({ status: 200, body: 'slow done', connection: 'close' });
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    const requestEnd = app.eventsOf('request-end')[0].t;
    expect(app.eventsOf('hook-start')[0].t).toBeGreaterThanOrEqual(requestEnd);
    expect(app.output).toMatch(/Drain: 1 request\(s\) on 1 open connection\(s\) at start, 1 finished, 0 cut/);
    // Nest's own close after our drain: the server is not closed twice.
    expect(app.output).toMatch(/Nest lifecycle: ok/);
    expect(app.output).not.toMatch(/ERR_SERVER_NOT_RUNNING/);
    agent.destroy();
  });

  it('does not wait for an idle keep-alive connection', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER }, hooks: [{ name: 'h', behaviour: 'ok' }] });
    const agent = new Agent({ keepAlive: true });
    await expect(request(port, '/fast', agent)).resolves.toMatchObject({ status: 200 });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(1_500);
    agent.destroy();
  });

  it('answers a request that arrives on an idle keep-alive socket during the drain, with Connection: close', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await expect(request(port, '/fast', agent)).resolves.toMatchObject({ status: 200 });
    app.kill();
    await app.waitFor(() => app.output.includes('Draining:'));
    // The pooled socket, idle when the drain started: the request is answered, not reset.
    await expect(request(port, '/fast', agent)).resolves.toMatchObject({ status: 200, body: 'fast', connection: 'close' });
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(1_000);
    agent.destroy();
  });

  it('names half-open sockets the drain waits for (slowloris), and cuts them at drainTimeout', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER }, options: { timeout: 3_000, drainTimeout: 600 } });
    const sockets = await Promise.all(
      Array.from({ length: 20 }, () => new Promise<Socket>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.on('error', () => undefined);
        socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n'); // headers never finished
      })),
    );
    // Accepted by the server by then (connected on the client's side is not yet accepted on the server's).
    await new Promise((resolve) => setTimeout(resolve, 300));
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.output).toMatch(/waiting up to 600 ms for 0 request\(s\) on 20 open connection\(s\)/);
    expect(app.output).toMatch(/Drain: 0 request\(s\) on 20 open connection\(s\) at start, 0 finished, 20 cut/);
    sockets.forEach((socket) => socket.destroy());
  });

  it('answers 503 on the readiness route from the first moment of shutdown, 200 before', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER }, options: { readinessPath: '/health/ready', preStopDelay: 600 } });
    await expect(request(port, '/health/ready')).resolves.toMatchObject({ status: 200, body: '{"status":"ready"}' });
    app.kill();
    await app.waitFor(() => app.output.includes('Shutting down (SIGTERM)'));
    await expect(request(port, '/health/ready')).resolves.toMatchObject({ status: 503, body: '{"status":"shutting-down"}' });
    expect((await app.exited).code).toBe(0);
  });

  it('serves new connections normally during the pre-stop delay, then drains', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER }, options: { preStopDelay: 800 }, hooks: [{ name: 'h', order: 1, behaviour: 'ok' }] });
    app.kill();
    await app.waitFor(() => app.output.includes('preStopDelay'));
    const during = await request(port, '/fast');
    expect(during).toMatchObject({ status: 200, body: 'fast' });
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeGreaterThanOrEqual(800);
    // The hook (order >= 0) ran after the delay and the drain.
    expect(app.eventsOf('hook-start')[0].t).toBeGreaterThan(app.eventsOf('request-fast')[0].t);
  });

  it('cuts a stuck request at the drain limit and still exits inside the deadline', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER }, options: { timeout: 3000, drainTimeout: 500 }, hooks: [{ name: 'after-drain', order: 1, behaviour: 'ok' }] });
    const stuck = request(port, '/stuck').catch((error: Error) => error);
    await app.waitForEvent('request-stuck');
    app.kill();
    const exit = await app.exited;
    expect(await stuck).toMatchObject({ code: 'ECONNRESET' });
    expect(exit.msAfterSignal).toBeLessThan(2_500);
    expect(app.output).toMatch(/Drain: 1 request\(s\) on 1 open connection\(s\) at start, 0 finished, 1 cut/);
    // The cut is reported, the hooks after the drain still run.
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['after-drain']);
    expect(exit.code).toBe(0);
  });
});
