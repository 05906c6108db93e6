/**
 * Start-up cost of discovery: the same generated application context (PROVIDERS providers of
 * METHODS methods, one of them a hook) created and initialised with and without ShutdownModule,
 * each sample a fresh process (bench/fixtures/startup-app.ts), the variants interleaved.
 */
import { describeExit, fixture, FixtureProcess } from './processes.js';
import { goalsTable, type BenchContext, type BenchResult, type Goal } from './report.js';
import { interleave, msStats, stats } from './statistics.js';
import { table } from './write-docs.js';

export interface StartupConfig {
  providers: number;
  methods: number;
  modules: number;
  rounds: number;
  warmup: number;
}

interface StartupSample {
  createMs: number;
  readyMs: number;
  discoveryMs: number;
  exploreMs: number;
  hooks: number;
}

const VARIANTS = ['without', 'with'] as const;
const RATIO_GOAL = 1.03;

async function sample(withModule: boolean, config: StartupConfig): Promise<StartupSample> {
  const child = new FixtureProcess(fixture('startup-app'), {
    env: {
      WITH_MODULE: withModule ? '1' : '0',
      PROVIDERS: String(config.providers),
      METHODS: String(config.methods),
      MODULES: String(config.modules),
    },
    limitMs: 60_000,
  });
  const result = await child.line<StartupSample>('RESULT');
  const exit = await child.exited;
  if (exit.code !== 0) throw new Error(`${child.describe()} exited with ${describeExit(exit)}`);
  if (withModule && result.hooks !== config.providers) {
    throw new Error(`expected ${config.providers} hooks to be found, ShutdownService lists ${result.hooks}`);
  }
  return result;
}

export async function runStartup(config: StartupConfig, context: BenchContext): Promise<BenchResult> {
  context.log(
    `Start-up: ${config.providers} providers x ${config.methods} methods over ${config.modules} modules, ` +
      `${config.rounds} round(s) + ${config.warmup} warm-up`,
  );
  const samples = await interleave(VARIANTS, config, (variant) => sample(variant === 'with', config), context.progress);
  context.progress('\n');

  const create = { without: stats(samples.without.map((s) => s.createMs)), with: stats(samples.with.map((s) => s.createMs)) };
  const ready = { without: stats(samples.without.map((s) => s.readyMs)), with: stats(samples.with.map((s) => s.readyMs)) };
  const discovery = stats(samples.with.map((s) => s.discoveryMs));
  const explore = stats(samples.with.map((s) => s.exploreMs));
  const ratio = create.with.median / create.without.median;
  // Rounds are interleaved: the ratio within each round is less exposed to the machine's drift.
  const pairRatios = stats(samples.with.map((s, i) => s.createMs / samples.without[i].createMs));
  const share = discovery.median / create.with.median;

  const results = table(
    ['variant', 'createApplicationContext + init', 'process start → ready', 'ShutdownInitializer.onModuleInit (discovery + planning)', 'of which explore()'],
    [
      ['without ShutdownModule', msStats(create.without), msStats(ready.without), '-', '-'],
      [`with ShutdownModule (${config.providers} hooks)`, msStats(create.with), msStats(ready.with), msStats(discovery, 2), msStats(explore, 2)],
    ],
  );
  const goals: Goal[] = [
    {
      goal: `create + init, with / without ≤ ${RATIO_GOAL}`,
      figure: `${ratio.toFixed(3)} (ratio of medians; median of per-round ratios ${pairRatios.median.toFixed(3)})`,
      met: ratio <= RATIO_GOAL,
    },
  ];
  const readyRatio = ready.with.median / ready.without.median;
  const notes = [
    `Discovery and planning take ${discovery.median.toFixed(1)} ms, ${(share * 100).toFixed(1)} % of the with-module create + init time.`,
    `From process start to ready (loading the library's modules and applying ${config.providers} decorators included): ` +
      `${readyRatio.toFixed(3)}× (+${(ready.with.median - ready.without.median).toFixed(0)} ms).`,
  ].join(' ');
  const markdown = [
    '## Start-up cost of discovery',
    '',
    `An application context of ${config.providers} providers with ${config.methods} methods each, over ${config.modules} modules ` +
      '(the first provider of each module injected by the others), generated in a loop ([bench/fixtures/startup-app.ts](../bench/fixtures/startup-app.ts)). ' +
      'With the module, one method of each provider is an `@OnShutdown()` hook and `ShutdownModule.forRoot()` is imported; without, ' +
      'the same classes with plain methods, and the library is not loaded. Each sample is a fresh process timing ' +
      '`NestFactory.createApplicationContext()` (which runs `init()`); ShutdownInitializer.onModuleInit and ShutdownExplorer.explore ' +
      'are timed by wrapping them. Median (min-max) of ' +
      `${config.rounds} interleaved runs per variant after ${config.warmup} warm-up round(s).`,
    '',
    results,
    '',
    notes,
    '',
    goalsTable(goals),
  ].join('\n');
  return {
    section: 'startup',
    title: 'Start-up cost of discovery',
    terminal: [results, '', notes, '', goalsTable(goals)].join('\n'),
    markdown,
    goals,
    figures: {
      createWithoutMs: create.without.median,
      createWithMs: create.with.median,
      readyWithoutMs: ready.without.median,
      readyWithMs: ready.with.median,
      discoveryMs: discovery.median,
      exploreMs: explore.median,
      ratio,
      pairRatio: pairRatios.median,
      readyRatio,
    },
  };
}
