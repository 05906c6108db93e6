/**
 * `npm run demo`: runs the sample app on its database, sends SIGTERM while customers' orders are in
 * flight, then reads the database back and shows what the graceful shutdown did: a timeline of the
 * app's log, every order a client was told was accepted next to the row that holds it, the exit
 * code and a verdict. Exits 0 when the orders in flight got their 200, every accepted order is in
 * the database, no other is, and the app exited 0; 1 otherwise.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, describeExit, passed, type Observed } from './demo/account.js';
import { send, type Sent } from './demo/clients.js';
import { readBack } from './demo/read-back.js';
import { SampleProcess } from './demo/sample-process.js';
import type { TimelineEntry } from './demo/timeline.js';

const SAMPLE_MAIN = fileURLToPath(new URL('./src/main.js', import.meta.url));
/** Startup (the first creates the embedded database), orders and shutdown must fit in this; past it the sample is killed. */
const HARD_LIMIT_MS = 25_000;
/** How far into the slow orders SIGTERM arrives. */
const SIGTERM_AFTER_MS = 300;

type Step = (text: string, at?: number) => void;
type Played = Pick<Observed, 'sigtermAt' | 'sent' | 'exit' | 'problem'>;

async function main(): Promise<boolean> {
  const startedAt = performance.now();
  // Rows placed from now on are this run's: the embedded database is kept between runs.
  const since = new Date();
  const demoSteps: TimelineEntry[] = [];
  const step: Step = (text, at = performance.now()) => void demoSteps.push({ at, who: 'demo', text });

  const giveUp = new AbortController();
  const watchdog = setTimeout(() => giveUp.abort(new Error(`gave up after ${HARD_LIMIT_MS} ms`)), HARD_LIMIT_MS);
  const sample = new SampleProcess(SAMPLE_MAIN, { PORT: '0', NO_COLOR: '1' });
  step(`started the sample, pid ${sample.pid}`);

  const played = await play(sample, step, giveUp.signal);
  if (!played.exit) {
    if (sample.kill('SIGKILL')) step('SIGKILL sent');
    played.exit = await sample.waitForExit(AbortSignal.timeout(2_000)).catch(() => undefined);
  }
  clearTimeout(watchdog);
  if (played.exit) step(`the sample ${describeExit(played.exit)}`, played.exit.at);

  const stored = await readBack(since).catch((error: Error) => error);
  const observed: Observed = { ...played, startedAt, appLines: sample.lines, demoSteps, stored };
  process.stdout.write(`${describe(observed).join('\n')}\n`);
  return passed(observed);
}

/**
 * The script: the marketplace sends two orders (imported by the jobs consumer) and, just before
 * SIGTERM, a third; three customers place slow orders, SIGTERM arrives while they are in flight;
 * a fourth customer comes after the app stopped taking connections.
 */
async function play(sample: SampleProcess, step: Step, abort: AbortSignal): Promise<Played> {
  const played: Played = { sent: [] };
  const sendAndLog = async (sent: Sent): Promise<Sent> => {
    played.sent.push(sent);
    const path = sent.who === 'customer' ? 'POST /orders' : 'POST /marketplace/orders';
    step(`${path} ${sent.quantity} x ${sent.item}${sent.late ? ' (after the server closed)' : ''}`);
    const { result } = await send(port, sent, abort);
    if (result instanceof Error) step(`${path} ${sent.item}: failed, ${result.message}`);
    else if (result) step(`${path} ${sent.item}: answered ${result.status}`, result.at);
    return sent;
  };
  let port = 0;
  try {
    const [, listening] = await sample.waitForLine(/Listening on \S+:(\d+)\s*$/, abort);
    port = Number(listening);
    await Promise.all([
      sendAndLog({ who: 'marketplace', item: 'tray', quantity: 1 }),
      sendAndLog({ who: 'marketplace', item: 'mug', quantity: 4 }),
    ]);
    await sample.waitForLine(/Imported \d+ marketplace order/, abort);
    const customers = [
      sendAndLog({ who: 'customer', item: 'kettle', quantity: 2 }),
      sendAndLog({ who: 'customer', item: 'teapot', quantity: 1 }),
      sendAndLog({ who: 'customer', item: 'mug', quantity: 3 }),
    ];
    // SIGTERM once the app is busy with all three, not merely once they were sent.
    await sample.waitForLines(/Order \S+: reserving/, 3, abort);
    await sleep(SIGTERM_AFTER_MS, undefined, { signal: abort });
    await sendAndLog({ who: 'marketplace', item: 'kettle', quantity: 1 });
    played.sigtermAt = performance.now();
    sample.kill('SIGTERM');
    step('SIGTERM sent', played.sigtermAt);
    // The library logs this when the server stops taking connections; a second at most otherwise.
    await Promise.race([sample.waitForLine(/closed to new connections/, abort), sleep(1_000, undefined, { signal: abort })]);
    const late = sendAndLog({ who: 'customer', item: 'tray', quantity: 1, late: true });
    await Promise.all([...customers, late]);
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
