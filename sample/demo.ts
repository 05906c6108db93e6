/**
 * `npm run demo`: runs the sample app, sends it SIGTERM while a slow request is in flight, then
 * shows what the graceful shutdown did: a timeline of the app's log, the request's answer, the
 * orders written to the file, the exit code, and a verdict. Exits 0 when the request got its 200
 * and the app exited 0, 1 otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, describeExit, passed, type Observed } from './demo/account.js';
import { postJson } from './demo/post-json.js';
import { readOrderLines } from './demo/read-orders.js';
import { SampleProcess } from './demo/sample-process.js';
import type { TimelineEntry } from './demo/timeline.js';

const SAMPLE_MAIN = fileURLToPath(new URL('./src/main.js', import.meta.url));
/** Startup, request and shutdown must all fit in this; past it the sample is killed (SIGKILL). */
const HARD_LIMIT_MS = 13_000;
/** How far into the slow request SIGTERM arrives. */
const SIGTERM_AFTER_MS = 300;
const ORDER = { item: 'kettle', quantity: 2 };

type Step = (text: string, at?: number) => void;
type Played = Pick<Observed, 'sigtermAt' | 'response' | 'exit' | 'problem'>;

async function main(): Promise<boolean> {
  const startedAt = performance.now();
  const dir = await mkdtemp(join(tmpdir(), 'nestjs-shutdown-demo-'));
  const ordersFile = join(dir, 'orders.jsonl');
  const demoSteps: TimelineEntry[] = [];
  const step: Step = (text, at = performance.now()) => void demoSteps.push({ at, who: 'demo', text });

  const giveUp = new AbortController();
  const watchdog = setTimeout(() => giveUp.abort(new Error(`gave up after ${HARD_LIMIT_MS} ms`)), HARD_LIMIT_MS);
  const sample = new SampleProcess(SAMPLE_MAIN, { PORT: '0', NO_COLOR: '1', ORDERS_FILE: ordersFile });
  step(`started the sample, pid ${sample.pid}`);

  const played = await play(sample, step, giveUp.signal);
  if (!played.exit) {
    if (sample.kill('SIGKILL')) step('SIGKILL sent');
    played.exit = await sample.waitForExit(AbortSignal.timeout(2_000)).catch(() => undefined);
  }
  clearTimeout(watchdog);
  if (played.exit) step(`the sample ${describeExit(played.exit)}`, played.exit.at);

  const orders = await readOrderLines(ordersFile);
  await rm(dir, { recursive: true, force: true });
  const observed: Observed = { ...played, startedAt, appLines: sample.lines, demoSteps, ordersFile, orders };
  process.stdout.write(`${describe(observed).join('\n')}\n`);
  return passed(observed);
}

/** The script: wait for the port, send the slow request, SIGTERM mid-request, wait for the exit. */
async function play(sample: SampleProcess, step: Step, abort: AbortSignal): Promise<Played> {
  const played: Played = {};
  try {
    const [, port] = await sample.waitForLine(/Listening on \S+:(\d+)\s*$/, abort);
    step(`POST /orders ${JSON.stringify(ORDER)}`);
    const request = postJson(Number(port), '/orders', ORDER, abort).catch((error: Error) => error);
    // SIGTERM once the app is busy with the request, not merely once it was sent.
    await Promise.race([sample.waitForLine(/Order \S+: reserving/, abort), request]);
    await sleep(SIGTERM_AFTER_MS, undefined, { signal: abort });
    played.sigtermAt = performance.now();
    sample.kill('SIGTERM');
    step('SIGTERM sent', played.sigtermAt);
    const response = (played.response = await request);
    if (response instanceof Error) step(`POST /orders failed: ${response.message}`);
    else step(`POST /orders answered ${response.status}`, response.at);
    played.exit = await sample.waitForExit(abort);
  } catch (error) {
    const reason = abort.aborted ? abort.reason : error;
    played.problem = reason instanceof Error ? reason.message : String(reason);
    step(`demo stopped: ${played.problem}`);
  }
  return played;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    console.error('demo crashed:', error);
    process.exit(1);
  },
);
