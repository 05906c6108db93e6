import type { ShutdownModuleOptions } from '../interfaces/shutdown-options.interface.js';
import type { LegacyShutdownOptionsFactory, ShutdownOptionsFactory } from '../interfaces/shutdown-options-factory.interface.js';

/**
 * The options of a `forRootAsync({ useClass | useExisting })` factory: `createShutdownOptions()`,
 * as the official @nestjs/* modules name it (`create<Name>Options`). The `create()` of earlier
 * versions still works for one release, with a deprecation warning naming the class.
 */
export async function callOptionsFactory(factory: Partial<ShutdownOptionsFactory & LegacyShutdownOptionsFactory>): Promise<ShutdownModuleOptions> {
  const name = factory?.constructor?.name || 'the factory';
  if (typeof factory?.createShutdownOptions === 'function') return factory.createShutdownOptions();
  if (typeof factory?.create === 'function') {
    process.emitWarning(
      `ShutdownModule.forRootAsync: ${name}.create() is deprecated, rename it createShutdownOptions() (interface ShutdownOptionsFactory); create() will no longer be called in the next release`,
      { type: 'DeprecationWarning', code: 'NESTJS_SHUTDOWN_FACTORY_CREATE' },
    );
    return factory.create();
  }
  throw new TypeError(`ShutdownModule.forRootAsync: ${name} has no createShutdownOptions() method (implement ShutdownOptionsFactory)`);
}
