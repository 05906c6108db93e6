import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, get } from 'node:http';
import { hooks, killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

function request(port: number, path: string, agent?: Agent): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, body, connection: response.headers.connection }),
      );
    }).on('error', reject);
  });
}

describe('HTTP during shutdown', () => {
  it('lets a request in flight finish, tells its client to close the socket, then runs the hooks', async () => {
    const { app, port } = await startApp({ SLOW_MS: '700', HOOKS: hooks({ name: 'db', order: 1, behaviour: 'ok' }) });
    const agent = new Agent({ keepAlive: true });
    const response = request(port, '/slow', agent);
    await app.waitForEvent('request-start');
    app.kill();

    await expect(response).resolves.toMatchObject({ status: 200, body: 'slow done', connection: 'close' });
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    const requestEnd = app.eventsOf('request-end')[0].t;
    expect(app.eventsOf('hook-start')[0].t).toBeGreaterThanOrEqual(requestEnd);
    expect(app.output).toMatch(/HTTP drain: 1 in flight at start, 1 finished, 0 cut/);
    agent.destroy();
  });

  it('does not wait for an idle keep-alive connection', async () => {
    const { app, port } = await startApp({ HOOKS: hooks({ name: 'h', behaviour: 'ok' }) });
    const agent = new Agent({ keepAlive: true });
    await expect(request(port, '/fast', agent)).resolves.toMatchObject({ status: 200 });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(exit.msAfterSignal).toBeLessThan(1_500);
    agent.destroy();
  });
});
