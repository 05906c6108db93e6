import type { ShutdownHookMetadata } from '../interfaces/on-shutdown-options.interface.js';

/**
 * Which methods of which prototypes carry @OnShutdown(), with their options, recorded when the
 * class is defined, so that discovery looks at the few classes with hooks instead of scanning
 * every method of every provider. No reflection metadata: writing it cost a few per cent of a
 * large application's start-up. Kept on globalThis so that two copies of the library (decorator
 * from one, discovery from the other) still agree.
 */
const REGISTRY_KEY = Symbol.for('nestjs-shutdown.hook-methods.v4');

interface Registry {
  readonly prototypes: WeakMap<object, Map<string | symbol, ShutdownHookMetadata>>;
  /** Some @OnShutdown() of this process was given a `name`: only then can two hooks claim one name. */
  explicitNames: boolean;
}

const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[REGISTRY_KEY] ??= {
  prototypes: new WeakMap(),
  explicitNames: false,
});
const { prototypes } = registry;

export function registerHookMethod(prototype: object, key: string | symbol, metadata: ShutdownHookMetadata): void {
  if (metadata.name !== undefined) registry.explicitNames = true;
  const methods = prototypes.get(prototype);
  if (methods) methods.set(key, metadata);
  else prototypes.set(prototype, new Map([[key, metadata]]));
}

/** This class's own method `key` already has @OnShutdown(), under whatever wrapper came between. */
export function isHookMethod(prototype: object, key: string | symbol): boolean {
  return prototypes.get(prototype)?.has(key) === true;
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
 * inherits its parent's hooks), unless a subclass between overrides the method without the
 * decorator. A wrapper that a later decorator of the same class put over the method (tracing
 * decorators do) is still that class's method, and the hook.
 */
export function hookMethodsOf(prototype: object): readonly HookMethod[] {
  let found: HookMethod[] | undefined;
  let seen: Set<string | symbol> | undefined;
  for (let current: object | null = prototype; current && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    const methods = prototypes.get(current);
    if (!methods) continue;
    for (const [key, metadata] of methods) {
      // The nearest definition of a name wins, as it does for the method that runs.
      if (seen?.has(key)) continue;
      (seen ??= new Set()).add(key);
      if (!overriddenBelow(prototype, current, key)) (found ??= []).push({ key, metadata });
    }
  }
  return found ?? NONE;
}

/** Some prototype from `prototype` up to (not including) `decorated` defines its own `key`. */
function overriddenBelow(prototype: object, decorated: object, key: string | symbol): boolean {
  for (let level: object | null = prototype; level && level !== decorated; level = Object.getPrototypeOf(level)) {
    if (Object.prototype.hasOwnProperty.call(level, key)) return true;
  }
  return false;
}
