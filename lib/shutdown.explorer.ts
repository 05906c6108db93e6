import { Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { hookMethodNames } from './decorators/hook-method-registry.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { ShutdownMetadataAccessor } from './shutdown-metadata.accessor.js';
import type { ShutdownEventListener } from './events/shutdown-event.interface.js';
import type { DiscoveredHook } from './shutdown-hook.interface.js';

interface FoundHook extends DiscoveredHook {
  /** `Class.method`: tells apart a name reused by two methods from one method on two instances. */
  readonly source: string;
  readonly moduleName: string;
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
    const found: FoundHook[] = [];
    const listeners = new Set<ShutdownEventListener>();
    // An alias (useExisting) lists one instance under two tokens: each method is one hook.
    const seen = new WeakMap<object, Set<string | symbol>>();
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const candidate = wrapper.instance as Partial<ShutdownEventListener> | undefined;
      if (typeof candidate?.onShutdownEvent === 'function' && !wrapper.isTransient && wrapper.isDependencyTreeStatic()) {
        listeners.add(candidate as ShutdownEventListener);
      }
      const prototype = wrapper.metatype?.prototype ?? (wrapper.instance ? Object.getPrototypeOf(wrapper.instance) : null);
      if (!prototype || typeof prototype !== 'object') continue;
      for (const methodName of hookMethodNames(prototype)) {
        // An override without the decorator is no hook: read the metadata of the method that runs.
        const method = prototype[methodName];
        const metadata = typeof method === 'function' ? this.accessor.getHookMetadata(method) : undefined;
        if (!metadata) continue;
        const source = `${prototype.constructor.name}.${String(methodName)}`;
        if (wrapper.isTransient || !wrapper.isDependencyTreeStatic()) {
          logger.warn(
            `@OnShutdown() on ${source} is ignored: ${wrapper.isTransient ? 'transient' : 'request-scoped'} ` +
              'providers have no single instance to call at shutdown. Move the hook to a singleton provider.',
          );
          continue;
        }
        const instance = wrapper.instance as Record<string | symbol, (context: unknown) => unknown> | undefined;
        if (!instance || typeof instance !== 'object') continue;
        const methodsSeen = seen.get(instance) ?? new Set<string | symbol>();
        if (methodsSeen.has(methodName)) continue;
        seen.set(instance, methodsSeen.add(methodName));
        found.push({
          name: metadata.name ?? source,
          order: metadata.order,
          timeout: metadata.timeout,
          source,
          moduleName: moduleNameOf(wrapper),
          provider: wrapper,
          invoke: (context) => instance[methodName](context),
        });
      }
    }
    return { hooks: disambiguateNames(found), listeners: [...listeners] };
  }
}

function moduleNameOf(wrapper: InstanceWrapper): string {
  return (wrapper.host?.metatype as Function | undefined)?.name ?? 'unknown module';
}

/**
 * One method on instances in several modules gets its module in the name; two different methods
 * claiming one name are a mistake, refused at startup.
 */
function disambiguateNames(hooks: FoundHook[]): DiscoveredHook[] {
  const byName = new Map<string, FoundHook[]>();
  for (const hook of hooks) {
    const named = byName.get(hook.name);
    if (named) named.push(hook);
    else byName.set(hook.name, [hook]);
  }
  const result: DiscoveredHook[] = [];
  for (const [name, group] of byName) {
    const sources = [...new Set(group.map((hook) => hook.source))];
    if (sources.length > 1) {
      throw new Error(`@OnShutdown(): the hook name "${name}" is used by ${sources.join(' and ')}; hook names must be unique`);
    }
    for (const hook of group) {
      const qualified = group.length > 1 ? `${name} (${hook.moduleName})` : name;
      result.push({ name: qualified, order: hook.order, timeout: hook.timeout, provider: hook.provider, invoke: hook.invoke });
    }
  }
  return result;
}
