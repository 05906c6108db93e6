/**
 * Shutdown latency: SIGTERM to process exit, measured from the parent (from kill() to the child's
 * 'exit' event), each sample a fresh process, for
 *   - ours:    the generated HTTP app with N @OnShutdown() no-op hooks over 10 orders and ShutdownModule
 *   - builtin: the same app with N onApplicationShutdown() no-op methods and app.enableShutdownHooks()
 *   - floor:   a bare Node process whose SIGTERM handler calls process.exit(0)
 * at the main size (1 000 hooks: the goals) and at every size of the chart (docs/shutdown-latency.svg).
 */
import { renderLatencyChart, type ChartSeries } from './chart.js';
import { sampleExitSplit } from './exit-split.js';
import { goalsTable, type BenchContext, type BenchResult, type Goal } from './report.js';
import { FLOOR_WORK_MS, sampleLatency, type FixtureVariant, type LatencyVariant } from './shutdown-sample.js';
import { interleave, msStats, ratioWithInterval, stats, type Stats } from './statistics.js';
import { table } from './write-docs.js';

export interface LatencyConfig {
  /** The size the goals are about. */
  hooks: number;
  orders: number;
  rounds: number;
  warmup: number;
  /** Sizes of the chart; the main size, when listed, reuses the main samples. */
  chartSizes: number[];
  chartRounds: number;
  /** Idle time between READY and SIGTERM. */
  settleMs: number;
  /** Runs per variant of the split of the main size into JavaScript and teardown. */
  splitRounds: number;
}

/** The chart's variants: the like-for-like ones; the main size also has 'builtin', Nest's default way out (its re-raised signal). */
export const LATENCY_VARIANTS = ['ours', 'builtin-exit', 'floor'] as const satisfies readonly LatencyVariant[];
const MAIN_VARIANTS = ['ours', 'builtin', 'builtin-exit', 'floor'] as const satisfies readonly LatencyVariant[];

const RATIO_GOAL = 1.1;
/** Above floor + Nest's own lifecycle (Nest's built-in through process.exit()). */
const ABOVE_NEST_GOAL_MS = 10;

export const VARIANT_LABELS: Record<LatencyVariant, string> = {
  ours: 'nestjs-shutdown (ShutdownModule, @OnShutdown hooks)',
  builtin: "for reference: Nest's enableShutdownHooks() (onApplicationShutdown hooks), dying by its re-raised signal",
  'builtin-exit': "Nest's enableShutdownHooks([], { useProcessExit: true }): the same, through process.exit(0)",
  floor: 'floor: bare node, SIGTERM → process.exit(0)',
};

async function measureSize(
  hooks: number,
  variants: readonly LatencyVariant[],
  { rounds, warmup }: { rounds: number; warmup: number },
  config: LatencyConfig,
  context: BenchContext,
): Promise<{ stats: Partial<Record<LatencyVariant, Stats>>; samples: Partial<Record<LatencyVariant, number[]>> }> {
  context.progress(`  ${hooks} hooks: `);
  const samples = await interleave(
    variants,
    { rounds, warmup },
    async (variant) => (await sampleLatency(variant, hooks, config.orders, config.settleMs)).latencyMs,
    context.progress,
  );
  context.progress('\n');
  return { stats: Object.fromEntries(variants.map((variant) => [variant, stats(samples[variant])])), samples };
}

/** Where the time of a shutdown goes: the variants that leave through process.exit(), with and without the optimising compiler. */
const SPLIT_VARIANTS = {
  ours: { variant: 'ours', nodeOptions: [], label: 'nestjs-shutdown' },
  'ours-no-opt': { variant: 'ours', nodeOptions: ['--no-opt'], label: 'nestjs-shutdown, `node --no-opt`' },
  'ours-no-watchdog': { variant: 'ours-no-watchdog', nodeOptions: [], label: 'nestjs-shutdown, `watchdog: false`' },
  'builtin-exit': { variant: 'builtin-exit', nodeOptions: [], label: "Nest's built-in, `useProcessExit: true`" },
  'builtin-exit-no-opt': { variant: 'builtin-exit', nodeOptions: ['--no-opt'], label: "Nest's built-in, `useProcessExit: true`, `node --no-opt`" },
  floor: { variant: 'floor', nodeOptions: [], label: 'floor' },
  'floor-work': { variant: 'floor-work', nodeOptions: [], label: `floor, main thread busy ${FLOOR_WORK_MS} ms after SIGTERM` },
  'floor-work-thread': {
    variant: 'floor-work-thread',
    nodeOptions: [],
    label: `floor, busy ${FLOOR_WORK_MS} ms, a thread started at SIGTERM as the watchdog's is`,
  },
} as const satisfies Record<string, { variant: Exclude<FixtureVariant, 'builtin'>; nodeOptions: readonly string[]; label: string }>;
type SplitVariant = keyof typeof SPLIT_VARIANTS;

