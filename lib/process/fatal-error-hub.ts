import { ProcessEventHub } from './process-event-hub.js';

export type FatalErrorKind = 'uncaughtException' | 'unhandledRejection';

export const FATAL_ERROR_KINDS: readonly FatalErrorKind[] = ['uncaughtException', 'unhandledRejection'];

/** On globalThis, as the signal hub is: both builds of the library in one process share it. */
const HUB_KEY = Symbol.for('nestjs-shutdown.fatal-error-hub.v1');

/**
 * The process-wide `uncaughtException` / `unhandledRejection` listeners of the applications that
 * opted in; with the last one gone, Node's default crash comes back. A repeat never forces an exit:
 * it is logged by the subscribers and the running sequence decides.
 */
export const fatalErrorHub: ProcessEventHub<FatalErrorKind> = ((globalThis as Record<symbol, ProcessEventHub<FatalErrorKind> | undefined>)[
  HUB_KEY
] ??= new ProcessEventHub<FatalErrorKind>(() => 1));
