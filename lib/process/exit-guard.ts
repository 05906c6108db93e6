/** The async function every hook runs in (lib/runner/run-hooks.ts): its frame marks a hook's code. */
const HOOK_FRAME = /\bat (async )?runShutdownHook\b/;

/** True when the current call comes from a hook, directly or after awaits inside it. */
function calledFromHook(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 200;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return HOOK_FRAME.test(stack);
}

export class ExitCalledInHookError extends Error {
  override readonly name = 'ExitCalledInHookError';
}

type ExitAttempt = (code: number, fromHook: boolean) => void;

const watchers = new Set<ExitAttempt>();
let originalExit: typeof process.exit | undefined;

/**
 * While a shutdown runs, `process.exit()` would end the process mid-sequence with a code that
 * says nothing of the hooks still to run. From a hook's code (an async hook after its awaits too)
 * it throws instead and the hook is reported failed; from elsewhere it is deferred: the watcher
 * records the code and the process exits once the sequence is over. Returns the function that
 * lifts the guard.
 */
export function guardProcessExit(onAttempt: ExitAttempt): () => void {
  watchers.add(onAttempt);
  if (!originalExit) {
    originalExit = process.exit;
    process.exit = function guardedExit(code?: number | string | null): never {
      const numeric = Number(code ?? process.exitCode ?? 0) || 0;
      const fromHook = calledFromHook();
      for (const watcher of watchers) watcher(numeric, fromHook);
      if (fromHook) {
        // Rejects that hook's promise: the runner reports it failed with this message.
        throw new ExitCalledInHookError(`process.exit(${numeric}) was called by a hook during the shutdown sequence`);
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

let exitInterceptor: ((code: number) => void) | undefined;

/** The library's one way out (but the watchdog's): the real `process.exit`, guard or not, unless a test intercepts it. */
export function exitProcess(code: number): void {
  if (exitInterceptor) exitInterceptor(code);
  else (originalExit ?? process.exit).call(process, code);
}

/** For tests: until the returned function is called, the library's exits are handed to `record` instead. */
export function interceptExits(record: (code: number) => void): () => void {
  exitInterceptor = record;
  return () => {
    if (exitInterceptor === record) exitInterceptor = undefined;
  };
}
