import { constants } from 'node:os';

/** Signals a process can never catch: listening to them throws or silently does nothing. */
const UNCATCHABLE = new Set(['SIGKILL', 'SIGSTOP']);

/** Why `name` can't be listened to, or undefined when it can. */
export function signalProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'is not a signal name';
  if (!(name in constants.signals)) return 'is not a signal this platform knows';
  if (UNCATCHABLE.has(name)) return 'can never be caught by a process';
  return undefined;
}
