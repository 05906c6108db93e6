/**
 * One timed shutdown: a fixture started in a fresh process, SIGTERM once it is ready, and the
 * time from kill() in the parent to the child's 'exit' event. Shared by the latency, exit-split,
 * deadline and profile scripts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, fixture, FixtureProcess, type ChildExit } from './processes.js';

/** What bench/fixtures/shutdown-app.ts runs (VARIANT), besides the floor (bench/fixtures/floor.ts). */
export type LatencyVariant = 'ours' | 'builtin' | 'builtin-exit' | 'floor';
/**
 * The variants above, ours with `watchdog: false`, and the floor kept busy as long as a shutdown's
 * JavaScript, without and with a thread started as the watchdog's is (what any such thread costs).
 */
export type FixtureVariant = LatencyVariant | 'ours-no-watchdog' | 'floor-work' | 'floor-work-thread';

/** How long 'floor-work' keeps the main thread busy: about the library's JavaScript at 1 000 hooks. */
export const FLOOR_WORK_MS = 10;

export interface ShutdownSample {
  latencyMs: number;
  exit: ChildExit;
  child: FixtureProcess;
}

export interface ShutdownRunOptions {
  env?: Record<string, string>;
  nodeOptions?: string[];
  settleMs: number;
  limitMs: number;
}

/** Starts the fixture, waits for READY and `settleMs` more, sends SIGTERM and times the exit. */
export async function measureShutdown(script: string, options: ShutdownRunOptions): Promise<ShutdownSample> {
  const child = new FixtureProcess(script, { env: options.env, nodeOptions: options.nodeOptions, limitMs: options.limitMs });
  await child.line('READY');
  await sleep(options.settleMs);
  child.kill('SIGTERM');
  const exit = await child.exited;
  return { latencyMs: exit.msAfterSignal, exit, child };
}

function expectedExit(variant: FixtureVariant, exit: ChildExit): boolean {
  // Nest re-raises the signal after its teardown: the process dies by SIGTERM.
  return variant === 'builtin' ? exit.signal === 'SIGTERM' || exit.code === 0 : exit.code === 0;
}

/** One shutdown of `variant` with `hooks` hooks over `orders` orders; throws on an unexpected exit. */
export async function sampleLatency(variant: FixtureVariant, hooks: number, orders: number, settleMs: number, nodeOptions: string[] = []): Promise<ShutdownSample> {
  const floors: Partial<Record<FixtureVariant, Record<string, string>>> = {
    floor: {},
    'floor-work': { WORK_MS: String(FLOOR_WORK_MS) },
    'floor-work-thread': { WORK_MS: String(FLOOR_WORK_MS), THREAD: '1' },
  };
  const floorEnv = floors[variant];
  const script = floorEnv ? fixture('floor') : fixture('shutdown-app');
  const env = floorEnv ?? { VARIANT: variant, HOOKS: String(hooks), ORDERS: String(orders) };
  const result = await measureShutdown(script, { env, nodeOptions, settleMs, limitMs: 120_000 });
  if (!expectedExit(variant, result.exit)) {
    throw new Error(`${variant} with ${hooks} hooks: unexpected exit (${describeExit(result.exit)}): ${result.child.describe()}`);
  }
  return result;
}
