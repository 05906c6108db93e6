/** The abort reason handed to a hook's `ctx.signal` when its own timeout or the global deadline passes. */
export class ShutdownTimeoutError extends Error {
  override readonly name = 'ShutdownTimeoutError';
}
