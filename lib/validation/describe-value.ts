/** Renders a user's value for an error message: strings quoted, numbers as they print, others by type. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Node's timers hold at most 2^31 - 1 ms; a longer one fires after 1 ms with a TimeoutOverflowWarning. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why `value` is no duration in ms (> 0, or >= 0 with `zeroAllowed`, and a timer can hold it), or undefined. */
export function durationProblem(value: unknown, zeroAllowed: boolean): string | undefined {
  if (!isFiniteNumber(value) || value < 0 || (value === 0 && !zeroAllowed)) {
    return `must be a finite number of ms ${zeroAllowed ? '>= 0' : '> 0'}, got ${describeValue(value)}`;
  }
  if (value > MAX_TIMER_MS) return `must be at most ${MAX_TIMER_MS} ms (2^31 - 1, the longest timer Node can hold), got ${describeValue(value)}`;
  return undefined;
}
