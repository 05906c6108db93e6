import { afterEach, describe, expect, it } from '@jest/globals';
import { ChildApp, killLeftovers, startApp } from './support/child-app.js';

afterEach(killLeftovers);

describe('hooks and other code that misbehave', () => {
  it('a hook calling process.exit(0) is reported failed, the rest still run, and the exit code stays 1', async () => {
    const { app } = await startApp('hooks-app', {
      hooks: [{ name: 'quitter', order: 1, behaviour: 'exit:0' }, { name: 'after', order: 2, behaviour: 'ok' }],
    });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['quitter', 'after']);
    expect(app.output).toMatch(/quitter\s+failed .*process\.exit\(0\) was called by a hook during the shutdown sequence/);
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
  });

  it('a hook throwing a revoked Proxy is reported, and the later hooks and Nest\'s lifecycle still run', async () => {
    const { app } = await startApp('hooks-app', {
      hooks: [{ name: 'hostile', order: 1, behaviour: 'throw-revoked' }, { name: 'after', order: 2, behaviour: 'ok' }],
    });
    app.kill();
    expect((await app.exited).code).toBe(1);
    expect(app.output).toMatch(/hostile\s+failed .*non-Error value thrown/);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toContain('after');
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
    expect(app.output).not.toMatch(/Shutdown sequence broke/);
  });

  it('a hook throwing a non-Error value is reported with the value, the runner goes on', async () => {
    const { app } = await startApp('hooks-app', {
      hooks: [{ name: 'stringly', order: 1, behaviour: 'throw-string' }, { name: 'after', order: 2, behaviour: 'ok' }],
    });
    app.kill();
    expect((await app.exited).code).toBe(1);
    expect(app.output).toMatch(/stringly\s+failed .*\(stringly threw a plain string\)/);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['stringly', 'after']);
  });

  it.each([
    ['0', 0],
    ['3', 3],
  ])('process.exit(%s) from a listener outside the hooks is deferred until the sequence is over', async (USER_EXIT_CODE, code) => {
    const { app } = await startApp('user-exit-app', {
      env: { USER_EXIT_CODE },
      hooks: [{ name: 'slow', order: 1, behaviour: 'wait:400' }],
    });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(code);
    expect(app.output).toMatch(new RegExp(`process\\.exit\\(${code}\\) was called during the shutdown sequence: deferred`));
    // The hook ran to its end and Nest's lifecycle ran: the early exit did not cut the sequence.
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['slow']);
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
  });
});

describe('a deferred process.exit() and a failed sequence', () => {
  it('exits with the higher of the two codes: process.exit(0) does not hide a failed hook', async () => {
    const { app } = await startApp('user-exit-app', {
      env: { USER_EXIT_CODE: '0' },
      hooks: [{ name: 'slow-then-broken', order: 1, behaviour: 'wait:300' }, { name: 'broken', order: 2, behaviour: 'throw' }],
    });
    app.kill();
    expect((await app.exited).code).toBe(1);
    expect(app.output).toMatch(/process\.exit\(0\) was called during the shutdown sequence: deferred/);
  });
});

