/**
 * Where a shutdown's time goes, for one variant of the latency benchmark (not part of run-all):
 *
 *   node build/bench/profile.js [--variant ours|ours-no-watchdog|builtin|builtin-exit|floor] [--hooks 1000] [--orders 10] [--runs 5] [--top 25]
 *                               [--hang async|sync --timeout 500] [--keep file.cpuprofile]
 *
 * 1. `--runs` fresh processes, preloaded with bench/fixtures/exit-probe.ts, split SIGTERM → exit
 *    into "signal → 'exit' handlers" (JavaScript: the sequence, the report, process.exit) and
 *    "'exit' handlers → exit seen by the parent" (Node's teardown, threads joined). A process that
 *    dies by a re-raised signal (built-in) runs no 'exit' handler: only the total is known.
 * 2. One more process under `--cpu-prof` (100 µs sampling): the samples taken after SIGTERM, by
 *    self time, per function and per area (the library's dist/, @nestjs, Node's internals, GC).
 *    V8's profile clock and process.hrtime() are both CLOCK_MONOTONIC, so the parent's kill time
 *    cuts the profile. Node writes the profile when the process exits through process.exit() or
 *    returns; not when it dies by a signal (the built-in variant).
 *
 *   node build/bench/profile.js --startup [--providers 2000] [--top 25]
 *
 * Start-up instead: one bench/fixtures/startup-app.ts process (with the module) under --cpu-prof;
 * the samples taken inside ShutdownInitializer.onModuleInit (discovery and planning), and those inside
 * the @OnShutdown() decorator (when the classes are defined).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXIT_PROBE, splitOf } from './exit-split.js';
import { describeMachine, machineLine } from './machine.js';
import { describeExit, fixture, FixtureProcess } from './processes.js';
import { REPO_ROOT } from './repo-root.js';
import { measureShutdown, sampleLatency, type FixtureVariant } from './shutdown-sample.js';
import { stats } from './statistics.js';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function option(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(name);
  return index === -1 ? fallback : (args[index + 1] ?? fallback);
}

const args = process.argv.slice(2);
const variant = option(args, '--variant', 'ours') as FixtureVariant;
const hooks = Number(option(args, '--hooks', '1000'));
const orders = Number(option(args, '--orders', '10'));
const runs = Number(option(args, '--runs', '5'));
const top = Number(option(args, '--top', '25'));
const hang = option(args, '--hang', '');
const timeout = option(args, '--timeout', '500');
const keep = option(args, '--keep', '');
const startup = args.includes('--startup');
const providers = Number(option(args, '--providers', '2000'));
if (!['ours', 'ours-no-watchdog', 'builtin', 'builtin-exit', 'floor'].includes(variant)) throw new Error('--variant: ours, ours-no-watchdog, builtin, builtin-exit or floor');
if (hang && variant !== 'ours') throw new Error('--hang needs --variant ours');

async function once(nodeOptions: string[]) {
  if (!hang) return sampleLatency(variant, hooks, orders, 200, nodeOptions);
  return measureShutdown(fixture('shutdown-app'), {
    env: { VARIANT: 'ours', HOOKS: String(hooks), ORDERS: String(orders), HANG: hang, TIMEOUT: timeout },
    nodeOptions,
    settleMs: 200,
    limitMs: 120_000,
  });
}

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (url.includes('/dist/')) return 'nestjs-shutdown (dist/)';
  if (url.includes('node_modules/@nestjs/')) return '@nestjs';
  if (url.includes('node_modules/')) return 'other node_modules';
  if (url.startsWith('node:')) return 'Node internals';
  if (url.includes('/bench/')) return 'bench fixture';
  return url;
}

function where(url: string, line: number): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? relative(REPO_ROOT, fileURLToPath(url)) : url;
  return `${path}:${line + 1}`;
}


interface Frame {
  name: string;
  url: string;
  key: string;
}

/**
 * Self time per function and per area, and inclusive time of the library's and Nest's functions,
 * over the samples `select` keeps (given the sample's stack, innermost frame first, and its time).
 */
function analyse(profile: CpuProfile, heading: string, select: (stack: Frame[], timeUs: number) => boolean): void {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const childId of node.children ?? []) parents.set(childId, node.id);
  const frameOf = (id: number): Frame => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    return { name, url, key: `${name} ${where(url, lineNumber)}`.trim() };
  };
  const self = new Map<string, { ms: number; area: string }>();
  const byArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let time = profile.startTime;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    const stack: Frame[] = [];
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parents.get(id)) stack.push(frameOf(id));
    if (!select(stack, time)) continue;
    const weight = (profile.timeDeltas[i + 1] ?? 100) / 1_000;
    const leaf = stack[0];
    const entry = self.get(leaf.key) ?? { ms: 0, area: area(leaf.url, leaf.name) };
    entry.ms += weight;
    self.set(leaf.key, entry);
    byArea.set(entry.area, (byArea.get(entry.area) ?? 0) + weight);
    for (const key of new Set(stack.filter((frame) => frame.url).map((frame) => frame.key))) inclusive.set(key, (inclusive.get(key) ?? 0) + weight);
    total += weight;
  }
  const percent = (value: number) => `${((value / Math.max(total, 1e-9)) * 100).toFixed(1)} %`;
  const line = (ms: number, text: string) => `  ${ms.toFixed(1).padStart(8)} ms ${percent(ms).padStart(7)}  ${text}\n`;
  process.stdout.write(`${heading}: ${total.toFixed(1)} ms sampled\n\nBy area (self time):\n`);
  for (const [name, ms] of [...byArea].sort((a, b) => b[1] - a[1])) process.stdout.write(line(ms, name));
  process.stdout.write(`\nTop ${top} functions by self time:\n`);
  for (const [key, { ms }] of [...self].sort((a, b) => b[1].ms - a[1].ms).slice(0, top)) process.stdout.write(line(ms, key));
  process.stdout.write(`\nTop ${top} functions of the library and Nest by inclusive time (self + callees):\n`);
  const ours = [...inclusive].filter(([key]) => key.includes('dist/') || key.includes('@nestjs/'));
  for (const [key, ms] of ours.sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(line(ms, key));
  process.stdout.write('\n');
}

