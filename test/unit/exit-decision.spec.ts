import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { ShutdownReport } from '../../lib/index.js';
import { exitCodeOf, processExit, type ExitClaims } from '../../lib/process/exit-decision.js';
import { interceptExits } from '../../lib/process/exit-guard.js';

function claims(outcome: ShutdownReport['outcome'], requestedCodes: number[] = [], fatalError = false): ExitClaims {
  const report: ShutdownReport = { reason: 'SIGTERM', outcome, startedAt: 0, durationMs: 1, hooks: [], lifecycle: { status: 'ok', durationMs: 0 }, runningAtDeadline: [] };
  return { report, requestedCodes, fatalError };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

let exits: number[] = [];
let restore: () => void;
beforeEach(() => {
  exits = [];
  restore = interceptExits((code) => exits.push(code));
});
afterEach(() => {
  restore();
  process.exitCode = undefined;
});

describe('exitCodeOf', () => {
  it('is 0 only when everything completed and nobody asked for another code', () => {
    expect(exitCodeOf([claims('completed')])).toBe(0);
    expect(exitCodeOf([claims('failed')])).toBe(1);
    expect(exitCodeOf([claims('timedOut')])).toBe(1);
    expect(exitCodeOf([claims('completed', [], true)])).toBe(1);
  });

  it('is the highest code anything asked for: process.exit(n) calls, process.exitCode, other applications', () => {
    expect(exitCodeOf([claims('completed', [3])])).toBe(3);
    expect(exitCodeOf([claims('failed', [0])])).toBe(1);
    expect(exitCodeOf([claims('completed'), claims('failed')])).toBe(1);
    process.exitCode = 5;
    expect(exitCodeOf([claims('completed', [3])])).toBe(5);
  });
});

describe('processExit', () => {
  it('exits once, after every registered run settled, with the code of all of them, announced to each', async () => {
    const a = deferred<ExitClaims>();
    const b = deferred<ExitClaims>();
    const announced: string[] = [];
    processExit.after(a.promise, (code) => announced.push(`a ${code}`));
    processExit.after(b.promise, (code) => announced.push(`b ${code}`));
    a.resolve(claims('completed'));
    await flush();
    expect(exits).toEqual([]);
    b.resolve(claims('failed'));
    await flush();
    expect(exits).toEqual([1]);
    expect(announced).toEqual(['a 1', 'b 1']);
  });

  it('takes a code decided without a run (a bootstrap that never ended) into account', async () => {
    processExit.after(Promise.resolve(1), () => undefined);
    processExit.after(Promise.resolve(claims('completed')), () => undefined);
    await flush();
    expect(exits).toEqual([1]);
  });

  it('exits at once when told to, announcing the code', () => {
    const announced: number[] = [];
    processExit.now(143, (code) => announced.push(code));
    expect(exits).toEqual([143]);
    expect(announced).toEqual([143]);
  });
});