describe('a hook that blocks the event loop', () => {
  it('is stopped by the watchdog thread shortly after the deadline, naming the hook', async () => {
    const { app } = await startApp('hooks-app', { options: { timeout: 600 }, hooks: [{ name: 'spinner', order: 1, behaviour: 'spin' }] });
    app.kill();
    const exit = await app.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.msAfterSignal).toBeGreaterThanOrEqual(600);
    expect(exit.msAfterSignal).toBeLessThan(3_000);
    expect(app.output).toMatch(/watchdog: the event loop is still blocked \d+ ms after the 600 ms shutdown deadline; running: spinner/);
  });

  it("writes the partial report itself, synchronously: each hook's state and the phase (a logger may never flush)", async () => {
    const { app } = await startApp('hooks-app', {
      options: { timeout: 600 },
      hooks: [
        { name: 'done', order: 1, behaviour: 'ok' },
        { name: 'broken', order: 1, behaviour: 'throw' },
        { name: 'spinner', order: 2, behaviour: 'spin-after:100' },
        { name: 'later', order: 3, behaviour: 'ok' },
      ],
    });
    app.kill();
    expect((await app.exited).signal).toBe('SIGKILL');
    expect(app.output).toContain('watchdog: partial report, phase hooks: 1 not started, 1 running, 1 ok, 1 failed');
    for (const line of ['[order 1] done ok', '[order 1] broken failed', '[order 2] spinner running', '[order 3] later not started']) {
      expect(app.output).toContain(`[nestjs-shutdown]   ${line}`);
    }
  });

  it('names only the hooks still running when the loop blocked, not those that finished since they started', async () => {
    const { app } = await startApp('hooks-app', {
      options: { timeout: 600 },
      hooks: [{ name: 'brief', order: 1, behaviour: 'wait:30' }, { name: 'spinner', order: 1, behaviour: 'spin-after:150' }],
    });
    app.kill();
    const exit = await app.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['brief']);
    expect(app.output).toMatch(/shutdown deadline; running: spinner\. Killing the process/);
  });

  it('names a hook that passed its own timeout and blocks the loop afterwards', async () => {
    const { app } = await startApp('hooks-app', {
      options: { timeout: 600 },
      // The sequence goes on past the timeout ('patient' runs) when the overdue hook starts spinning.
      hooks: [{ name: 'overdue', order: 1, timeout: 100, behaviour: 'spin-after:200' }, { name: 'patient', order: 2, behaviour: 'wait:5000' }],
    });
    app.kill();
    expect((await app.exited).signal).toBe('SIGKILL');
    expect(app.output).toMatch(/shutdown deadline; running: patient, overdue\. Killing the process/);
  });

  it('with watchdog: false, nothing ends a blocked loop: the process is still there long after the deadline', async () => {
    const { app } = await startApp('hooks-app', { options: { timeout: 300, watchdog: false }, hooks: [{ name: 'spinner', order: 1, behaviour: 'spin' }] });
    app.kill();
    const early = await Promise.race([app.exited, new Promise<'alive'>((resolve) => setTimeout(() => resolve('alive'), 1_500))]);
    expect(early).toBe('alive');
    app.kill('SIGKILL');
    expect((await app.exited).signal).toBe('SIGKILL');
    expect(app.output).not.toMatch(/watchdog:/);
  });

  it("under Node's permission model without --allow-worker: warns at startup that there is no watchdog, and shuts down normally", async () => {
    const { app } = await startApp('hooks-app', { hooks: [{ name: 'flush', behaviour: 'ok' }] }, { nodeOptions: ['--experimental-permission', '--allow-fs-read=*'] });
    expect(app.output).toMatch(/permission model refuses worker threads \(add --allow-worker\): a hook that blocks the event loop/);
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(0);
    expect(app.eventsOf('hook-end').map((e) => e.name)).toEqual(['flush']);
    expect(app.output).not.toMatch(/No watchdog thread for this shutdown/);
  });

  it.each([
    ['stopped: the process lives on', '1', { code: 0, signal: null }],
    ['left armed: the process is killed', '0', { code: null, signal: 'SIGKILL' }],
  ])('a watchdog %s when the loop blocks past the deadline', async (_case, STOP, expected) => {
    const probe = new ChildApp('test/fixtures/watchdog-probe.js', { STOP });
    const exit = await probe.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual(expected);
    expect(probe.output.includes('survived')).toBe(STOP === '1');
    expect(/running: probe\. Killing the process/.test(probe.output)).toBe(STOP !== '1');
  });
});

describe('fatal errors with handleFatalErrors', () => {
  it.each([
    ['throw', 'uncaughtException', 'boom from a timer'],
    ['reject', 'unhandledRejection', 'rejected and forgotten'],
  ])('%s: logs it, runs the sequence with reason %s and exits 1 although every hook succeeded', async (FATAL, reason, message) => {
    const { app } = await startApp('fatal-error-app', { options: { handleFatalErrors: true }, env: { FATAL }, hooks: [{ name: 'flush', behaviour: 'ok' }] });
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.eventsOf('hook-start')).toEqual([expect.objectContaining({ name: 'flush', reason })]);
    expect(app.output).toContain(`${reason}: ${message}; shutting down`);
    expect(app.output).toMatch(new RegExp(`Shutdown \\(${reason}\\) completed`));
    expect(app.eventsOf('nest-destroy')).toHaveLength(1);
  });

  it('an error thrown while shutting down is logged and starts no second sequence', async () => {
    const { app } = await startApp('hooks-app', { options: { handleFatalErrors: true }, hooks: [{ name: 'leaky', order: 1, behaviour: 'throw-later' }, { name: 'after', order: 2, behaviour: 'ok' }] });
    app.kill();
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.output).toContain('uncaughtException while shutting down (no second sequence is started): leaky escaped');
    expect(app.eventsOf('hook-start').map((e) => e.name)).toEqual(['leaky', 'after']);
    expect(app.output.match(/Shutting down \(/g)).toHaveLength(1);
  });

  it('without the option, Node crashes as usual: no sequence', async () => {
    const { app } = await startApp('fatal-error-app', { env: { FATAL: 'throw' }, hooks: [{ name: 'flush', behaviour: 'ok' }] });
    const exit = await app.exited;
    expect(exit.code).toBe(1);
    expect(app.eventsOf('hook-start')).toHaveLength(0);
    expect(app.output).toContain('boom from a timer');
  });
});
