/**
 * Request overhead: what ShutdownModule costs every request, hello-world GET over keep-alive
 * connections, with and without the module (bench/fixtures/requests-app.ts), Express and Fastify,
 * pipelining 1 and 10, and with a WebSocket gateway and an SSE endpoint present. Both servers of a
 * case run side by side (pinned to one core), autocannon (pinned to another) sends them the same
 * number of requests: in interleaved rounds, one server at a time, for requests/s and p99; then in
 * rounds where both are loaded at once, for the CPU time per request (each round reads the
 * server's process.cpuUsage() before and after): both servers see the same machine at the same
 * moment, which keeps that ratio steady on a shared machine. Each case runs on several fresh pairs
 * of processes (the intervals are over pairs), with a young generation of one fixed size, and A/A
 * control cases show the measurement's own resolution.
 */
import { createRequire } from 'node:module';
import { request } from 'node:http';
import { cpuPinning } from './pinning.js';
import { fixture, FixtureProcess } from './processes.js';
import { goalsTable, type BenchContext, type BenchResult, type Goal } from './report.js';
import { interleave, medianInterval, percentile, stats, type RatioInterval } from './statistics.js';
import { table } from './write-docs.js';

export type Adapter = 'express' | 'fastify';

export interface RequestsCase {
  adapter: Adapter;
  pipelining: number;
  /** A `ws` gateway on the HTTP server and an SSE endpoint present. */
  gateways: boolean;
  /** A/A control: both servers without the library, to show what the measurement itself can tell apart. */
  control?: boolean;
  /** The servers run with Node's defaults, without `serverNodeOptions`: what those options take away. */
  nodeDefaults?: boolean;
}

export interface RequestsConfig {
  cases: RequestsCase[];
  /**
   * Node options of every server (but `nodeDefaults` cases'). A young generation of one fixed size:
   * left to grow on its own, it made two processes of one build differ by up to ±3 % for their lives.
   */
  serverNodeOptions: string[];
  /** Requests per round and variant (a round lasts a second or two at full size). */
  amount: Record<Adapter, number>;
  connections: number;
  /** Fresh pairs of server processes per case; the confidence intervals are over them. */
  processPairs: number;
  /** Per pair: interleaved rounds, one server at a time (requests/s, p99). */
  rounds: number;
  /** Per pair: rounds with both servers loaded at once (CPU time per request). */
  cpuRounds: number;
  /** Per pair: discarded rounds before each of the two kinds. */
  warmup: number;
}

interface RoundSample {
  requestsPerSecond: number;
  p99Ms: number;
  /** Server CPU time (user + system) per request answered, µs. */
  cpuMicrosPerRequest: number;
}

interface CaseResult {
  name: string;
  key: string;
  control: boolean;
  throughput: RatioInterval;
  p99: RatioInterval;
  /** Server CPU per request, without ÷ with: the throughput ratio of a server that is CPU-bound. */
  capacity: RatioInterval;
  /** Medians. */
  without: RoundSample;
  with: RoundSample;
}

const VARIANTS = ['without', 'with'] as const;
type Variant = (typeof VARIANTS)[number];
const THROUGHPUT_GOAL = 0.99;
const P99_GOAL = 1.02;
const CI_GOAL = 0.01;

interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonRun extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, responseMs: number) => void): void;
}
// autocannon is CommonJS without type declarations.
const autocannon = createRequire(import.meta.url)('autocannon') as (options: Record<string, unknown>) => AutocannonRun;

/** The server's CPU time so far and how many hello-world requests it answered (its /__cpu route). */
function readCpu(port: number): Promise<{ cpuMicros: number; answered: number }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/__cpu', agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(JSON.parse(body)));
    })
      .on('error', reject)
      .end();
  });
}

async function round(port: number, amount: number, connections: number, pipelining: number): Promise<RoundSample> {
  const before = await readCpu(port);
  const latencies = new Float64Array(amount + connections * pipelining);
  let answers = 0;
  const started = performance.now();
  let lastAnswerAt = started;
  // sampleInt: autocannon ends a run at its next sample tick only (1 s by default).
  const run = autocannon({ url: `http://127.0.0.1:${port}/`, connections, pipelining, amount, sampleInt: 20 });
  run.on('response', (_client, _status, _bytes, responseMs) => {
    if (answers < latencies.length) latencies[answers++] = responseMs;
    lastAnswerAt = performance.now();
  });
  const result = await run;
  const elapsedMs = lastAnswerAt - started;
  const after = await readCpu(port);
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`load on port ${port}: ${result.non2xx} non-2xx, ${result.errors} error(s), ${result.timeouts} timeout(s)`);
  }
  const answered = after.answered - before.answered;
  return {
    requestsPerSecond: result['2xx'] / (elapsedMs / 1_000),
    p99Ms: percentile(Array.from(latencies.subarray(0, answers)), 99),
    cpuMicrosPerRequest: (after.cpuMicros - before.cpuMicros) / answered,
  };
}

