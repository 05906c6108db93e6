import type { ShutdownHookMetadata } from '../interfaces/on-shutdown-options.interface.js';
import { SHUTDOWN_HOOK_METADATA } from '../shutdown.constants.js';

/**
 * Which methods of which prototypes carry @OnShutdown(), with their options, recorded when the
 * class is defined, so that discovery looks at the few classes with hooks instead of scanning
 * every method of every provider, and reads no reflection metadata. Kept on globalThis so that
 * two copies of the library (decorator from one, discovery from the other) still agree.
 */
const REGISTRY_KEY = Symbol.for('nestjs-shutdown.hook-methods.v3');

interface DecoratedMethod {
  /** The function the decorator saw: an override without the decorator is another function. */
  readonly method: Function;
  readonly metadata: ShutdownHookMetadata;
}

interface Registry {
  readonly prototypes: WeakMap<object, Map<string | symbol, DecoratedMethod>>;
  /** Some @OnShutdown() of this process was given a `name`: only then can two hooks claim one name. */
  explicitNames: boolean;
}

const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[REGISTRY_KEY] ??= {
  prototypes: new WeakMap(),
  explicitNames: false,
});
const { prototypes } = registry;

export function registerHookMethod(prototype: object, key: string | symbol, method: Function, metadata: ShutdownHookMetadata): void {
  if (metadata.name !== undefined) registry.explicitNames = true;
  const methods = prototypes.get(prototype);
  if (methods) methods.set(key, { method, metadata });
  else prototypes.set(prototype, new Map([[key, { method, metadata }]]));
}

/** True when some @OnShutdown() of the process has an explicit name (see the registry). */
export function explicitHookNames(): boolean {
  return registry.explicitNames;
}

/**
 * True when this prototype or an ancestor has @OnShutdown() methods: a look-up per level, nothing
 * read from the prototype itself (the cheap test every provider gets at start-up). Whether these
 * methods are the ones that run, not overridden, is `hookMethodsOf`'s to say.
 */
export function mayHaveHookMethods(prototype: object): boolean {
  for (let current: object | null = prototype; current && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    if (prototypes.has(current)) return true;
  }
  return false;
}

export interface HookMethod {
  readonly key: string | symbol;
  readonly metadata: ShutdownHookMetadata;
}

const NONE: readonly HookMethod[] = [];

/**
 * The hook methods an instance of this prototype runs: decorated here or in an ancestor (a subclass
 * inherits its parent's hooks), unless overridden by a method without the decorator.
 */
export function hookMethodsOf(prototype: object): readonly HookMethod[] {
  let found: HookMethod[] | undefined;
  let seen: Set<string | symbol> | undefined;
  for (let current: object | null = prototype; current && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    const methods = prototypes.get(current);
    if (!methods) continue;
    for (const [key, decorated] of methods) {
      // The nearest definition of a name wins, as it does for the method that runs.
      if (seen?.has(key)) continue;
      (seen ??= new Set()).add(key);
      const metadata = metadataOfRunningMethod((prototype as Record<string | symbol, unknown>)[key], decorated);
      if (metadata) (found ??= []).push({ key, metadata });
    }
  }
  return found ?? NONE;
}

/**
 * The options of the method that runs: the decorated one, or a wrapper put over it by a decorator
 * applied after ours that copied its metadata (tracing decorators do); another method is an
 * override without the decorator, no hook.
 */
function metadataOfRunningMethod(running: unknown, decorated: DecoratedMethod): ShutdownHookMetadata | undefined {
  if (running === decorated.method) return decorated.metadata;
  if (typeof running !== 'function') return undefined;
  return Reflect.getOwnMetadata(SHUTDOWN_HOOK_METADATA, running) as ShutdownHookMetadata | undefined;
}
