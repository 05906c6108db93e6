/**
 * What a user's e2e suite pays: create → init → close cycles of a small application in one
 * process (bench/fixtures/cycles-app.ts), with and without ShutdownModule, for an HTTP app
 * (`NestFactory.create`) and a standalone context (`createApplicationContext`). Each sample is a
 * fresh process running all its cycles; the four variants are interleaved, round after round.
 */
import { describeExit, fixture, FixtureProcess } from './processes.js';
import { goalsTable, type BenchContext, type BenchResult, type Goal } from './report.js';
import { interleave, medianInterval, msStats, ratioWithInterval, stats } from './statistics.js';
import { table } from './write-docs.js';

export interface CyclesConfig {
  hooks: number;
  modules: number;
  /** Timed cycles per process, after `cycleWarmup` untimed ones. */
  cycles: number;
  cycleWarmup: number;
  rounds: number;
  warmup: number;
}

interface Leftovers {
  sigterm: number;
  sigint: number;
  handles: number;
}

interface CyclesSample {
  perCycleMs: number;
  cpuPerCycleMs: number;
  createMs: number;
  initMs: number;
  closeMs: number;
  heapGrowthPerCycleBytes: number;
  before: Leftovers;
  after: Leftovers;
}

const KINDS = ['http', 'context'] as const;
type Kind = (typeof KINDS)[number];
const VARIANTS = ['http-without', 'http-with', 'http-stand-in', 'context-without', 'context-with', 'context-stand-in'] as const;
type Variant = (typeof VARIANTS)[number];
type Flavour = 'without' | 'with' | 'stand-in';
const FLAVOUR_LABELS: Record<Flavour, string> = {
  without: 'without',
  with: 'with ShutdownModule',
  'stand-in': "without, plus a module of ShutdownModule's shape and no code",
};
const KIND_LABELS: Record<Kind, string> = {
  http: '`NestFactory.create()` (Express) → `init()` → `close()`',
  context: '`createApplicationContext()` → `close()`',
};
const RATIO_GOAL = 1.1;

