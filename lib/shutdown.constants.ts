/** Context name of every log line the library writes. */
export const LOGGER_CONTEXT = 'Shutdown';

/** Fits inside `docker stop`'s 10 s grace period with room for the exit itself. */
export const DEFAULT_TIMEOUT_MS = 8_000;

export const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export const DEFAULT_HOOK_ORDER = 0;

