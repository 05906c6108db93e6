import type { ModulesContainer } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { explicitHookNames, hookMethodsOf, mayHaveHookMethods } from './decorators/hook-method-registry.js';
import type { ShutdownEventListener } from './events/shutdown-event.interface.js';
import type { DiscoveredHook } from './shutdown-hook.interface.js';

/** A singleton provider or controller whose class (or an ancestor) has @OnShutdown() methods. */
interface HookProvider {
  readonly wrapper: InstanceWrapper;
  readonly instance: Record<string | symbol, unknown>;
  readonly prototype: object;
}

/** What the start-up scan found: enough to name the hooks later, and to know whether naming can fail. */
export interface HookScan {
  readonly providers: readonly HookProvider[];
  /**
   * Some @OnShutdown() has an explicit `name`. Only then can two different methods end up with one
   * name (a default name is `Class.method`: equal names mean the same method), so only then must
   * the names be made at start-up to refuse a clash there.
   */
  readonly explicitNames: boolean;
}

interface FoundHook extends DiscoveredHook {
  /** `Class.method`: tells apart a name reused by two methods from one method on two instances. */
  readonly source: string;
  readonly instance: object;
}

/** Calls `visit` with the application's providers, then its controllers, module by module, straight from Nest's container. */
function eachWrapper(modules: ModulesContainer, visit: (wrapper: InstanceWrapper) => void): void {
  for (const module of modules.values()) module.providers.forEach(visit);
  for (const module of modules.values()) module.controllers.forEach(visit);
}

/**
 * One pass over the application's providers and controllers at start-up: those whose class has
 * @OnShutdown() methods (a look-up in the decorator's registry, reading nothing of the instances
 * of other classes; their methods are read when the hooks are named, on first need). Hooks on
 * request-scoped and transient providers are warned about here.
 */
export function scanHooks(modules: ModulesContainer, logger: { warn(message: string): void }): HookScan {
  const providers: HookProvider[] = [];
  const visit = (wrapper: InstanceWrapper): void => {
    const instance = wrapper.instance as Record<string | symbol, unknown> | null | undefined;
    // The instance's class, not the provider's metatype: a `useFactory: function () {…}` factory
    // has a prototype of its own, with none of the hooks of what it returns.
    const prototype = instance && typeof instance === 'object' ? Object.getPrototypeOf(instance) : wrapper.metatype?.prototype;
    if (!prototype || typeof prototype !== 'object' || !mayHaveHookMethods(prototype)) return;
    if (wrapper.isTransient || !wrapper.isDependencyTreeStatic()) {
      for (const { key } of hookMethodsOf(prototype)) {
        logger.warn(
          `@OnShutdown() on ${prototype.constructor.name}.${String(key)} is ignored: ${wrapper.isTransient ? 'transient' : 'request-scoped'} ` +
            'providers have no single instance to call at shutdown. Move the hook to a singleton provider.',
        );
      }
      return;
    }
    if (!instance || typeof instance !== 'object') return;
    providers.push({ wrapper, instance, prototype });
  };
  // Providers, then controllers: the order hooks of one order value keep.
  eachWrapper(modules, visit);
  return { providers, explicitNames: explicitHookNames() };
}

/**
 * The singleton providers and controllers that are ShutdownEventListeners: every instance has to be
 * asked, so this waits for the first event (or an idle moment after start-up), not start-up.
 */
export function findListeners(modules: ModulesContainer): ShutdownEventListener[] {
  const listeners = new Set<ShutdownEventListener>();
  eachWrapper(modules, (wrapper) => {
    const instance = wrapper.instance as Record<string | symbol, unknown> | null | undefined;
    if (typeof instance?.onShutdownEvent === 'function' && !wrapper.isTransient && wrapper.isDependencyTreeStatic()) {
      listeners.add(instance as unknown as ShutdownEventListener);
    }
  });
  return [...listeners];
}

/** The hooks of what the scan found, named, in discovery order; two methods claiming one name throw. */
export function nameHooks(scan: HookScan): DiscoveredHook[] {
  const byName = new Map<string, FoundHook[]>();
  let sharedNames = false;
  for (const { wrapper, instance, prototype } of scan.providers) {
    for (const { key, metadata } of hookMethodsOf(prototype)) {
      const source = `${prototype.constructor.name}.${String(key)}`;
      const hook: FoundHook = {
        name: metadata.name ?? source,
        order: metadata.order,
        timeout: metadata.timeout,
        source,
        instance,
        provider: wrapper,
        invoke: (context) => (instance[key] as (context: unknown) => unknown)(context),
      };
      const named = byName.get(hook.name);
      if (!named) byName.set(hook.name, [hook]);
      // An alias (useExisting) or one value under two tokens lists one instance twice: one hook.
      else if (!named.some((other) => other.instance === instance && other.source === source)) {
        named.push(hook);
        sharedNames = true;
      }
    }
  }
  return sharedNames ? disambiguateNames(byName) : Array.from(byName.values(), ([hook]) => toDiscovered(hook));
}

/** Scan and names at once: what a module closed without init() would have run. */
export function exploreHooks(modules: ModulesContainer, logger: { warn(message: string): void }): DiscoveredHook[] {
  return nameHooks(scanHooks(modules, logger));
}

function toDiscovered({ name, order, timeout, provider, invoke }: FoundHook): DiscoveredHook {
  return { name, order, timeout, provider, invoke };
}

function moduleNameOf(wrapper: InstanceWrapper): string {
  return (wrapper.host?.metatype as Function | undefined)?.name ?? 'unknown module';
}

function tokenNameOf(wrapper: InstanceWrapper): string {
  const token: unknown = wrapper.token;
  return typeof token === 'function' ? token.name : String(token);
}

/**
 * One method on instances in several modules gets its module in the name, and its provider's token
 * too when one module holds several; a dynamic module imported twice holds the same token twice,
 * numbered then. Two different methods claiming one name are a mistake, refused at startup.
 */
function disambiguateNames(byName: Map<string, FoundHook[]>): DiscoveredHook[] {
  const result: DiscoveredHook[] = [];
  for (const [name, group] of byName) {
    const sources = [...new Set(group.map((hook) => hook.source))];
    if (sources.length > 1) {
      throw new Error(`@OnShutdown(): the hook name "${name}" is used by ${sources.join(' and ')}; hook names must be unique`);
    }
    if (group.length === 1) {
      result.push(toDiscovered(group[0]));
      continue;
    }
    const modules = group.map((hook) => moduleNameOf(hook.provider));
    const qualified = group.map((hook, index) => {
      const module = modules[index];
      return `${name} (${modules.indexOf(module) === modules.lastIndexOf(module) ? module : `${module}, ${tokenNameOf(hook.provider)}`})`;
    });
    group.forEach((hook, index) => {
      const same = qualified.filter((other, at) => other === qualified[index] && at <= index).length;
      result.push({ ...toDiscovered(hook), name: same > 1 ? `${qualified[index]} #${same}` : qualified[index] });
    });
  }
  return result;
}
