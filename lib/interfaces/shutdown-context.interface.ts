/** The argument every @OnShutdown() method receives. */
export interface ShutdownContext {
  /** `'SIGTERM'`, `'SIGINT'`, …, `'message:shutdown'` (PM2), `'close'` for `app.close()`, or the reason given to `shutdown()`. */
  readonly reason: string;
  /** Aborts when this hook's own timeout or the global deadline passes: hand it to whatever you await. */
  readonly signal: AbortSignal;
  /** Epoch ms of the global deadline. */
  readonly deadline: number;
}
