import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Aborts the wait at once (the scenario's overall limit). */
  signal?: AbortSignal;
}

/** Thrown by a check to stop waiting at once (the awaited thing can no longer happen). */
export class FatalWaitError extends Error {}

/**
 * Calls `check` every `intervalMs` until it returns something other than `undefined`; rejects with
 * `what` and the last error `check` threw once `timeoutMs` passed or `signal` aborted, or at once
 * when `check` throws a FatalWaitError.
 */
export async function pollUntil<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  { timeoutMs, intervalMs = 50, signal }: PollOptions,
): Promise<T> {
  const until = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (signal?.aborted) throw new Error(`gave up waiting for ${what}: ${messageOf(signal.reason)}`);
    try {
      const value = await check();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      if (error instanceof FatalWaitError) throw error;
      lastError = error;
    }
    if (performance.now() >= until) {
      const last = lastError === undefined ? '' : ` (last error: ${messageOf(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`);
    }
    await pause(intervalMs, signal);
  }
}

/** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

/** Settles like `promise`, or rejects with `what` after `timeoutMs`. */
export async function within<T>(what: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
