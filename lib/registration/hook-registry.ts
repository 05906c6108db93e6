import type { ShutdownContext } from '../interfaces/shutdown-context.interface.js';
import type { RegisterHookOptions } from '../interfaces/register-hook-options.interface.js';
import { ShutdownLogger } from '../logging/shutdown-logger.js';
import { messages } from '../messages.js';
import type { MethodHooks } from '../planning/method-hooks.js';
import type { ShutdownHook } from '../shutdown-hook.interface.js';
import { describeValue } from '../validation/describe-value.js';
import { validateHookOptions } from '../validation/validate-hook-options.js';

const NO_WAITS: readonly string[] = [];

/** A hook given as a function; `removed` once its remover was called (a run already under way then skips it). */
interface FunctionHook extends ShutdownHook {
  removed: boolean;
}

const NO_HOOKS: readonly ShutdownHook[] = [];

/**
 * Every hook of the application: the @OnShutdown() methods found at startup (planned on first
 * need), and the functions given to `ShutdownService.register()`, before or after startup. Names
 * are unique across both. Hands the run its list once, when the shutdown starts.
 */
export class HookRegistry {
  /** Set once @OnShutdown() methods were found: their names are known from then on. */
  private methods?: MethodHooks;
  private readonly functions = new Map<string, FunctionHook>();
  private merged?: readonly ShutdownHook[];
  /** The reason of the run that took the list: later registrations can't join it. */
  private startedBy?: string;

  constructor(private readonly logger: ShutdownLogger) {}

  /** The @OnShutdown() methods; a function registered earlier under one of their names fails bootstrap. */
  setMethods(methods: MethodHooks): void {
    // Their names are only made now when something could clash with them.
    if (this.functions.size > 0) {
      for (const hook of methods.discovered) {
        if (this.functions.has(hook.name)) throw new Error(duplicateOfMethod(hook.name));
      }
    }
    this.methods = methods;
    this.merged = undefined;
  }

  /** All hooks in run order: ascending order; within one, the planned methods first, then functions as registered. */
  get hooks(): readonly ShutdownHook[] {
    if (this.merged) return this.merged;
    const planned = this.methods?.hooks ?? NO_HOOKS;
    if (this.functions.size === 0) return (this.merged = planned);
    const live = [...this.functions.values()].filter((hook) => !hook.removed);
    // Stable: the planned list's own order (dependents first) is kept within an order.
    return (this.merged = [...planned, ...live].sort((a, b) => a.order - b.order));
  }

  /** The run starts with the list as it is now. */
  runStarted(reason: string): readonly ShutdownHook[] {
    this.startedBy ??= reason;
    return this.hooks;
  }

  register(name: unknown, hook: unknown, options?: number | RegisterHookOptions): () => void {
    const subject = `ShutdownService.register(${describeValue(name)})`;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new TypeError(`${subject}: the name must be a non-empty string (it names the hook in the log and the report)`);
    }
    if (typeof hook !== 'function') throw new TypeError(`${subject}: the hook must be a function, got ${describeValue(hook)}`);
    if (options !== null && typeof options === 'object' && 'name' in options) {
      throw new TypeError(`${subject}: unknown option "name" (the name is register()'s first argument)`);
    }
    const { order, timeout } = validateHookOptions(options, name, subject);
    if (this.startedBy !== undefined) {
      this.logger.warn(messages.registeredTooLate(name, this.startedBy));
      return () => undefined;
    }
    if (this.functions.has(name)) throw new Error(`${subject}: a hook of that name is already registered; hook names must be unique`);
    if (this.methods?.discovered.some((method) => method.name === name)) throw new Error(duplicateOfMethod(name));
    const entry: FunctionHook = {
      name,
      order,
      timeout,
      after: NO_WAITS,
      removed: false,
      invoke: (context: ShutdownContext) => (entry.removed ? undefined : (hook as (context: ShutdownContext) => unknown)(context)),
    };
    this.functions.set(name, entry);
    this.merged = undefined;
    return () => {
      if (entry.removed) return;
      entry.removed = true;
      // A run that already took its list still holds the entry: it is not called then.
      if (this.functions.get(name) === entry) this.functions.delete(name);
      this.merged = undefined;
    };
  }
}

function duplicateOfMethod(name: string): string {
  return `ShutdownService.register(${JSON.stringify(name)}): the name is taken by an @OnShutdown() method; hook names must be unique`;
}