async function measureSplit(config: LatencyConfig, context: BenchContext): Promise<{ table: string; figures: Record<string, number> }> {
  context.progress(`  split of ${config.hooks} hooks: `);
  const variants = Object.keys(SPLIT_VARIANTS) as SplitVariant[];
  const samples = await interleave(
    variants,
    { rounds: config.splitRounds, warmup: 0 },
    (key) => sampleExitSplit(SPLIT_VARIANTS[key].variant, config.hooks, config.orders, config.settleMs, [...SPLIT_VARIANTS[key].nodeOptions]),
    context.progress,
  );
  context.progress('\n');
  const figures: Record<string, number> = {};
  const rows = variants.map((key) => {
    const [total, javascript, teardown] = [
      stats(samples[key].map((split) => split.totalMs)),
      stats(samples[key].map((split) => split.javascriptMs)),
      stats(samples[key].map((split) => split.teardownMs)),
    ];
    figures[`split_${key}_total_ms`] = total.median;
    figures[`split_${key}_javascript_ms`] = javascript.median;
    figures[`split_${key}_teardown_ms`] = teardown.median;
    return [SPLIT_VARIANTS[key].label, msStats(total), msStats(javascript), msStats(teardown)];
  });
  return {
    table: table(['variant', 'SIGTERM → exit', "signal → 'exit' handlers (JavaScript)", "'exit' handlers → exit seen (teardown)"], rows),
    figures,
  };
}

/** What the split says, in figures of this run. */
function splitReading(figures: Record<string, number>): string {
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const figure = (key: SplitVariant, part: 'total' | 'javascript' | 'teardown') => figures[`split_${key}_${part}_ms`];
  const compileWait = figure('builtin-exit', 'teardown') - figure('builtin-exit-no-opt', 'teardown');
  const watchdogCost = figure('ours', 'total') - figure('ours-no-watchdog', 'total');
  const threadCost = figure('floor-work-thread', 'total') - figure('floor-work', 'total');
  return [
    `Reading. Nest's built-in spends ${ms(figure('builtin-exit', 'teardown'))} after its last JavaScript, ` +
      `${ms(figure('builtin-exit-no-opt', 'teardown'))} without the optimising compiler: about ${ms(compileWait)} of process.exit() ` +
      'waiting for background compile jobs, which a process killed by its re-raised signal does not wait for.',
    `nestjs-shutdown takes ${ms(figure('ours', 'total'))} in all, ${ms(figure('ours-no-watchdog', 'total'))} with \`watchdog: false\`` +
      (watchdogCost > 5
        ? ": the watchdog thread's start-up competes with a shutdown this short for the CPU, and is still going on at exit, where Node waits for it."
        : ': the watchdog thread costs little in this run.'),
    `Without it, the library's JavaScript (the hooks, the drain, Nest's lifecycle, the report) takes ` +
      `${ms(figure('ours-no-watchdog', 'javascript'))} against ${ms(figure('builtin-exit', 'javascript'))} for Nest's built-in.`,
    `A bare process that starts such a thread at SIGTERM and exits ${FLOOR_WORK_MS} ms later takes ` +
      `${threadCost.toFixed(1)} ms longer than without it: what any hard deadline run by a thread costs a shutdown this short ` +
      '(a thread is the one thing that can end a process whose event loop is blocked), whatever the library does.',
  ].join(' ');
}

export interface LatencyResult extends BenchResult {
  /** The chart, to be written to docs/shutdown-latency.svg. */
  svg: string;
}

