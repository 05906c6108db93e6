/**
 * `npm run bench`: start-up cost, shutdown latency (and its chart), deadline precision, idle
 * cost and request overhead, then the rolling-restart scenario (bench/rolling-restart.ts, in its own process).
 * Prints tables with the machine's description, writes each section between its markers in
 * docs/benchmarks.md (the file is re-read right before writing; other sections stay) and the chart
 * to docs/shutdown-latency.svg. Benchmarks never gate anything: the exit code is 1 only when a
 * run could not be carried out.
 *
 *   node build/bench/run-all.js [--smoke] [--no-write] [--only startup,latency,deadline,idle,cycles,requests] [--skip-rolling-restart]
 *
 * --smoke: tiny sizes, one sample, no warm-up, nothing written, no rolling restart; ends with a
 * `BENCH_JSON {...}` line (what test/e2e/bench-smoke.e2e-spec.ts reads).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCycles, type CyclesConfig } from './cycles.js';
import { runDeadline, type DeadlineConfig } from './deadline.js';
import { runIdle, type IdleConfig } from './idle.js';
import { runLatency, type LatencyConfig } from './latency.js';
import { describeMachine, machineLine } from './machine.js';
import { killAllChildren } from './processes.js';
import type { BenchContext, BenchResult } from './report.js';
import { REPO_ROOT } from './repo-root.js';
import { runRequests, type RequestsConfig } from './requests.js';
import { runStartup, type StartupConfig } from './startup.js';
import { BENCHMARKS_FILE, CHART_FILE, SECTION_ORDER, writeChart, writeSections, type SectionName } from './write-docs.js';

interface Config {
  startup: StartupConfig;
  latency: LatencyConfig;
  deadline: DeadlineConfig;
  idle: IdleConfig;
  cycles: CyclesConfig;
  requests: RequestsConfig;
  /** The whole of this harness (not the rolling restart) is stopped after this long. */
  limitMs: number;
}

/** The request servers' young generation, one size for their whole lives (bench/requests.ts says why). */
const FIXED_YOUNG_GENERATION = ['--min-semi-space-size=16', '--max-semi-space-size=16'];

/** Sized to keep these benchmarks around 20 minutes on 2 shared cores (startup ≈ 1 min, cycles ≈ 2 min, requests ≈ 14 min). */
const FULL: Config = {
  startup: { providers: 2_000, methods: 1, modules: 10, rounds: 25, warmup: 1 },
  latency: { hooks: 1_000, orders: 10, rounds: 15, warmup: 1, chartSizes: [10, 100, 1_000, 10_000], chartRounds: 7, settleMs: 200, splitRounds: 9 },
  deadline: { timeoutMs: 500, hooks: 10, rounds: 20, warmup: 1, settleMs: 200 },
  idle: { providers: 100, idleMs: 1_000, rounds: 8, warmup: 1 },
  cycles: { hooks: 20, modules: 4, cycles: 200, cycleWarmup: 10, rounds: 15, warmup: 1 },
  requests: {
    cases: [
      ...(['express', 'fastify'] as const).flatMap((adapter) =>
        [false, true].flatMap((gateways) => [1, 10].map((pipelining) => ({ adapter, pipelining, gateways }))),
      ),
      { adapter: 'express', pipelining: 10, gateways: false, control: true },
      { adapter: 'express', pipelining: 10, gateways: false, control: true, nodeDefaults: true },
    ],
    serverNodeOptions: FIXED_YOUNG_GENERATION,
    amount: { express: 6_000, fastify: 20_000 },
    connections: 10,
    processPairs: 8,
    rounds: 2,
    cpuRounds: 4,
    warmup: 1,
  },
  limitMs: 25 * 60_000,
};

const SMOKE: Config = {
  startup: { providers: 20, methods: 2, modules: 2, rounds: 1, warmup: 0 },
  latency: { hooks: 20, orders: 2, rounds: 1, warmup: 0, chartSizes: [10, 20], chartRounds: 1, settleMs: 50, splitRounds: 1 },
  deadline: { timeoutMs: 200, hooks: 2, rounds: 1, warmup: 0, settleMs: 50 },
  idle: { providers: 10, idleMs: 200, rounds: 1, warmup: 0 },
  cycles: { hooks: 4, modules: 2, cycles: 3, cycleWarmup: 1, rounds: 1, warmup: 0 },
  requests: {
    cases: [
      { adapter: 'express', pipelining: 1, gateways: false },
      { adapter: 'fastify', pipelining: 10, gateways: true },
    ],
    serverNodeOptions: FIXED_YOUNG_GENERATION,
    amount: { express: 300, fastify: 300 },
    connections: 2,
    processPairs: 1,
    rounds: 1,
    cpuRounds: 1,
    warmup: 0,
  },
  limitMs: 120_000,
};

interface Arguments {
  smoke: boolean;
  write: boolean;
  only: Set<SectionName>;
  rollingRestart: boolean;
}

