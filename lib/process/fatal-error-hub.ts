import { ProcessEventHub } from './process-event-hub.js';

export type FatalErrorKind = 'uncaughtException' | 'unhandledRejection';

export const FATAL_ERROR_KINDS: readonly FatalErrorKind[] = ['uncaughtException', 'unhandledRejection'];

/**
 * The process-wide `uncaughtException` / `unhandledRejection` listeners of the applications that
 * opted in; with the last one gone, Node's default crash comes back. A repeat never forces an exit:
 * it is logged by the subscribers and the running sequence decides.
 */
export const fatalErrorHub = new ProcessEventHub<FatalErrorKind>(() => 1);
