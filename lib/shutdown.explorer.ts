import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { ShutdownMetadataAccessor } from './shutdown-metadata.accessor.js';
import type { ShutdownEventListener } from './events/shutdown-event.interface.js';
import type { DiscoveredHook } from './shutdown-hook.interface.js';

interface FoundHook extends DiscoveredHook {
  /** `Class.method`: tells apart a name reused by two methods from one method on two instances. */
  readonly source: string;
  readonly instance: object;
}

/** Finds @OnShutdown() methods and ShutdownEventListeners among the application's providers and controllers. */
@Injectable()
export class ShutdownExplorer {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly accessor: ShutdownMetadataAccessor,
  ) {}

  /** One pass over the application's providers and controllers: the hooks, and the event listeners. */
  explore(logger: { warn(message: string): void }): { hooks: DiscoveredHook[]; listeners: ShutdownEventListener[] } {
    const byName = new Map<string, FoundHook[]>();
    const listeners = new Set<ShutdownEventListener>();
    let sharedNames = false;
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance = wrapper.instance as Record<string | symbol, unknown> | null | undefined;
      if (typeof instance?.onShutdownEvent === 'function' && !wrapper.isTransient && wrapper.isDependencyTreeStatic()) {
        listeners.add(instance as unknown as ShutdownEventListener);
      }
      // The instance's class, not the provider's metatype: a `useFactory: function () {…}` factory
      // has a prototype of its own, with none of the hooks of what it returns.
      const prototype = instance && typeof instance === 'object' ? Object.getPrototypeOf(instance) : wrapper.metatype?.prototype;
      if (!prototype || typeof prototype !== 'object') continue;
      for (const { key, metadata } of this.accessor.getHookMethods(prototype)) {
        const source = `${prototype.constructor.name}.${String(key)}`;
        if (wrapper.isTransient || !wrapper.isDependencyTreeStatic()) {
          logger.warn(
            `@OnShutdown() on ${source} is ignored: ${wrapper.isTransient ? 'transient' : 'request-scoped'} ` +
              'providers have no single instance to call at shutdown. Move the hook to a singleton provider.',
          );
          continue;
        }
        if (!instance || typeof instance !== 'object') continue;
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
    const hooks = sharedNames ? disambiguateNames(byName) : Array.from(byName.values(), ([hook]) => toDiscovered(hook));
    return { hooks, listeners: [...listeners] };
  }
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
