/**
 * Which methods of which prototypes carry @OnShutdown(), recorded when the class is defined, so
 * that discovery looks at the few classes with hooks instead of scanning every method of every
 * provider. Kept on globalThis so that two copies of the library (decorator from one, discovery
 * from the other) still agree.
 */
const REGISTRY_KEY = Symbol.for('nestjs-shutdown.hook-methods');

type Registry = WeakMap<object, Set<string | symbol>>;

const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[REGISTRY_KEY] ??= new WeakMap());

export function registerHookMethod(prototype: object, key: string | symbol): void {
  const methods = registry.get(prototype);
  if (methods) methods.add(key);
  else registry.set(prototype, new Set([key]));
}

/** Decorated method names of a prototype and its ancestors (a subclass inherits its parent's hooks). */
export function hookMethodNames(prototype: object): Array<string | symbol> {
  const names = new Set<string | symbol>();
  for (let current: object | null = prototype; current && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    registry.get(current)?.forEach((name) => names.add(name));
  }
  return [...names];
}
