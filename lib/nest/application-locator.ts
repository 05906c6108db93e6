import { NestApplicationContext, type ModulesContainer } from '@nestjs/core';

/**
 * Nest does not inject the application object, yet running Nest's own teardown (`close()`) needs
 * it. Every kind of application (HTTP app, microservice, standalone context, testing module) runs
 * `callInitHook()` on itself at the start of `init()`, before any module's `onModuleInit`: recording
 * `this` there, keyed by the application's ModulesContainer (which is injectable), lets the
 * ShutdownService find its own application. The record is weak: it keeps no application alive.
 */

/** The piece of a Nest application context the library relies on, on Nest 11 and 12. */
export interface LocatedApplication {
  close(signal?: string): Promise<void>;
  unsubscribeFromProcessSignals?(): void;
  /** Nest 12: listeners added by enableShutdownHooks(). */
  shutdownCleanupRefs?: Map<string, unknown>;
  /** Nest 11: the listener added by enableShutdownHooks(). */
  shutdownCleanupRef?: unknown;
  /** Nest 11: the signals that listener was added for. */
  activeShutdownSignals?: string[];
  /** Nest's container: its ApplicationConfig holds the WebSocket adapter. */
  container?: { applicationConfig?: { getIoAdapter?(): unknown } };
}

const REGISTRY = Symbol.for('nestjs-shutdown.applications');

type PatchedPrototype = {
  callInitHook?: (...args: unknown[]) => Promise<void>;
  [REGISTRY]?: WeakMap<object, LocatedApplication>;
};

/** Idempotent; the registry lives on the prototype so that two copies of this library share it. */
export function installApplicationLocator(): void {
  const prototype = NestApplicationContext.prototype as unknown as PatchedPrototype;
  if (prototype[REGISTRY]) return;
  const original = prototype.callInitHook;
  if (typeof original !== 'function') return; // locateApplication() reports it at bootstrap.
  const registry = new WeakMap<object, LocatedApplication>();
  Object.defineProperty(prototype, REGISTRY, { value: registry });
  prototype.callInitHook = function (this: LocatedApplication & { container?: { getModules?(): object } }, ...args) {
    const modules = this.container?.getModules?.();
    if (modules) registry.set(modules, this);
    return original.apply(this, args);
  };
}

export function locateApplication(modules: ModulesContainer): LocatedApplication {
  const registry = (NestApplicationContext.prototype as unknown as PatchedPrototype)[REGISTRY];
  const application = registry?.get(modules);
  if (!application || typeof application.close !== 'function') {
    throw new Error(
      'ShutdownModule could not find the Nest application it belongs to: this version of @nestjs/core is not ' +
        'supported (nestjs-shutdown supports @nestjs/core 11 and 12), or the application was initialised without init().',
    );
  }
  return application;
}

/** True when the application's own enableShutdownHooks() listeners are registered. */
export function hasNestShutdownListeners(application: LocatedApplication): boolean {
  return (application.shutdownCleanupRefs?.size ?? 0) > 0 || Boolean(application.shutdownCleanupRef);
}
