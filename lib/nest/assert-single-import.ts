import type { ModulesContainer } from '@nestjs/core';
import { SHUTDOWN_RESOLVED_OPTIONS } from '../shutdown.tokens.js';

/**
 * Two `ShutdownModule.forRoot()` imports would make two services, each running every hook: refuse
 * it at bootstrap, naming the modules that import it.
 */
export function assertSingleImport(modules: ModulesContainer): void {
  const instances = [...modules.values()].filter((module) => module.providers.has(SHUTDOWN_RESOLVED_OPTIONS));
  if (instances.length <= 1) return;
  const shutdownModuleClass = instances[0].metatype;
  const importers = [...modules.values()]
    .filter((module) => {
      const imports: unknown[] = Reflect.getMetadata('imports', module.metatype) ?? [];
      return imports.some((entry) => entry === shutdownModuleClass || (entry as { module?: unknown })?.module === shutdownModuleClass);
    })
    .map((module) => module.metatype.name);
  throw new Error(
    `ShutdownModule.forRoot() is imported ${instances.length} times (by ${importers.join(', ')}): ` +
      'import it once, in the root module; it is global, so ShutdownService is injectable everywhere',
  );
}