function caseName({ adapter, pipelining, gateways, control, nodeDefaults }: RequestsCase): string {
  const name = `${adapter === 'express' ? 'Express' : 'Fastify'}, pipelining ${pipelining}${gateways ? ', + ws gateway & SSE' : ''}`;
  const defaults = nodeDefaults ? ", Node's default young generation" : '';
  return control ? `${name}: A/A control, both without${defaults}` : `${name}${defaults}`;
}

function caseKey({ adapter, pipelining, gateways, control, nodeDefaults }: RequestsCase): string {
  return `${adapter}_p${pipelining}${gateways ? '_gateways' : ''}${control ? '_control' : ''}${nodeDefaults ? '_node_defaults' : ''}`;
}

function startServer(variant: Variant, testCase: RequestsCase, config: RequestsConfig, launcher: string[]): FixtureProcess {
  return new FixtureProcess(fixture('requests-app'), {
    env: { WITH_MODULE: variant === 'with' ? '1' : '0', ADAPTER: testCase.adapter, GATEWAYS: testCase.gateways ? '1' : '0' },
    nodeOptions: testCase.nodeDefaults ? [] : config.serverNodeOptions,
    launcher,
    limitMs: 30 * 60_000,
  });
}

const median = (values: number[]) => stats(values).median;

/** One pair of fresh servers: the ratios of its rounds (medians) and its raw samples. */
interface PairResult {
  throughput: number;
  p99: number;
  capacity: number;
  alone: Record<Variant, RoundSample[]>;
  together: Array<Record<Variant, RoundSample>>;
}

/**
 * Starts a fresh pair of servers and loads them: `rounds` one at a time, then `cpuRounds` both at
 * once, each kind after `warmup` discarded rounds. Two processes of the same build differ by a few
 * per cent for the whole of their lives (code and heap layout, JIT decisions): that is why a case
 * is measured on several pairs, and its interval is over pairs, not rounds.
 */
async function measurePair(testCase: RequestsCase, config: RequestsConfig, launcher: string[], pairIndex: number, context: BenchContext): Promise<PairResult> {
  // Which one starts first alternates from pair to pair.
  const order: Variant[] = pairIndex % 2 === 0 ? ['without', 'with'] : ['with', 'without'];
  const servers = {} as Record<Variant, FixtureProcess>;
  for (const variant of order) servers[variant] = startServer(testCase.control ? 'without' : variant, testCase, config, launcher);
  try {
    const ports = {} as Record<Variant, number>;
    for (const variant of order) ports[variant] = (await servers[variant].line<{ port: number }>('READY')).port;
    const load = (variant: Variant) => round(ports[variant], config.amount[testCase.adapter], config.connections, testCase.pipelining);
    const alone = await interleave(VARIANTS, config, load, context.progress);
    const together: Array<Record<Variant, RoundSample>> = [];
    for (let i = 0; i < config.warmup + config.cpuRounds; i++) {
      // Which one's load starts first alternates: the load generator serves the first one first.
      const [without, withModule] =
        i % 2 === 0 ? await Promise.all([load('without'), load('with')]) : (await Promise.all([load('with'), load('without')])).reverse();
      if (i >= config.warmup) together.push({ without, with: withModule });
      context.progress(i < config.warmup ? 'w' : ':');
    }
    // Paired by round: the two servers measured one right after the other, or at once.
    const roundRatios = (pick: (withSample: RoundSample, without: RoundSample) => number) =>
      median(alone.with.map((withSample, i) => pick(withSample, alone.without[i])));
    return {
      throughput: roundRatios((withSample, without) => withSample.requestsPerSecond / without.requestsPerSecond),
      p99: roundRatios((withSample, without) => withSample.p99Ms / without.p99Ms),
      capacity: median(together.map((pair) => pair.without.cpuMicrosPerRequest / pair.with.cpuMicrosPerRequest)),
      alone,
      together,
    };
  } finally {
    for (const server of Object.values(servers)) server.kill('SIGKILL');
    await Promise.all(Object.values(servers).map((server) => server.exited));
  }
}