async function sample(variant: Variant, config: CyclesConfig): Promise<CyclesSample> {
  const [kind, ...rest] = variant.split('-') as [Kind, ...string[]];
  const flavour = rest.join('-') as Flavour;
  const child = new FixtureProcess(fixture('cycles-app'), {
    env: {
      KIND: kind,
      WITH_MODULE: { with: '1', without: '0', 'stand-in': 'stand-in' }[flavour],
      HOOKS: String(config.hooks),
      MODULES: String(config.modules),
      CYCLES: String(config.cycles),
      WARMUP: String(config.cycleWarmup),
    },
    nodeOptions: ['--expose-gc'],
    limitMs: 120_000,
  });
  const result = await child.line<CyclesSample>('RESULT');
  const exit = await child.exited;
  if (exit.code !== 0) throw new Error(`${child.describe()} exited with ${describeExit(exit)}`);
  return result;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function runCycles(config: CyclesConfig, context: BenchContext): Promise<BenchResult> {
  context.log(
    `Cycles: ${config.cycles} create → init → close cycles (+ ${config.cycleWarmup} untimed) of a ${config.hooks}-hook app per process, ` +
      `HTTP and standalone, with and without the module, ${config.rounds} round(s) + ${config.warmup} warm-up`,
  );
  const samples = await interleave(VARIANTS, config, (variant) => sample(variant, config), context.progress);
  context.progress('\n');

  const of = (variant: Variant, pick: (s: CyclesSample) => number) => stats(samples[variant].map(pick));
  const ratiosOf = (kind: Kind, pick: (s: CyclesSample) => number, flavour: Exclude<Flavour, 'without'> = 'with') =>
    samples[`${kind}-${flavour}`].map((s, i) => pick(s) / pick(samples[`${kind}-without`][i]));
  const leaks = VARIANTS.flatMap((variant) =>
    samples[variant]
      .filter(({ before, after }) => after.sigterm !== before.sigterm || after.sigint !== before.sigint || after.handles !== before.handles)
      .map(({ before, after }) => `${variant}: ${JSON.stringify(before)} → ${JSON.stringify(after)}`),
  );

  const rows: string[][] = [];
  for (const kind of KINDS) {
    for (const flavour of ['without', 'with', 'stand-in'] as const) {
      const variant: Variant = `${kind}-${flavour}`;
      rows.push([
        `${kind === 'http' ? 'HTTP' : 'standalone'}, ${FLAVOUR_LABELS[flavour]}`,
        msStats(of(variant, (s) => s.perCycleMs), 3),
        msStats(of(variant, (s) => s.cpuPerCycleMs), 3),
        `${of(variant, (s) => s.createMs).median.toFixed(3)} / ${kind === 'http' ? of(variant, (s) => s.initMs).median.toFixed(3) : '-'} / ${of(variant, (s) => s.closeMs).median.toFixed(3)}`,
        kib(of(variant, (s) => s.heapGrowthPerCycleBytes).median),
      ]);
    }
  }
  const results = table(
    ['variant', 'wall time per cycle', 'CPU time per cycle', 'create / init / close (ms, medians of means)', 'heap growth per cycle (after forced GCs)'],
    rows,
  );
  const goals: Goal[] = KINDS.map((kind) => {
    const ratios = ratiosOf(kind, (s) => s.perCycleMs);
    return {
      goal: `${kind === 'http' ? 'HTTP app' : 'standalone context'}: ${config.cycles} cycles of a ${config.hooks}-hook app, with / without ≤ ${RATIO_GOAL}×`,
      figure: `${ratioWithInterval(ratios)}; CPU time ${ratioWithInterval(ratiosOf(kind, (s) => s.cpuPerCycleMs))}`,
      met: stats(ratios).median <= RATIO_GOAL,
    };
  });
  goals.push({
    goal: `no signal listener or handle left after ${config.cycles + config.cycleWarmup} cycles`,
    figure: leaks.length === 0 ? 'none left, in every process' : leaks.join('; '),
    met: leaks.length === 0,
  });
  const extra = KINDS.map((kind) => {
    const added = of(`${kind}-with`, (s) => s.perCycleMs).median - of(`${kind}-without`, (s) => s.perCycleMs).median;
    const growth = of(`${kind}-with`, (s) => s.heapGrowthPerCycleBytes).median - of(`${kind}-without`, (s) => s.heapGrowthPerCycleBytes).median;
    const standIn = of(`${kind}-stand-in`, (s) => s.perCycleMs).median - of(`${kind}-without`, (s) => s.perCycleMs).median;
    return (
      `${kind === 'http' ? 'HTTP' : 'standalone'}: the module adds ${added.toFixed(3)} ms per cycle and ${kib(growth)} of heap growth per cycle; ` +
      `a module of its shape with no code adds ${standIn.toFixed(3)} ms (stand-in / without ${ratioWithInterval(ratiosOf(kind, (s) => s.perCycleMs, 'stand-in'))})`
    );
  });
  const notes =
    `${extra.join('; ')}. Heap growth is what stays after two forced collections, over the timed cycles: it is Nest's as much as ours ` +
    "(the variant without the library grows too). CPU time is the main thread's time on a core (Linux schedstat): other processes' load " +
    "stretches wall time, not it. The stand-in (bench/fixtures/stand-in-module.ts) is a global module with ShutdownModule's providers, " +
    "injections and lifecycle hooks, all empty: Nest's own price for scanning, creating, linking and calling such a module every cycle, " +
    'which no work inside the library can take back.';
  const markdown = [
    '## Tests\' cost: create → init → close cycles',
    '',
    `A test suite creates and closes the application around each test: here ${config.cycles} timed cycles (after ${config.cycleWarmup} untimed) ` +
      `of an application of ${config.hooks} providers with one hook each over ${config.modules} modules, all in one process ` +
      '([bench/fixtures/cycles-app.ts](../bench/fixtures/cycles-app.ts)). With the module the hooks are `@OnShutdown()` methods and ' +
      '`ShutdownModule.forRoot()` is imported with its defaults; without, they are Nest\'s `onApplicationShutdown()` and the library is not ' +
      `loaded. ${KINDS.map((kind) => `${kind === 'http' ? 'HTTP' : 'Standalone'}: ${KIND_LABELS[kind]}`).join('; ')}; no \`listen()\`, as with supertest. ` +
      `Each sample is a fresh process (run with \`--expose-gc\`); median (min-max) over ${config.rounds} interleaved rounds after ${config.warmup} ` +
      'warm-up round(s); ratios are medians of per-round ratios with a bootstrap 95 % confidence interval.',
    '',
    results,
    '',
    notes,
    '',
    goalsTable(goals),
  ].join('\n');
  const figures: Record<string, number> = {};
  for (const variant of VARIANTS) {
    figures[`${variant}_ms`] = of(variant, (s) => s.perCycleMs).median;
    figures[`${variant}_cpu_ms`] = of(variant, (s) => s.cpuPerCycleMs).median;
    figures[`${variant}_heap_growth_bytes`] = of(variant, (s) => s.heapGrowthPerCycleBytes).median;
  }
  for (const kind of KINDS) {
    const ratios = ratiosOf(kind, (s) => s.perCycleMs);
    const { low, high } = medianInterval(ratios);
    figures[`${kind}_ratio`] = stats(ratios).median;
    figures[`${kind}_stand_in_ratio`] = stats(ratiosOf(kind, (s) => s.perCycleMs, 'stand-in')).median;
    // No interval from fewer than three rounds (a smoke run).
    if (!Number.isNaN(low)) {
      figures[`${kind}_ratio_low`] = low;
      figures[`${kind}_ratio_high`] = high;
    }
  }
  figures.leaks = leaks.length;
  return {
    section: 'cycles',
    title: "Tests' cost: create → init → close cycles",
    terminal: [results, '', notes, '', goalsTable(goals)].join('\n'),
    markdown,
    goals,
    figures,
  };
}
