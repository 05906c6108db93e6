import { ProcessEventHub } from './process-event-hub.js';
import { processGlobal } from './process-global.js';

export type FatalErrorKind = 'uncaughtException' | 'unhandledRejection';

export const FATAL_ERROR_KINDS: readonly FatalErrorKind[] = ['uncaughtException', 'unhandledRejection'];

/**
 * The process-wide `uncaughtException` / `unhandledRejection` listeners of the applications that
 * opted in; with the last one gone, Node's default crash comes back.
 */
export const fatalErrorHub = processGlobal('fatal-error-hub.v2', () => new ProcessEventHub<FatalErrorKind>());
