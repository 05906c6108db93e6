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

export interface RatioInterval {
  n: number;
  median: number;
  /** The 95 % confidence interval of the median (bootstrap); both NaN with fewer than 3 values. */
  low: number;
  high: number;
  /** (high - low) / 2, relative to the median: "± 0.4 %" is 0.004. */
  halfWidth: number;
}

/** A small deterministic generator (mulberry32): the same samples give the same interval. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The median of `values` (per-round ratios with / without, say) with a 95 % confidence interval
 * from a percentile bootstrap (2 000 resamples of the rounds): robust to the odd round that another
 * process on a shared machine disturbed, which would widen a t-interval of the mean.
 */
export function medianInterval(values: readonly number[], resamples = 2_000): RatioInterval {
  const median = stats(values).median;
  const n = values.length;
  if (n < 3) return { n, median, low: Number.NaN, high: Number.NaN, halfWidth: Number.NaN };
  const random = randomFrom(0x5eed ^ n);
  const medians: number[] = [];
  const resample = new Array<number>(n);
  for (let i = 0; i < resamples; i++) {
    for (let j = 0; j < n; j++) resample[j] = values[Math.floor(random() * n)];
    medians.push(stats(resample).median);
  }
  const low = percentile(medians, 2.5);
  const high = percentile(medians, 97.5);
  return { n, median, low, high, halfWidth: (high - low) / 2 / median };
}

/** `1.023 (95 % CI 1.010-1.041, n 25)`: the median of per-round ratios, with its interval. */
export function ratioWithInterval(ratios: readonly number[], digits = 3): string {
  const { median, n, low, high } = medianInterval(ratios);
  const interval = Number.isNaN(low) ? 'no CI' : `95 % CI ${low.toFixed(digits)}-${high.toFixed(digits)}`;
  return `${median.toFixed(digits)} (${interval}, n ${n})`;
}
