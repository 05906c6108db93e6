/** What started a run: decides the reason, whether the pre-stop delay applies, and what Nest's hooks receive. */
export interface ShutdownTrigger {
  kind: 'signal' | 'message' | 'shutdown' | 'close' | 'fatal';
  /** `'SIGTERM'`, `'message:shutdown'` (an IPC message), the reason given to `shutdown()`, `'close'`, `'uncaughtException'` or `'unhandledRejection'`. */
  reason: string;
  /** What Nest's beforeApplicationShutdown/onApplicationShutdown receive, as under `app.close(signal)`. */
  nestSignal?: string;
}
