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

export interface Interval {
  low: number;
  high: number;
}

/**
 * Confidence interval of the median of `values` (per-round ratios, say), by bootstrap: the median
 * of `resamples` resamples drawn with replacement, their `confidence` percentile range. Seeded, so
 * that one set of samples always gives one interval. With fewer than 2 values: the value itself.
 */
export function medianInterval(values: readonly number[], confidence = 0.95, resamples = 2_000): Interval {
  if (values.length < 2) return { low: values[0] ?? NaN, high: values[0] ?? NaN };
  let seed = 0x9e3779b9;
  // mulberry32: small, fast, good enough to resample.
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const medians: number[] = [];
  const sample = new Array<number>(values.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[Math.floor(random() * values.length)];
    medians.push(stats(sample).median);
  }
  const tail = ((1 - confidence) / 2) * 100;
  return { low: percentile(medians, tail), high: percentile(medians, 100 - tail) };
}

/** `1.023 (95 % CI 1.010-1.041, n 25)`: a ratio, the median of per-round ratios, with its interval. */
export function ratioWithInterval(ratios: readonly number[], digits = 3): string {
  const { median, n } = stats(ratios);
  const { low, high } = medianInterval(ratios);
  return `${median.toFixed(digits)} (95 % CI ${low.toFixed(digits)}-${high.toFixed(digits)}, n ${n})`;
}
