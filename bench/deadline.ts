/**
 * Deadline precision: how far past `timeout` the process exits when a hook never ends, measured
 * from the parent (SIGTERM sent to the child's 'exit' event, minus `timeout`), each run a fresh
 * process of bench/fixtures/shutdown-app.ts with HANG set:
 *   - async: the hook returns a promise that never settles and keeps an interval alive; the
 *            deadline timer fires, the report is logged, the process exits 1
 *   - sync:  the hook spins (for(;;){}); no timer can fire, the watchdog thread SIGKILLs the
 *            process WATCHDOG_GRACE_MS (100 ms) after the deadline
 */
import { describeExit, fixture } from './processes.js';
import { goalsTable, type BenchContext, type BenchResult, type Goal } from './report.js';
import { measureShutdown } from './shutdown-sample.js';
import { interleave, percentile } from './statistics.js';
import { table } from './write-docs.js';

export interface DeadlineConfig {
  timeoutMs: number;
  /** No-op hooks besides the hanging one. */
  hooks: number;
  rounds: number;
  warmup: number;
  settleMs: number;
}

const KINDS = ['async', 'sync'] as const;
type Kind = (typeof KINDS)[number];
const GOALS_MS: Record<Kind, number> = { async: 25, sync: 150 };
const EXPECTED: Record<Kind, string> = { async: 'code 1', sync: 'signal SIGKILL' };

export async function runDeadline(config: DeadlineConfig, context: BenchContext): Promise<BenchResult> {
  context.log(`Deadline precision: timeout ${config.timeoutMs} ms, ${config.rounds} run(s) per kind + ${config.warmup} warm-up`);
  const samples = await interleave(
    KINDS,
    config,
    async (kind) => {
      const { latencyMs, exit, child } = await measureShutdown(fixture('shutdown-app'), {
        env: { VARIANT: 'ours', HOOKS: String(config.hooks), ORDERS: '10', HANG: kind, TIMEOUT: String(config.timeoutMs) },
        settleMs: config.settleMs,
        limitMs: 60_000 + config.timeoutMs,
      });
      if (describeExit(exit) !== EXPECTED[kind]) {
        throw new Error(`hanging ${kind} hook: expected ${EXPECTED[kind]}, got ${describeExit(exit)}: ${child.describe()}`);
      }
      return latencyMs - config.timeoutMs;
    },
    context.progress,
  );
  context.progress('\n');

  const rows = KINDS.map((kind) => {
    const values = samples[kind];
    return {
      kind,
      p50: percentile(values, 50),
      max: Math.max(...values),
      min: Math.min(...values),
    };
  });
  const results = table(
    ['hanging hook', 'exits with', 'overshoot p50', 'overshoot max', 'overshoot min', 'runs'],
    rows.map((row) => [
      row.kind === 'async' ? 'async: never-settling promise + live interval' : 'sync: for(;;){} blocks the event loop',
      EXPECTED[row.kind],
      `${row.p50.toFixed(1)} ms`,
      `${row.max.toFixed(1)} ms`,
      `${row.min.toFixed(1)} ms`,
      String(samples[row.kind].length),
    ]),
  );
  const goals: Goal[] = rows.map((row) => ({
    goal: `${row.kind}: overshoot ≤ ${GOALS_MS[row.kind]} ms (max of ${samples[row.kind].length} runs)`,
    figure: `max ${row.max.toFixed(1)} ms, p50 ${row.p50.toFixed(1)} ms`,
    met: row.max <= GOALS_MS[row.kind],
  }));
  const markdown = [
    '## Deadline precision',
    '',
    `The HTTP app of the latency benchmark with ${config.hooks} no-op hooks and one hook that never ends, ` +
      `\`ShutdownModule.forRoot({ timeout: ${config.timeoutMs} })\`. Overshoot = (SIGTERM sent → exit seen by the parent) − timeout: ` +
      'it includes signal delivery, the report and Node\'s teardown. A hook that blocks the event loop can only be ended by the ' +
      'watchdog thread, by design 100 ms after the deadline (`WATCHDOG_GRACE_MS`), hence its higher goal. ' +
      `${config.rounds} runs per kind, interleaved, after ${config.warmup} warm-up round(s); each run a fresh process.`,
    '',
    results,
    '',
    goalsTable(goals),
  ].join('\n');
  const figures: Record<string, number> = {};
  for (const row of rows) {
    figures[`${row.kind}P50Ms`] = row.p50;
    figures[`${row.kind}MaxMs`] = row.max;
  }
  return { section: 'deadline', title: 'Deadline precision', terminal: [results, '', goalsTable(goals)].join('\n'), markdown, goals, figures };
}
