import type { ShutdownContext } from './interfaces/shutdown-context.interface.js';

/** A discovered @OnShutdown() method, bound to its instance, ready to run. */
export interface ShutdownHook {
  readonly name: string;
  readonly order: number;
  readonly timeout?: number;
  invoke(context: ShutdownContext): unknown;
}
