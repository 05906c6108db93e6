import { messages } from '../messages.js';
import { calledFromHook } from '../run/hook-frame.js';
import { processGlobal } from './process-global.js';

export class ExitCalledInHookError extends Error {
  override readonly name = 'ExitCalledInHookError';
}

type ExitAttempt = (code: number, fromHook: boolean) => void;

interface ExitGuardState {
  readonly watchers: Set<ExitAttempt>;
  originalExit: typeof process.exit | undefined;
  interceptor: ((code: number) => void) | undefined;
}

const state = processGlobal<ExitGuardState>('exit-guard.v1', () => ({ watchers: new Set(), originalExit: undefined, interceptor: undefined }));

/**
 * While a shutdown runs, `process.exit()` would end the process mid-sequence with a code that
 * says nothing of the hooks still to run. From a hook's code (an async hook after its awaits too)
 * it throws instead and the hook is reported failed; from elsewhere it returns. Either way the
 * watcher records the code, which the exit at the end of the sequence takes into account. Returns
 * the function that lifts the guard.
 */
export function guardProcessExit(onAttempt: ExitAttempt): () => void {
  state.watchers.add(onAttempt);
  if (!state.originalExit) {
    state.originalExit = process.exit;
    process.exit = function guardedExit(code?: number | string | null): never {
      const numeric = Number(code ?? process.exitCode ?? 0) || 0;
      const fromHook = calledFromHook();
      for (const watcher of state.watchers) watcher(numeric, fromHook);
      // Rejects that hook's promise: the runner reports it failed with this message.
      if (fromHook) throw new ExitCalledInHookError(messages.exitCalledInHook(numeric));
      return undefined as never;
    } as typeof process.exit;
  }
  return () => {
    state.watchers.delete(onAttempt);
    if (state.watchers.size === 0 && state.originalExit) {
      process.exit = state.originalExit;
      state.originalExit = undefined;
    }
  };
}

/** The real `process.exit`, guard or not, unless a test intercepts it. Only process/exit-decision.ts calls it. */
export function realExit(code: number): void {
  if (state.interceptor) state.interceptor(code);
  else (state.originalExit ?? process.exit).call(process, code);
}

/** For tests: until the returned function is called, the library's exits are handed to `record` instead. */
export function interceptExits(record: (code: number) => void): () => void {
  state.interceptor = record;
  return () => {
    if (state.interceptor === record) state.interceptor = undefined;
  };
}
