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

interface ExitGuardState {
  readonly watchers: Set<ExitAttempt>;
  /** The real `process.exit` while the guard is on. */
  originalExit: typeof process.exit | undefined;
  exitInterceptor: ((code: number) => void) | undefined;
}

/**
 * On globalThis: with the ES module and CommonJS builds in one process, a second private copy would
 * wrap the first one's guard and take it for the real `process.exit`. Bump the version in the key
 * when this shape changes.
 */
const STATE_KEY = Symbol.for('nestjs-shutdown.exit-guard.v1');

const state: ExitGuardState = ((globalThis as Record<symbol, ExitGuardState | undefined>)[STATE_KEY] ??= {
  watchers: new Set(),
  originalExit: undefined,
  exitInterceptor: undefined,
});

/**
 * While a shutdown runs, `process.exit()` would end the process mid-sequence with a code that
 * says nothing of the hooks still to run. From a hook's code (an async hook after its awaits too)
 * it throws instead and the hook is reported failed; from elsewhere it is deferred: the watcher
 * records the code and the process exits once the sequence is over. Returns the function that
 * lifts the guard.
 */
export function guardProcessExit(onAttempt: ExitAttempt): () => void {
  state.watchers.add(onAttempt);
  if (!state.originalExit) {
    state.originalExit = process.exit;
    process.exit = function guardedExit(code?: number | string | null): never {
      const numeric = Number(code ?? process.exitCode ?? 0) || 0;
      const fromHook = calledFromHook();
      for (const watcher of state.watchers) watcher(numeric, fromHook);
      if (fromHook) {
        // Rejects that hook's promise: the runner reports it failed with this message.
        throw new ExitCalledInHookError(`process.exit(${numeric}) was called by a hook during the shutdown sequence`);
      }
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

/** The library's one way out (but the watchdog's): the real `process.exit`, guard or not, unless a test intercepts it. */
export function exitProcess(code: number): void {
  if (state.exitInterceptor) state.exitInterceptor(code);
  else (state.originalExit ?? process.exit).call(process, code);
}

/** For tests: until the returned function is called, the library's exits are handed to `record` instead. */
export function interceptExits(record: (code: number) => void): () => void {
  state.exitInterceptor = record;
  return () => {
    if (state.exitInterceptor === record) state.exitInterceptor = undefined;
  };
}