export async function runLatency(config: LatencyConfig, context: BenchContext, machineText: string): Promise<LatencyResult> {
  context.log(
    `Shutdown latency: ${config.hooks} hooks over ${config.orders} orders, ${config.rounds} round(s) + ${config.warmup} warm-up; ` +
      `chart at ${config.chartSizes.join(', ')} hooks, ${config.chartRounds} round(s) each`,
  );
  const measured = await measureSize(config.hooks, MAIN_VARIANTS, config, config, context);
  const main = measured.stats as Record<LatencyVariant, Stats>;
  const mainSamples = measured.samples as Record<LatencyVariant, number[]>;
  const bySize = new Map<number, Partial<Record<LatencyVariant, Stats>>>([[config.hooks, main]]);
  for (const size of config.chartSizes) {
    if (!bySize.has(size)) bySize.set(size, (await measureSize(size, LATENCY_VARIANTS, { rounds: config.chartRounds, warmup: 0 }, config, context)).stats);
  }
  const split = await measureSplit(config, context);
  const at = (size: number, variant: (typeof LATENCY_VARIANTS)[number]): Stats => bySize.get(size)![variant]!;
  const sizes = [...bySize.keys()].sort((a, b) => a - b);

  // Like for like: Nest's built-in leaving through process.exit(), as nestjs-shutdown does.
  const ratio = main.ours.median / main['builtin-exit'].median;
  const roundRatios = mainSamples.ours.map((ours, round) => ours / mainSamples['builtin-exit'][round]);
  const nestLifecycle = main['builtin-exit'].median - main.floor.median;
  const aboveNest = main.ours.median - main['builtin-exit'].median;
  const goals: Goal[] = [
    {
      goal: `ours / Nest's built-in with \`useProcessExit: true\` ≤ ${RATIO_GOAL} (${config.hooks} hooks, watchdog on)`,
      figure: `${ratio.toFixed(2)}× (ratio of medians; median of per-round ratios ${ratioWithInterval(roundRatios, 2)})`,
      met: ratio <= RATIO_GOAL,
    },
    {
      goal: `ours ≤ floor + Nest's own lifecycle + ${ABOVE_NEST_GOAL_MS} ms (${config.hooks} hooks)`,
      figure: `${main.ours.median.toFixed(1)} ms against ${(main.floor.median + nestLifecycle + ABOVE_NEST_GOAL_MS).toFixed(1)} ms (floor ${main.floor.median.toFixed(1)} + Nest ${nestLifecycle.toFixed(1)} + ${ABOVE_NEST_GOAL_MS}): ${aboveNest.toFixed(1)} ms above Nest`,
      met: aboveNest <= ABOVE_NEST_GOAL_MS,
    },
  ];
  const referenceNote =
    `For reference (no goal): ours / Nest's built-in that dies by its re-raised signal = ${(main.ours.median / main.builtin.median).toFixed(2)}×; ` +
    "that process skips `process.exit()` (no `exit` handlers, no flush of asynchronous logs, no exit code of its own), and with it " +
    "Node's exit teardown. Nest's own lifecycle is taken as Nest's built-in with `useProcessExit: true` minus the floor.";
  const splitText = [
    `Where the time goes at ${config.hooks} hooks (${config.splitRounds} interleaved runs per row, each with ` +
      '[bench/fixtures/exit-probe.ts](../bench/fixtures/exit-probe.ts) preloaded, which notes the time of the `exit` event, the last ' +
      'JavaScript a process runs): the JavaScript of the shutdown, then the teardown after it. `--no-opt` turns the optimising ' +
      "compiler off for the whole process: it shows what part of the teardown is Node's exit waiting for compile jobs that the " +
      "shutdown's own hot loops started on background threads (a process killed by its re-raised signal does not wait for them).",
    '',
    split.table,
    '',
    splitReading(split.figures),
  ].join('\n');
  const mainTable = table(
    ['variant', `SIGTERM → exit, ${config.hooks} hooks: median (min-max)`, 'exits with'],
    [
      [VARIANT_LABELS.ours, msStats(main.ours), 'code 0'],
      [VARIANT_LABELS.builtin, msStats(main.builtin), 'signal SIGTERM (re-raised)'],
      [VARIANT_LABELS['builtin-exit'], msStats(main['builtin-exit']), 'code 0'],
      [VARIANT_LABELS.floor, msStats(main.floor), 'code 0'],
    ],
  );
  const chartTable = table(
    ['hooks', 'ours', 'built-in (useProcessExit)', 'floor', 'ours / built-in', 'ours − built-in', 'built-in − floor'],
    sizes.map((size) => {
      const [ours, builtin, floor] = LATENCY_VARIANTS.map((variant) => at(size, variant));
      return [
        String(size),
        msStats(ours),
        msStats(builtin),
        msStats(floor),
        `${(ours.median / builtin.median).toFixed(2)}×`,
        `${(ours.median - builtin.median).toFixed(1)} ms`,
        `${(builtin.median - floor.median).toFixed(1)} ms`,
      ];
    }),
  );
  const series: ChartSeries[] = LATENCY_VARIANTS.map((variant) => ({
    label: { ours: 'nestjs-shutdown', 'builtin-exit': "Nest's enableShutdownHooks({ useProcessExit })", floor: 'floor (bare node, process.exit)' }[variant],
    points: sizes.map((size) => ({ x: size, ...pick(at(size, variant)) })),
  }));
  const svg = renderLatencyChart(series, {
    title: 'Shutdown latency (SIGTERM → process exit) vs number of hooks',
    subtitle: machineText,
  });
  const description =
    'An HTTP app (Express, listening on 127.0.0.1) generated in a loop ([bench/fixtures/shutdown-app.ts](../bench/fixtures/shutdown-app.ts)): ' +
    `N providers over ${config.orders} modules, each provider with one no-op hook; with nestjs-shutdown the hook is \`@OnShutdown(k)\` ` +
    `(k = module index, so ${config.orders} orders) and \`ShutdownModule.forRoot()\` is imported (default options, watchdog on, and logging: ` +
    'the report goes to stdout, read by the parent through a pipe; past 50 hooks those that went well are summed up in one line); ' +
    "built-in is the same app with `onApplicationShutdown()` methods and `app.enableShutdownHooks([], { useProcessExit: true })` " +
    '(Nest calls them module by module, then ends the process with `process.exit(0)`, the way nestjs-shutdown does); for reference, ' +
    "Nest's default `enableShutdownHooks()` re-raises the signal instead, so that process dies by SIGTERM without `process.exit()`; " +
    'the floor is a bare `node` process with an HTTP server, whose SIGTERM ' +
    "handler calls `process.exit(0)`. Each sample is a fresh process, signalled " +
    `${config.settleMs} ms after it reported ready; the time runs from \`kill()\` in the parent to the child's \`exit\` event.`;
  const markdown = [
    '## Shutdown latency',
    '',
    description,
    '',
    `Median (min-max) of ${config.rounds} interleaved runs per variant after ${config.warmup} warm-up round(s):`,
    '',
    mainTable,
    '',
    goalsTable(goals),
    '',
    referenceNote,
    '',
    splitText,
    '',
    `Against the number of hooks (${config.chartRounds} runs per point; the ${config.hooks}-hook row is the one above):`,
    '',
    chartTable,
    '',
    '![Shutdown latency vs number of hooks](shutdown-latency.svg)',
  ].join('\n');
  const figures: Record<string, number> = {
    ratio,
    aboveNestMs: aboveNest,
    ratioToReraised: main.ours.median / main.builtin.median,
    builtinExitMs: main['builtin-exit'].median,
    chartBytes: svg.length,
    ...split.figures,
  };
  for (const size of sizes) for (const variant of LATENCY_VARIANTS) figures[`${variant}_${size}_ms`] = at(size, variant).median;
  return {
    section: 'latency',
    title: 'Shutdown latency',
    terminal: [mainTable, '', goalsTable(goals), '', referenceNote, '', splitText, '', chartTable].join('\n'),
    markdown,
    goals,
    figures,
    svg,
  };
}

function pick(s: Stats): { median: number; min: number; max: number } {
  return { median: s.median, min: s.min, max: s.max };
}
