import { AsyncLocalStorage } from 'node:async_hooks';

/** Which hook the current code runs on behalf of, across awaits: set by the hook runner. */
export const hookScope = new AsyncLocalStorage<string>();

export class ExitCalledInHookError extends Error {
  override readonly name = 'ExitCalledInHookError';
}

type ExitAttempt = (code: number, hookName: string | undefined) => void;

const watchers = new Set<ExitAttempt>();
let originalExit: typeof process.exit | undefined;

/**
 * While a shutdown runs, `process.exit()` would end the process mid-sequence with a code that
 * says nothing of the hooks still to run. From inside a hook it throws instead (the hook is
 * reported failed); from elsewhere it is deferred: the watcher records the code and the process
 * exits once the sequence is over. Returns the function that lifts the guard.
 */
export function guardProcessExit(onAttempt: ExitAttempt): () => void {
  watchers.add(onAttempt);
  if (!originalExit) {
    originalExit = process.exit;
    process.exit = function guardedExit(code?: number | string | null): never {
      const numeric = Number(code ?? process.exitCode ?? 0) || 0;
      const hookName = hookScope.getStore();
      for (const watcher of watchers) watcher(numeric, hookName);
      if (hookName !== undefined) {
        throw new ExitCalledInHookError(`${hookName} called process.exit(${numeric}) during the shutdown sequence`);
      }
      return undefined as never;
    } as typeof process.exit;
  }
  return () => {
    watchers.delete(onAttempt);
    if (watchers.size === 0 && originalExit) {
      process.exit = originalExit;
      originalExit = undefined;
    }
  };
}

/** The library's own way out: the real `process.exit`, guard or not. */
export function exitProcess(code: number): never {
  return (originalExit ?? process.exit).call(process, code);
}
