import type { OnShutdownOptions } from '../interfaces/on-shutdown-options.interface.js';
import { validateHookOptions } from '../validation/validate-hook-options.js';
import { isHookMethod, registerHookMethod } from './hook-method-registry.js';

/**
 * Marks a provider or controller method to be called on shutdown, with a `ShutdownContext`.
 * `@OnShutdown(10)` or `@OnShutdown({ order: 10, timeout: 2_000, name: 'db-pool' })`.
 * Bad options throw here, when the class is defined, naming the class and method.
 */
export function OnShutdown(orderOrOptions?: number | OnShutdownOptions): MethodDecorator {
  return (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
    const isStatic = typeof target === 'function';
    const className = isStatic ? (target as Function).name : target.constructor.name;
    const where = `${className}.${String(key)}`;
    if (isStatic) {
      throw new TypeError(`@OnShutdown() on ${where}: static methods can't be hooks; use an instance method of a provider`);
    }
    if (typeof descriptor?.value !== 'function') {
      throw new TypeError(`@OnShutdown() on ${where}: only methods can be hooks, not getters, setters or properties`);
    }
    if (isHookMethod(target, key)) {
      throw new TypeError(`@OnShutdown() on ${where}: applied twice; one method is one hook`);
    }
    const metadata = validateHookOptions(orderOrOptions, where);
    registerHookMethod(target, key, metadata);
  };
}
