import { describe, expect, it } from '@jest/globals';
import type { ShutdownReport } from '../../lib/index.js';
import { exitCodeOf as exitCodeOfClaims } from '../../lib/process/exit-decision.js';
import { formatReport } from '../../lib/report/format-report.js';

const exitCodeOf = (report: ShutdownReport) => exitCodeOfClaims([{ report, requestedCodes: [], fatalError: false }]);

const base: ShutdownReport = {
  reason: 'SIGTERM',
  outcome: 'completed',
  startedAt: 0,
  durationMs: 42,
  hooks: [
    { name: 'Consumer.stop', order: -10, status: 'ok', durationMs: 1 },
    { name: 'Outbox.flush', order: 10, status: 'ok', durationMs: 5 },
    { name: 'db-pool', order: 100, status: 'ok', durationMs: 7 },
  ],
  drain: {
    inFlightAtStart: 2,
    completed: 2,
    cut: 0,
    durationMs: 30,
    kinds: [
      { kind: 'sse', atStart: 1, finished: 1, cut: 0 },
      { kind: 'websockets', atStart: 0, finished: 0, cut: 0 },
      { kind: 'requests', atStart: 2, finished: 2, cut: 0 },
    ],
  },
  lifecycle: { status: 'ok', durationMs: 3 },
  runningAtDeadline: [],
};

describe('formatReport', () => {
  it('lists lines in the order things ran, the status column aligned', () => {
    const lines = formatReport(base).map((line) => line.text);
    expect(lines).toEqual([
      'Shutdown (SIGTERM) completed in 42 ms',
      '  [order -10] Consumer.stop ok       1 ms',
      '  Drain: 1 SSE stream(s) at start, 1 finished, 0 cut; 2 request(s) at start, 2 finished, 0 cut, 30 ms',
      '  [order 10] Outbox.flush   ok       5 ms',
      '  [order 100] db-pool       ok       7 ms',
      '  Nest lifecycle: ok 3 ms',
    ]);
    expect(exitCodeOf(base)).toBe(0);
  });

  it('names what the deadline cut, logs failures as errors and gives exit code 1', () => {
    const report: ShutdownReport = {
      ...base,
      outcome: 'timedOut',
      hooks: [
        { name: 'a', order: 0, status: 'failed', durationMs: 1, error: 'boom' },
        { name: 'b', order: 1, status: 'timedOut', durationMs: 900, error: 'the shutdown deadline of 1000 ms passed' },
        { name: 'c', order: 2, status: 'skipped', durationMs: 0 },
      ],
      drain: undefined,
      lifecycle: { status: 'skipped', durationMs: 0 },
      runningAtDeadline: ['b'],
    };
    const lines = formatReport(report);
    expect(lines[0]).toEqual({ level: 'error', text: 'Shutdown (SIGTERM) hit its deadline (still running: b) in 42 ms' });
    expect(lines.map((line) => line.level)).toEqual(['error', 'error', 'error', 'warn', 'warn']);
    expect(lines[1].text).toBe('  [order 0] a failed   1 ms (boom)');
    expect(lines.some((line) => line.text.includes('Drain:'))).toBe(false);
    expect(exitCodeOf(report)).toBe(1);
    expect(exitCodeOf({ ...base, outcome: 'failed' })).toBe(1);
  });
});

describe('formatReport with many hooks', () => {
  it('lists the hooks that did not go well and sums up the others in one line', () => {
    const hooks = Array.from({ length: 60 }, (_, i) => ({ name: `h${i}`, order: i % 3, status: 'ok' as const, durationMs: i }));
    hooks[7] = { name: 'h7', order: 1, status: 'failed' as never, durationMs: 1, error: 'boom' } as never;
    const lines = formatReport({ ...base, outcome: 'failed', hooks, drain: undefined }).map((line) => line.text);
    expect(lines).toEqual([
      'Shutdown (SIGTERM) failed in 42 ms',
      '  [order 1] h7 failed   1 ms (boom)',
      '  59 other hook(s) ok (slowest: h59 59 ms, h58 58 ms, h57 57 ms)',
      '  Nest lifecycle: ok 3 ms',
    ]);
  });
});

describe('formatReport with integrations', () => {
  it('puts what stopped at the trigger first; unfinished work is a warning, a failed stop an error', () => {
    const lines = formatReport({
      ...base,
      integrations: [
        { name: '@nestjs/schedule', stopped: 3, inProgress: 1, finished: 1, unfinished: 0, durationMs: 12 },
        { name: '@nestjs/bullmq', stopped: 2, inProgress: 2, finished: 1, unfinished: 1, durationMs: 400 },
      ],
    });
    expect(lines.slice(1, 3)).toEqual([
      { level: 'log', text: '  @nestjs/schedule: 3 scheduled job(s) stopped; 1 tick(s) in progress, 1 finished, 0 unfinished, 12 ms' },
      { level: 'warn', text: '  @nestjs/bullmq: 2 worker(s) closed; 2 job(s) in progress, 1 finished, 1 unfinished, 400 ms' },
    ]);
    const failed = formatReport({
      ...base,
      integrations: [{ name: '@nestjs/bullmq', stopped: 0, inProgress: 0, finished: 0, unfinished: 0, durationMs: 0, error: 'explorer gone' }],
    });
    expect(failed[1]).toEqual({ level: 'error', text: '  @nestjs/bullmq: failed to stop (explorer gone)' });
  });
});
