import type { ModulesContainer } from '@nestjs/core';
import type { Module } from '@nestjs/core/injector/module.js';
import { SHUTDOWN_INITIALIZER } from '../shutdown.tokens.js';

type Container = { getDynamicMetadataByToken?(token: string, key: 'imports'): unknown[] | undefined };

/** What a module declared in `imports`: its decorator's, and a dynamic module's own. */
function declaredImports(module: Module): unknown[] {
  const fromDecorator: unknown[] = Reflect.getMetadata('imports', module.metatype) ?? [];
  const container = (module as unknown as { container?: Container }).container;
  return [...fromDecorator, ...(container?.getDynamicMetadataByToken?.(module.token, 'imports') ?? [])];
}

/**
 * Two `ShutdownModule.forRoot()` imports would make two services, each running every hook: refuse
 * it at bootstrap, naming the modules that import it, static or dynamic.
 */
export function assertSingleImport(modules: ModulesContainer): void {
  const instances = [...modules.values()].filter((module) => module.providers.has(SHUTDOWN_INITIALIZER));
  if (instances.length <= 1) return;
  const shutdownModuleClass = instances[0].metatype;
  const importers = [...modules.values()]
    .filter((module) =>
      declaredImports(module).some((entry) => entry === shutdownModuleClass || (entry as { module?: unknown } | null)?.module === shutdownModuleClass),
    )
    .map((module) => module.metatype.name);
  throw new Error(
    `ShutdownModule.forRoot() is imported ${instances.length} times (by ${[...new Set(importers)].join(', ') || 'modules Nest does not name'}): ` +
      'import it once, in the root module; it is global, so ShutdownService is injectable everywhere',
  );
}
