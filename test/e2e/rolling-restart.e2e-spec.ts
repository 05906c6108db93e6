import { describe, expect, it } from '@jest/globals';
import { describeResult, haproxyVersion, runRollingRestart } from '../support/rolling-restart/index.js';
import { BUILD_DIR } from './support/child-app.js';

/** The built sample (BUILD_DIR follows E2E_BUILD_DIR: the NestJS 11 run uses its own copy). */
const SAMPLE_MAIN = `${BUILD_DIR}sample/src/main.js`;

/** Runs `check`; a failed expectation also shows the scenario's account of every failed request. */
function withAccount(account: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof Error) error.message += `\n\n${account}`;
    throw error;
  }
}

describe('rolling restart under load behind HAProxy', () => {
  it('loses no request while each instance of the sample app in turn gets SIGTERM, exits and comes back', async () => {
    if (!haproxyVersion()) {
      throw new Error('HAProxy is required by this test and is not installed: .ci/run must install it (apt-get install -y haproxy).');
    }
    const result = await runRollingRestart({
      label: 'nestjs-shutdown',
      script: SAMPLE_MAIN,
      // Longer than HAProxy needs to see readiness fail (2 checks 100 ms apart), with a margin.
      env: { PRE_STOP_DELAY_MS: '1000' },
    });

    withAccount(describeResult(result), () => {
      const { requests, haproxy } = result;
      // What the clients saw, and what HAProxy counted on its side.
      expect({
        non2xx: requests.non2xx,
        errors: requests.errorCodes,
        timeouts: requests.timeouts,
        lost: requests.lost,
        haproxy5xx: haproxy.frontend.hrsp_5xx,
        haproxyConnectionErrors: haproxy.backend.econ,
        haproxyResponseErrors: haproxy.backend.eresp,
        haproxyServerAborts: haproxy.backend.srv_abrt,
      }).toEqual({
        non2xx: 0,
        errors: {},
        timeouts: 0,
        lost: 0,
        haproxy5xx: 0,
        haproxyConnectionErrors: 0,
        haproxyResponseErrors: 0,
        haproxyServerAborts: 0,
      });
      expect(requests.unaccounted).toBe(0);
      expect(requests.status2xx).toBeGreaterThan(1_000);
      expect(result.instances.map((instance) => instance.exits)).toEqual([[{ code: 0, signal: null }], [{ code: 0, signal: null }]]);
    });
  }, 60_000);
});