/** Runs `launch` with --cpu-prof into a temporary directory and hands the profile over. */
async function profiled<T>(launch: (nodeOptions: string[]) => Promise<T>, use: (profile: CpuProfile | undefined, result: T) => void): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'nestjs-shutdown-profile-'));
  try {
    const result = await launch(['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', directory]);
    const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
    const profile = file ? (JSON.parse(readFileSync(join(directory, file), 'utf8')) as CpuProfile) : undefined;
    if (profile && keep) writeFileSync(keep, JSON.stringify(profile));
    use(profile, result);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

process.stdout.write(`${machineLine(describeMachine())}\n`);

if (startup) {
  process.stdout.write(`Profile of start-up with ShutdownModule: ${providers} providers, one @OnShutdown() hook each\n\n`);
  await profiled(
    async (nodeOptions) => {
      const child = new FixtureProcess(fixture('startup-app'), { env: { WITH_MODULE: '1', PROVIDERS: String(providers), METHODS: '1' }, nodeOptions, limitMs: 120_000 });
      const result = await child.line<Record<string, number>>('RESULT');
      await child.exited;
      return result;
    },
    (profile, result) => {
      process.stdout.write(
        `createApplicationContext + init ${result.createMs.toFixed(1)} ms; onModuleInit ${result.discoveryMs.toFixed(1)} ms; ` +
          `first listHooks() (naming and planning) ${result.planMs.toFixed(1)} ms (under the profiler)\n\n`,
      );
      if (!profile) throw new Error('no CPU profile written');
      const inInitializer = (stack: Frame[]) => stack.some((frame) => frame.name === 'onModuleInit' && frame.url.endsWith('/dist/nest/shutdown-initializer.js'));
      analyse(profile, 'Inside ShutdownInitializer.onModuleInit', inInitializer);
      const inDecorator = (stack: Frame[]) => stack.some((frame) => frame.url.includes('/dist/decorators/'));
      analyse(profile, 'Inside the @OnShutdown() decorator (class definition)', inDecorator);
    },
  );
} else {
  const title = `${variant}${hang ? ` hanging ${hang} hook, timeout ${timeout} ms` : ''}, ${hooks} hooks over ${orders} orders`;
  process.stdout.write(`Profile of SIGTERM → exit: ${title}\n\n`);

  // 1. Split of the latency.
  const totals: number[] = [];
  const javascript: number[] = [];
  const teardown: number[] = [];
  for (let run = 0; run < runs; run++) {
    const sample = await once(EXIT_PROBE);
    const split = splitOf(sample);
    totals.push(sample.latencyMs);
    if (split) {
      javascript.push(split.javascriptMs);
      teardown.push(split.teardownMs);
    }
    process.stdout.write(
      `run ${run + 1}: ${sample.latencyMs.toFixed(1)} ms (${describeExit(sample.exit)})` +
        (split ? `: signal → exit handlers ${split.javascriptMs.toFixed(1)} ms, teardown ${split.teardownMs.toFixed(1)} ms` : '') +
        '\n',
    );
  }
  const median = (values: number[]) => (values.length ? `${stats(values).median.toFixed(1)} ms` : 'n/a (no exit handlers: died by a signal)');
  process.stdout.write(
    `\nmedian SIGTERM → exit ${median(totals)}; signal → 'exit' handlers ${median(javascript)}; 'exit' handlers → exit (teardown) ${median(teardown)}\n\n`,
  );

  // 2. CPU profile of one more run, after the signal.
  await profiled(once, (profile, { child }) => {
    if (!profile) {
      process.stdout.write('No CPU profile was written (the process died by a signal: Node writes it only on a regular exit).\n');
      return;
    }
    const fromUs = Number(child.signalledAtNs / 1000n);
    analyse(profile, `CPU profile after SIGTERM (profile ends ${((profile.endTime - fromUs) / 1_000).toFixed(1)} ms after the signal)`, (_stack, timeUs) => timeUs >= fromUs);
    if (hang) {
      const deadlineUs = fromUs + Number(timeout) * 1_000;
      analyse(profile, `CPU profile after the deadline (${timeout} ms after SIGTERM)`, (_stack, timeUs) => timeUs >= deadlineUs);
    }
  });
}
