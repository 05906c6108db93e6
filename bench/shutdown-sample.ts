/**
 * One timed shutdown: a fixture started in a fresh process, SIGTERM once it is ready, and the
 * time from kill() in the parent to the child's 'exit' event. Shared by the latency, exit-split,
 * deadline and profile scripts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, fixture, FixtureProcess, type ChildExit } from './processes.js';

/** What bench/fixtures/shutdown-app.ts runs (VARIANT), besides the floor (bench/fixtures/floor.ts). */
export type LatencyVariant = 'ours' | 'builtin' | 'builtin-exit' | 'floor';
/** The variants above, and ours with `watchdog: false`. */
export type FixtureVariant = LatencyVariant | 'ours-no-watchdog';

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
  const script = variant === 'floor' ? fixture('floor') : fixture('shutdown-app');
  const env: Record<string, string> = variant === 'floor' ? {} : { VARIANT: variant, HOOKS: String(hooks), ORDERS: String(orders) };
  const result = await measureShutdown(script, { env, nodeOptions, settleMs, limitMs: 120_000 });
  if (!expectedExit(variant, result.exit)) {
    throw new Error(`${variant} with ${hooks} hooks: unexpected exit (${describeExit(result.exit)}): ${result.child.describe()}`);
  }
  return result;
}
