/**
 * `npm run bench`: the rolling-restart scenario of test/e2e/rolling-restart.e2e-spec.ts (HAProxy in
 * front of two instances, steady keep-alive load, each instance in turn restarted) run for the
 * sample app with nestjs-shutdown and for the same HTTP surface with Nest's own
 * `enableShutdownHooks()`, a few times each. Prints every run and a table, and writes the table
 * into docs/benchmarks.md between its rolling-restart markers. Not a test: it exits 1 only when a
 * run could not be carried out (HAProxy missing, an instance that never came back...).
 *
 *   node build/bench/rolling-restart.js [--runs N]     (N runs per variant, default 3)
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeExit } from '../test/support/child-process.js';
import { describeMachine } from './machine.js';
import { BENCHMARKS_FILE, writeSections } from './write-docs.js';
import {
  describeResult,
  haproxyVersion,
  runRollingRestart,
  type RollingRestartResult,
} from '../test/support/rolling-restart/index.js';

const PRE_STOP_DELAY_MS = 1_000;

interface Variant {
  name: string;
  script: string;
  env: Record<string, string>;
}

const VARIANTS: Variant[] = [
  {
    name: `nestjs-shutdown (sample app, preStopDelay ${PRE_STOP_DELAY_MS} ms)`,
    script: fileURLToPath(new URL('../sample/src/main.js', import.meta.url)),
    env: { PRE_STOP_DELAY_MS: String(PRE_STOP_DELAY_MS) },
  },
  {
    name: "Nest's enableShutdownHooks() (test/fixtures/builtin-app)",
    script: fileURLToPath(new URL('../test/fixtures/builtin-app.js', import.meta.url)),
    env: {},
  },
];

interface Summary {
  variant: Variant;
  runs: RollingRestartResult[];
  broken: string[];
}

async function main(): Promise<number> {
  const runs = runsFromArguments(process.argv.slice(2));
  const haproxy = haproxyVersion();
  if (!haproxy) {
    process.stderr.write('HAProxy is not installed (apt-get install -y haproxy).\n');
    return 1;
  }
  for (const variant of VARIANTS) {
    if (!existsSync(variant.script)) {
      process.stderr.write(`${variant.script} is missing: run npm run build && npm run build:apps first.\n`);
      return 1;
    }
  }
  const machine = machineWith(haproxy);
  process.stdout.write(`Rolling restart behind HAProxy, ${runs} run(s) per variant\n${machine}\n\n`);

  const summaries: Summary[] = VARIANTS.map((variant) => ({ variant, runs: [], broken: [] }));
  // Variants alternate, so that a slow moment of the machine doesn't weigh on one variant only.
  for (let run = 1; run <= runs; run++) {
    for (const summary of summaries) {
      process.stdout.write(`--- ${summary.variant.name}, run ${run}/${runs}\n`);
      try {
        const result = await runRollingRestart({ label: summary.variant.name, script: summary.variant.script, env: summary.variant.env });
        summary.runs.push(result);
        process.stdout.write(`${describeResult(result)}\n\n`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        summary.broken.push(message.split('\n')[0]);
        process.stdout.write(`run could not be carried out: ${message}\n\n`);
      }
    }
  }

  const table = renderTable(summaries);
  process.stdout.write(`${table}\n\n${machine}\n`);
  if (summaries.some((summary) => summary.broken.length > 0)) {
    process.stderr.write(`Some runs could not be carried out: ${BENCHMARKS_FILE} left as it was.\n`);
    return 1;
  }
  writeSections({ 'rolling-restart': renderSection(table, machine, runs) });
  process.stdout.write(`Written to ${BENCHMARKS_FILE}\n`);
  return 0;
}

function runsFromArguments(args: string[]): number {
  const index = args.indexOf('--runs');
  if (index === -1) return 3;
  const runs = Number(args[index + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs needs an integer >= 1, got ${args[index + 1]}`);
  return runs;
}

function machineWith(haproxy: string): string {
  const { cpu, cores, os, node } = describeMachine();
  return `Machine: ${cpu}, ${cores} core(s), ${os}, Node ${node}, ${haproxy}`;
}

function renderTable(summaries: Summary[]): string {
  const rows = summaries.map(({ variant, runs }) => {
    const sum = (pick: (result: RollingRestartResult) => number) => runs.reduce((total, result) => total + pick(result), 0);
    const failed = sum((r) => r.failed);
    const total = sum((r) => r.requests.sent);
    const rate = total === 0 ? '-' : `${((failed / total) * 100).toFixed(2)} %`;
    const perRun = runs.map((r) => `${r.failed} / ${r.requests.sent}`).join(', ');
    const kinds = [
      `non-2xx ${sum((r) => r.requests.non2xx)}`,
      `errors ${sum((r) => r.requests.errors)}`,
      `lost ${sum((r) => r.requests.lost)}`,
      `timeouts ${sum((r) => r.requests.timeouts)}`,
    ].join(', ');
    const restarts = runs.flatMap((r) => r.restarts);
    const exits = [...new Set(restarts.map((s) => describeExit(s.exit)))].join(', ');
    const down = range(restarts.map((s) => s.downAfterMs));
    const exited = range(restarts.map((s) => s.exitAfterMs));
    return `| ${variant.name} | ${failed} / ${total} (${rate}) | ${perRun} | ${kinds} | ${down} | ${exited}, ${exits} |`;
  });
  return [
    '| variant | failed requests / total | per run | kind of failure | seen DOWN by HAProxy after SIGTERM | exit after SIGTERM |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

function range(values: number[]): string {
  if (values.length === 0) return '-';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? `${min} ms` : `${min}-${max} ms`;
}

function renderSection(table: string, machine: string, runs: number): string {
  return [
    '## Rolling restart under load behind HAProxy',
    '',
    '`npm run bench` ([bench/rolling-restart.ts](../bench/rolling-restart.ts)); for nestjs-shutdown the same scenario',
    'is the e2e test [test/e2e/rolling-restart.e2e-spec.ts](../test/e2e/rolling-restart.e2e-spec.ts), which requires 0 failures.',
    '',
    'HAProxy in front of two instances of the app, all on 127.0.0.1: `mode http`, keep-alive on both sides,',
    '`retries 0` and no `option redispatch` (a failed request is never retried elsewhere), `balance roundrobin`,',
    'active checks `option httpchk GET /health/ready` with `inter 100ms fall 2 rise 2`. autocannon sends, over',
    'keep-alive connections, 300 req/s of `GET /orders/buffer` (16 connections) and back-to-back',
    '`POST /orders` of about 1.5 s each (4 connections). Under that load each instance in turn gets `SIGTERM`',
    '(right after a burst of POSTs went out, so that it has slow requests in flight when it drains), exits, is',
    'started again on the same port and is seen UP by HAProxy before the next one goes.',
    '',
    'A request fails when it gets a non-2xx answer, a socket error, a timeout, or no answer at all ("lost": its',
    'connection was closed under it, which is what a client sees when HAProxy had sent it on a keep-alive',
    'connection the instance was closing; autocannon itself does not count these, the scenario does).',
    '',
    'nestjs-shutdown turns its readiness route to 503 at `SIGTERM` and keeps serving for `preStopDelay`',
    `(${PRE_STOP_DELAY_MS} ms here), so HAProxy has taken the instance out before it stops accepting connections`,
    'and drains. The built-in variant is the same HTTP surface with `app.enableShutdownHooks()`: its readiness',
    'route answers 200 until the process stops listening at `SIGTERM`, and HAProxy keeps routing to it until two',
    'checks have failed; the requests sent to it meanwhile fail (HAProxy answers 503 when the connection is refused).',
    'Its instances exit by re-raising `SIGTERM`, late: a connection that was busy when Nest closed the server is',
    "answered `Connection: keep-alive` and stays open until Node's `keepAliveTimeout` (5 s) closes it.",
    '',
    `${runs} run(s) per variant:`,
    '',
    table,
    '',
    `${machine}. Measured ${new Date().toISOString().slice(0, 10)}.`,
  ].join('\n');
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
