import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ChildApp, killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

/** `unshare --fork` runs node as its child, PID 1 of a new PID namespace; --kill-child ends it with unshare. */
const UNSHARE = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child'];
const unshareWorks = spawnSync(UNSHARE[0], [...UNSHARE.slice(1), 'true']).status === 0;

/** These tests need what .ci/run provides: util-linux's unshare, run as root. Elsewhere they fail, saying so. */
function requireUnshare(): void {
  if (!unshareWorks) throw new Error('`unshare --pid` is refused on this machine: the PID 1 tests need root and util-linux (see .ci/run)');
}

/** The host PID of node, the only child of the unshare process. */
function nodePidOf(unsharePid: number): number {
  const children = readFileSync(`/proc/${unsharePid}/task/${unsharePid}/children`, 'utf8').trim().split(/\s+/);
  return Number(children[0]);
}

describe('as PID 1 of a PID namespace (a container without an init)', () => {
  it('Node ignores SIGTERM when nothing listens (what the library must fix)', async () => {
    requireUnshare();
    const bare = new ChildApp('test/fixtures/bare-pid1.js', {}, { launcher: UNSHARE });
    await bare.waitFor(() => bare.output.includes('bare ready'));
    process.kill(nodePidOf(bare.pid), 'SIGTERM');
    const outcome = await Promise.race([bare.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 1_000))]);
    expect(outcome).toBe('still running');
  });

  it('with ShutdownModule, SIGTERM runs the hooks and the process exits 0', async () => {
    requireUnshare();
    const { app } = await startApp('hooks-app', { hooks: [{ name: 'flush', behaviour: 'wait:100' }] }, { launcher: UNSHARE });
    process.kill(nodePidOf(app.pid), 'SIGTERM');
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['flush']);
  });
});
