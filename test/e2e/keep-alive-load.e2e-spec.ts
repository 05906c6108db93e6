import { afterEach, describe, expect, it } from '@jest/globals';
import { Load } from '../support/rolling-restart/load.js';
import { killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

describe.each(['express', 'fastify'])('keep-alive load straight at one instance of %s (no load balancer)', (ADAPTER) => {
  it('the drain resets no connection and answers every request it read with 2xx', async () => {
    const { app, port } = await startApp('http-app', { env: { ADAPTER } });
    // 20 keep-alive connections, each sending its next request as soon as it has the answer.
    const load = new Load(`http://127.0.0.1:${port}`, [{ name: 'GET /fast', path: '/fast', connections: 20 }], 20);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    app.kill();
    const exit = await app.exited;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { total } = await load.stop();
    expect(exit.code).toBe(0);
    expect(total.status2xx).toBeGreaterThan(1_000);
    // A connection refused once the listener closed is the client's cue to go elsewhere; a reset or
    // a non-2xx would be an error for work the server may have done.
    const { ECONNREFUSED: _refused, ...resets } = total.errorCodes;
    expect({ resets, non2xx: total.non2xx, timeouts: total.timeouts }).toEqual({ resets: {}, non2xx: 0, timeouts: 0 });
    // autocannon ignores Connection: close and sends one more request on the closing socket; every
    // request it counts as unanswered followed such an answer (a compliant client sends none).
    expect(total.lost).toBe(total.lostAfterConnectionClose);
  });
});
