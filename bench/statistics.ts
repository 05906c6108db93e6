/** How the benchmarks sample (interleaved rounds) and summarise what they measured. */

/**
 * Runs `sample(variant)` for every variant, round after round, the variants interleaved and their
 * order rotated each round (A B, B A, ...; with three: A B C, B C A, C A B). The first `warmup`
 * rounds are discarded.
 */
export async function interleave<V extends string, R>(
  variants: readonly V[],
  { rounds, warmup }: { rounds: number; warmup: number },
  sample: (variant: V, round: number) => Promise<R>,
  progress?: (text: string) => void,
): Promise<Record<V, R[]>> {
  const results = Object.fromEntries(variants.map((variant) => [variant, [] as R[]])) as Record<V, R[]>;
  for (let round = 0; round < warmup + rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]);
    for (const variant of order) {
      const result = await sample(variant, round);
      if (round >= warmup) results[variant].push(result);
    }
    progress?.(round < warmup ? 'w' : '.');
  }
  return results;
}

export interface Stats {
  n: number;
  median: number;
  min: number;
  max: number;
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) throw new Error('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { n: sorted.length, median, min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** `median (min-max)` in ms. */
export function msStats(s: Stats, digits = 1): string {
  return `${s.median.toFixed(digits)} ms (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
}

export function megabytes(bytes: number, digits = 2): string {
  return `${(bytes / 1024 / 1024).toFixed(digits)} MB`;
}
