/**
 * Splits one shutdown's SIGTERM → exit time in two, with bench/fixtures/exit-probe.ts preloaded:
 *   - signal → 'exit' handlers: the JavaScript of the shutdown (the sequence, the report, process.exit)
 *   - 'exit' handlers → exit seen by the parent: Node's teardown after the last JavaScript (threads
 *     joined: background compile jobs, worker threads) and the kernel's.
 * The parent's kill time and the probe's timestamp read the same monotonic clock (process.hrtime).
 * A process that dies by a re-raised signal runs no 'exit' handler: it can't be split.
 */
import { sampleLatency, type FixtureVariant, type ShutdownSample } from './shutdown-sample.js';

export const EXIT_PROBE = ['--import', new URL('./fixtures/exit-probe.js', import.meta.url).href];

export interface ExitSplit {
  totalMs: number;
  javascriptMs: number;
  teardownMs: number;
}

/** The split of a sample run with EXIT_PROBE preloaded; undefined when no 'exit' handler ran. */
export function splitOf({ latencyMs, child }: ShutdownSample): ExitSplit | undefined {
  const match = /EXIT_AT (\d+)/.exec(child.errorOutput);
  if (!match) return undefined;
  const javascriptMs = Number(BigInt(match[1]) - child.signalledAtNs) / 1e6;
  return { totalMs: latencyMs, javascriptMs, teardownMs: latencyMs - javascriptMs };
}

export async function sampleExitSplit(
  variant: Exclude<FixtureVariant, 'builtin'>,
  hooks: number,
  orders: number,
  settleMs: number,
  nodeOptions: string[] = [],
): Promise<ExitSplit> {
  const sample = await sampleLatency(variant, hooks, orders, settleMs, [...nodeOptions, ...EXIT_PROBE]);
  const split = splitOf(sample);
  if (!split) throw new Error(`${variant}: no EXIT_AT line from the exit probe: ${sample.child.describe()}`);
  return split;
}
