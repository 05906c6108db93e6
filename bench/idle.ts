/**
 * Idle cost: memory and timers of an idle HTTP app with and without ShutdownModule (each sample a
 * fresh process of bench/fixtures/idle-app.ts, run with --expose-gc, measured after two GCs).
 */
import { describeExit, fixture, FixtureProcess } from './processes.js';
import { goalsTable, type BenchContext, type BenchResult, type Goal } from './report.js';
import { interleave, megabytes, stats } from './statistics.js';
import { table } from './write-docs.js';

export interface IdleConfig {
  providers: number;
  idleMs: number;
  rounds: number;
  warmup: number;
}

interface IdleSample {
  rss: number;
  heapUsed: number;
  activeMidway: Record<string, number>;
  activeAtEnd: Record<string, number>;
  liveTimers: Record<string, number>;
  createdWhileIdle: Record<string, number>;
}

const VARIANTS = ['without', 'with'] as const;
const MEMORY_GOAL_BYTES = 1024 * 1024;

function describeCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? 'none' : entries.map(([kind, count]) => `${kind} ${count}`).join(', ');
}

/** Every distinct value seen over the samples (they should all agree). */
function distinct(samples: IdleSample[], pick: (sample: IdleSample) => Record<string, number>): string {
  return [...new Set(samples.map((sample) => describeCounts(pick(sample))))].join(' / ');
}

const TIMER_KINDS = ['Timeout', 'Immediate', 'WORKER', 'MESSAGEPORT'];
function timers(counts: Record<string, number>): number {
  return TIMER_KINDS.reduce((total, kind) => total + (counts[kind] ?? 0), 0);
}

export async function runIdle(config: IdleConfig, context: BenchContext): Promise<BenchResult> {
  context.log(`Idle cost: ${config.providers} providers, idle ${config.idleMs} ms, ${config.rounds} round(s) + ${config.warmup} warm-up`);
  const samples = await interleave(
    VARIANTS,
    config,
    async (variant) => {
      const child = new FixtureProcess(fixture('idle-app'), {
        env: { WITH_MODULE: variant === 'with' ? '1' : '0', PROVIDERS: String(config.providers), IDLE_MS: String(config.idleMs) },
        nodeOptions: ['--expose-gc'],
        limitMs: 60_000 + config.idleMs,
      });
      const result = await child.line<IdleSample>('RESULT');
      const exit = await child.exited;
      if (exit.code !== 0) throw new Error(`idle app exited with ${describeExit(exit)}: ${child.describe()}`);
      return result;
    },
    context.progress,
  );
  context.progress('\n');

  const rss = { without: stats(samples.without.map((s) => s.rss)), with: stats(samples.with.map((s) => s.rss)) };
  const heap = { without: stats(samples.without.map((s) => s.heapUsed)), with: stats(samples.with.map((s) => s.heapUsed)) };
  const rssDiff = rss.with.median - rss.without.median;
  const heapDiff = heap.with.median - heap.without.median;
  const maxTimers = (variant: (typeof VARIANTS)[number]) =>
    Math.max(
      ...samples[variant].map((s) =>
        Math.max(timers(s.activeMidway), timers(s.activeAtEnd), timers(s.liveTimers), timers(s.createdWhileIdle)),
      ),
    );
  const timersWith = maxTimers('with');
  const timersWithout = maxTimers('without');
  const range = (s: { median: number; min: number; max: number }) => `${megabytes(s.median)} (${megabytes(s.min)}-${megabytes(s.max)})`;
  const results = table(
    ['variant', 'RSS', 'heap used', 'active handles (getActiveResourcesInfo)', 'timers / workers alive (async_hooks)', 'created while idle'],
    VARIANTS.map((variant) => [
      variant === 'with' ? 'with ShutdownModule' : 'without (library not loaded)',
      range(rss[variant]),
      range(heap[variant]),
      distinct(samples[variant], (s) => ({ ...s.activeMidway, ...s.activeAtEnd })),
      distinct(samples[variant], (s) => s.liveTimers),
      distinct(samples[variant], (s) => s.createdWhileIdle),
    ]),
  );
  const goals: Goal[] = [
    { goal: 'RSS difference < 1 MB', figure: `${rssDiff >= 0 ? '+' : ''}${megabytes(rssDiff)}`, met: Math.abs(rssDiff) < MEMORY_GOAL_BYTES },
    { goal: 'heap difference < 1 MB', figure: `${heapDiff >= 0 ? '+' : ''}${megabytes(heapDiff)}`, met: Math.abs(heapDiff) < MEMORY_GOAL_BYTES },
    {
      goal: 'no timer, interval or worker while idle (with − without = 0)',
      figure: `${timersWith - timersWithout} (with: ${timersWith}, without: ${timersWithout})`,
      met: timersWith - timersWithout <= 0,
    },
  ];
  const markdown = [
    '## Idle cost',
    '',
    `An HTTP app (Express, 127.0.0.1) of ${config.providers} generated providers, each with one hook method ` +
      '([bench/fixtures/idle-app.ts](../bench/fixtures/idle-app.ts)): with `@OnShutdown()` and `ShutdownModule.forRoot()`, or the same ' +
      `classes with plain methods and the library not loaded at all. Once listening, the app stays idle ${config.idleMs} ms, then memory ` +
      'is read after two forced GCs (`--expose-gc`). Handles are listed with `process.getActiveResourcesInfo()` (ref\'d handles, ' +
      'half-way and at the end) and counted by an `async_hooks` census started before anything loads, which also sees unref\'d ' +
      'timers and worker threads. The fixture\'s own timers are left out. ' +
      `Median (min-max) of ${config.rounds} interleaved runs per variant after ${config.warmup} warm-up round(s).`,
    '',
    results,
    '',
    goalsTable(goals),
  ].join('\n');
  return {
    section: 'idle',
    title: 'Idle cost',
    terminal: [results, '', goalsTable(goals)].join('\n'),
    markdown,
    goals,
    figures: {
      rssWithout: rss.without.median,
      rssWith: rss.with.median,
      heapWithout: heap.without.median,
      heapWith: heap.with.median,
      rssDiff,
      heapDiff,
      timersWith,
      timersWithout,
    },
  };
}
