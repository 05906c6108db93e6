import type { ShutdownContext } from './shutdown-context.interface.js';

/** Options of `ShutdownService.register(name, hook, options)`: those of @OnShutdown() but the name, given apart. */
export interface RegisterHookOptions {
  /** Lower runs first; equal orders run concurrently; negative orders run before the HTTP drain. Default 0. */
  order?: number;
  /** This hook's own limit in ms: its `ctx.signal` aborts and it is reported `timedOut`. */
  timeout?: number;
}

/** A hook given as a function: called with the same `ShutdownContext` as an @OnShutdown() method. */
export type ShutdownHookFunction = (context: ShutdownContext) => unknown;