function parseArguments(args: string[]): Arguments {
  const smoke = args.includes('--smoke');
  const onlyIndex = args.indexOf('--only');
  const only = new Set<SectionName>(SECTION_ORDER);
  if (onlyIndex !== -1) {
    only.clear();
    for (const name of (args[onlyIndex + 1] ?? '').split(',')) {
      if (!(SECTION_ORDER as readonly string[]).includes(name)) throw new Error(`--only takes some of ${SECTION_ORDER.join(',')}; got "${name}"`);
      only.add(name as SectionName);
    }
  }
  const known = new Set(['--smoke', '--no-write', '--only', '--skip-rolling-restart']);
  if (onlyIndex !== -1) known.add(args[onlyIndex + 1]);
  const unknown = args.filter((arg) => !known.has(arg));
  if (unknown.length > 0) throw new Error(`unknown argument(s): ${unknown.join(' ')}`);
  return {
    smoke,
    write: !smoke && !args.includes('--no-write'),
    only,
    rollingRestart: !smoke && onlyIndex === -1 && !args.includes('--skip-rolling-restart'),
  };
}

async function main(): Promise<number> {
  const args = parseArguments(process.argv.slice(2));
  const config = args.smoke ? SMOKE : FULL;
  const machine = describeMachine();
  const machineText = machineLine(machine);
  const began = performance.now();
  const limit = setTimeout(() => {
    process.stderr.write(`\nThe benchmarks did not finish within ${config.limitMs / 60_000} min: stopping.\n`);
    killAllChildren();
    process.exit(1);
  }, config.limitMs);
  limit.unref();

  const context: BenchContext = {
    progress: (text) => void process.stdout.write(text),
    log: (text) => void process.stdout.write(`${text}\n`),
  };
  context.log(`nestjs-shutdown benchmarks${args.smoke ? ' (smoke: tiny sizes, nothing written)' : ''}`);
  context.log(`${machineText}\n`);

  const results: BenchResult[] = [];
  const failures: string[] = [];
  let svg: string | undefined;
  const benches: Record<SectionName, () => Promise<BenchResult>> = {
    startup: () => runStartup(config.startup, context),
    latency: async () => {
      const result = await runLatency(config.latency, context, `${machine.cpu}, ${machine.cores} core(s), Node ${machine.node}, ${machine.date}`);
      svg = result.svg;
      return result;
    },
    deadline: () => runDeadline(config.deadline, context),
    idle: () => runIdle(config.idle, context),
    cycles: () => runCycles(config.cycles, context),
    requests: () => runRequests(config.requests, context),
  };
  for (const name of SECTION_ORDER) {
    if (!args.only.has(name)) continue;
    const started = performance.now();
    try {
      const result = await benches[name]();
      results.push(result);
      context.log(`\n### ${result.title} (${((performance.now() - started) / 1_000).toFixed(0)} s)\n\n${result.terminal}\n`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push(`${name}: ${message}`);
      killAllChildren();
      context.log(`\n${name} could not be carried out: ${message}\n`);
    }
  }
  clearTimeout(limit);

  context.log('## Summary\n');
  for (const result of results) {
    for (const goal of result.goals) context.log(`${goal.met ? 'met   ' : 'MISSED'}  ${result.title}: ${goal.goal}: ${goal.figure}`);
  }
  context.log(`\n${machineText}`);
  context.log(`These benchmarks took ${((performance.now() - began) / 1_000).toFixed(0)} s.`);

  if (args.write && results.length > 0) {
    const stamp = `\n\n${machineText}\nRun with \`npm run bench\` ([bench/run-all.ts](../bench/run-all.ts)).`;
    writeSections(Object.fromEntries(results.map((result) => [result.section, result.markdown + stamp])));
    context.log(`Written to ${BENCHMARKS_FILE}`);
    if (svg) {
      writeChart(svg);
      context.log(`Chart written to ${CHART_FILE}`);
    }
  }
  if (args.smoke) {
    const figures = Object.fromEntries(results.map((result) => [result.section, result.figures]));
    process.stdout.write(`BENCH_JSON ${JSON.stringify({ figures, goals: results.flatMap((r) => r.goals), failures })}\n`);
  }
  let code = failures.length > 0 ? 1 : 0;
  if (failures.length > 0) context.log(`\nNot carried out:\n${failures.join('\n')}`);

  if (args.rollingRestart) code = Math.max(code, await runRollingRestart(context));
  else if (!args.smoke) context.log('\nRolling restart skipped (--only or --skip-rolling-restart).');
  return code;
}

/** bench/rolling-restart.ts, compiled beside this file, in its own process; skipped when absent. */
async function runRollingRestart(context: BenchContext): Promise<number> {
  const script = fileURLToPath(new URL('./rolling-restart.js', import.meta.url));
  if (!existsSync(script)) {
    context.log(`\nRolling restart skipped: ${script} does not exist (bench/rolling-restart.ts not written or not compiled yet).`);
    return 0;
  }
  context.log('\n## Rolling restart (bench/rolling-restart.ts)\n');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: REPO_ROOT, stdio: 'inherit' });
    // A signal now is passed on: the scenario stops its own processes (HAProxy, instances) and exits.
    onInterrupt = (signal) => child.kill(signal);
    child.on('exit', (code, signal) => {
      onInterrupt = interruptHarness;
      if (code !== 0) context.log(`rolling-restart exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
      resolve(code ?? 1);
    });
  });
}

/** Ctrl-C during our benchmarks: no child left behind. */
function interruptHarness(): void {
  killAllChildren();
  process.exit(130);
}
let onInterrupt: (signal: NodeJS.Signals) => void = interruptHarness;
process.on('SIGINT', (signal) => onInterrupt(signal));
process.on('SIGTERM', (signal) => onInterrupt(signal));

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    killAllChildren();
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