async function measureCase(testCase: RequestsCase, config: RequestsConfig, launcher: string[], context: BenchContext): Promise<CaseResult> {
  context.progress(`  ${caseName(testCase)} `);
  const pairs: PairResult[] = [];
  for (let i = 0; i < config.processPairs; i++) {
    pairs.push(await measurePair(testCase, config, launcher, i, context));
    context.progress(' ');
  }
  context.progress('\n');
  const all = <T>(pick: (pair: PairResult) => T[]) => pairs.flatMap(pick);
  const medians = (variant: Variant): RoundSample => ({
    requestsPerSecond: median(all((pair) => pair.alone[variant]).map((s) => s.requestsPerSecond)),
    p99Ms: median(all((pair) => pair.alone[variant]).map((s) => s.p99Ms)),
    cpuMicrosPerRequest: median(all((pair) => pair.together).map((both) => both[variant].cpuMicrosPerRequest)),
  });
  return {
    name: caseName(testCase),
    key: caseKey(testCase),
    control: testCase.control === true,
    throughput: medianInterval(pairs.map((pair) => pair.throughput)),
    p99: medianInterval(pairs.map((pair) => pair.p99)),
    capacity: medianInterval(pairs.map((pair) => pair.capacity)),
    without: medians('without'),
    with: medians('with'),
  };
}

/** `0.998 ± 0.4 %` */
function ratio(interval: RatioInterval): string {
  const halfWidth = Number.isNaN(interval.halfWidth) ? 'n/a' : `${(interval.halfWidth * 100).toFixed(1)} %`;
  return `${interval.median.toFixed(3)} ± ${halfWidth}`;
}

