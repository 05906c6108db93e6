import type { ShutdownContext } from '../interfaces/shutdown-context.interface.js';
import type { ShutdownHook } from '../shutdown-hook.interface.js';

/**
 * The name of the frame every hook runs in. V8 names a frame after the function's `name`
 * property, and keeps an awaiting async frame in the stack: a stack trace taken anywhere in a
 * hook's code (after its awaits too) shows `async <HOOK_FRAME>`, which is how the process.exit()
 * guard tells a hook's call from anyone else's without the cost of AsyncLocalStorage. The name is
 * set from this string at run time, so a bundler or minifier that renames functions can't change it.
 */
export const HOOK_FRAME = 'nestjsShutdown$hook';

/** A hook about to run: its context, and where its outcome goes. */
export interface FramedHook {
  readonly entry: { readonly hook: ShutdownHook };
  readonly context: ShutdownContext;
  succeeded(): void;
  failed(error: unknown): void;
}

// The hook's call and its outcome in one async function: one per hook is the largest cost of a
// run of thousands.
const frame = async (run: FramedHook): Promise<void> => {
  try {
    await run.entry.hook.invoke(run.context);
  } catch (error) {
    run.failed(error);
    return;
  }
  run.succeeded();
};
Object.defineProperty(frame, 'name', { value: HOOK_FRAME });

/** Runs the hook inside the named frame and tells `run` how it ended; never rejects. */
export const inHookFrame: (run: FramedHook) => Promise<void> = frame;

const HOOK_FRAME_PATTERN = new RegExp(`\\bat (async )?${HOOK_FRAME.replace('$', '\\$')}\\b`);

/** True when the current call comes from a hook, directly or after awaits inside it. */
export function calledFromHook(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 200;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return HOOK_FRAME_PATTERN.test(stack);
}