export async function runRequests(config: RequestsConfig, context: BenchContext): Promise<BenchResult> {
  const pinning = cpuPinning();
  context.log(
    `Request overhead: ${config.cases.length} case(s), ${config.connections} keep-alive connections, ` +
      `${config.amount.express} (Express) / ${config.amount.fastify} (Fastify) requests per round, ` +
      `${config.rounds} round(s) one at a time and ${config.cpuRounds} both at once, each after ${config.warmup} warm-up`,
  );
  context.log(`CPU: ${pinning.note}`);
  const unpin = pinning.pinSelf();
  const results: CaseResult[] = [];
  try {
    for (const testCase of config.cases) results.push(await measureCase(testCase, config, pinning.serverLauncher, context));
  } finally {
    unpin();
  }

  const rows = results.map((result) => [
    result.name,
    `${Math.round(result.without.requestsPerSecond)} / ${Math.round(result.with.requestsPerSecond)}`,
    ratio(result.throughput),
    `${result.without.cpuMicrosPerRequest.toFixed(1)} / ${result.with.cpuMicrosPerRequest.toFixed(1)}`,
    ratio(result.capacity),
    `${result.without.p99Ms.toFixed(2)} / ${result.with.p99Ms.toFixed(2)}`,
    ratio(result.p99),
  ]);
  const resultsTable = table(
    [
      'case',
      'req/s without / with',
      'throughput with ÷ without',
      'server CPU µs/request without / with',
      'capacity (CPU/request without ÷ with)',
      'p99 ms without / with',
      'p99 with ÷ without',
    ],
    rows,
  );
  // The goals are about the library: the A/A control only tells how fine the measurement is.
  const measured = results.filter((result) => !result.control);
  const worst = <K extends 'throughput' | 'capacity' | 'p99'>(key: K, pick: (a: number, b: number) => boolean) =>
    measured.reduce((found, result) => (pick(result[key].median, found[key].median) ? result : found));
  const lowestThroughput = worst('throughput', (a, b) => a < b);
  const lowestCapacity = worst('capacity', (a, b) => a < b);
  const highestP99 = worst('p99', (a, b) => a > b);
  const widest = (key: 'throughput' | 'capacity') =>
    measured.reduce((found, result) => (!(result[key].halfWidth <= found[key].halfWidth) ? result : found));
  const widestCapacity = widest('capacity');
  const widestThroughput = widest('throughput');
  const percent = (interval: RatioInterval) => (Number.isNaN(interval.halfWidth) ? 'n/a' : `± ${(interval.halfWidth * 100).toFixed(2)} %`);
  const goals: Goal[] = [
    {
      goal: `throughput with / without ≥ ${THROUGHPUT_GOAL}, from server CPU per request (every case)`,
      figure: `${lowestCapacity.capacity.median.toFixed(3)} (${lowestCapacity.name})`,
      met: lowestCapacity.capacity.median >= THROUGHPUT_GOAL,
    },
    {
      goal: 'its 95 % confidence interval narrower than ± 1 % (every case)',
      figure: `${percent(widestCapacity.capacity)} (${widestCapacity.name})`,
      met: widestCapacity.capacity.halfWidth < CI_GOAL,
    },
    {
      goal: `requests/s measured by the load generator, with / without ≥ ${THROUGHPUT_GOAL} (every case)`,
      figure: `${lowestThroughput.throughput.median.toFixed(3)} (${lowestThroughput.name})`,
      met: lowestThroughput.throughput.median >= THROUGHPUT_GOAL,
    },
    {
      goal: 'its 95 % confidence interval narrower than ± 1 % (every case)',
      figure: `${percent(widestThroughput.throughput)} (${widestThroughput.name})`,
      met: widestThroughput.throughput.halfWidth < CI_GOAL,
    },
    {
      goal: `p99 latency with / without ≤ ${P99_GOAL} (every case)`,
      figure: `${ratio(highestP99.p99)} (${highestP99.name})`,
      met: highestP99.p99.median <= P99_GOAL,
    },
  ];
  const method =
    `Hello-world \`GET /\` ([bench/fixtures/requests-app.ts](../bench/fixtures/requests-app.ts)) with \`ShutdownModule.forRoot()\`, or the same app ` +
    'without the library loaded at all; "+ ws gateway & SSE" adds a `ws` gateway on the HTTP server (@nestjs/platform-ws) and an `@Sse()` ' +
    `endpoint, which the protocol drains follow. Both servers of a case run side by side; a round sends ${config.amount.express} ` +
    `(Express) or ${config.amount.fastify} (Fastify) requests over ${config.connections} keep-alive connections (autocannon). CPU: ${pinning.note}. ` +
    `Each case is measured on ${config.processPairs} fresh pairs of server processes, which start in alternating order: two processes of ` +
    'the same build differ by a few per cent for their whole lives, more than rounds of one pair do. Most of that came from the young ' +
    'generation as V8 sizes it (its new space reached 32 MB in every server here): when this was looked into, A/A controls read ' +
    `± 1.8–2.9 % in CPU per request with Node's defaults and ± 0.4–0.9 % with \`${config.serverNodeOptions.join(' ')}\` (16 MB), which ` +
    "both servers of every case run with. Objects kept for a moment (the library's included) are then, if anything, copied by the " +
    "collector more often than with Node's defaults; the last A/A control runs with Node's defaults, to show what the option takes away. " +
    `In each pair, after ${config.warmup} discarded round(s) of each kind, requests/s and p99 come from ${config.rounds} interleaved ` +
    "round(s) one server at a time (order rotated each round); p99 is taken over every response of the round (autocannon's own " +
    'histogram has 1 ms steps). Server CPU time per request (`process.cpuUsage()` read before and after each round through the ' +
    `app's \`/__cpu\` route) comes from ${config.cpuRounds} rounds that load both servers at once: both see the same machine at the same ` +
    "moment, and a saturated server's throughput is the inverse of its CPU time per request. A pair's ratio is the median of its " +
    "per-round ratios; a case's ratio is the median of its pairs' ratios, with the half-width of its 95 % confidence interval " +
    '(bootstrap of the pairs); tables show medians of all rounds. The A/A control runs two servers without the library through the ' +
    'same steps: how far from 1.000, and how wide, a ratio comes out when nothing differs.';
  const markdown = ['## Request overhead', '', method, '', resultsTable, '', goalsTable(goals)].join('\n');
  const figures: Record<string, number> = {};
  for (const result of results) {
    figures[`${result.key}_throughput_ratio`] = result.throughput.median;
    figures[`${result.key}_capacity_ratio`] = result.capacity.median;
    figures[`${result.key}_p99_ratio`] = result.p99.median;
    figures[`${result.key}_cpu_us_with`] = result.with.cpuMicrosPerRequest;
    figures[`${result.key}_cpu_us_without`] = result.without.cpuMicrosPerRequest;
    figures[`${result.key}_rps_with`] = result.with.requestsPerSecond;
    figures[`${result.key}_rps_without`] = result.without.requestsPerSecond;
  }
  return {
    section: 'requests',
    title: 'Request overhead',
    terminal: [resultsTable, '', goalsTable(goals)].join('\n'),
    markdown,
    goals,
    figures,
  };
}
