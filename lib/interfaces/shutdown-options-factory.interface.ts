import type { ShutdownModuleOptions } from './shutdown-options.interface.js';

/**
 * A class given to `ShutdownModule.forRootAsync({ useClass })` or `({ useExisting })`: Nest
 * instantiates it with its dependencies and the module takes its options from this method.
 */
export interface ShutdownOptionsFactory {
  createShutdownOptions(): Promise<ShutdownModuleOptions> | ShutdownModuleOptions;
}

/** @deprecated Rename `create()` to `createShutdownOptions()` and implement `ShutdownOptionsFactory`; `create()` is called for one more release. */
export interface LegacyShutdownOptionsFactory {
  create(): Promise<ShutdownModuleOptions> | ShutdownModuleOptions;
}
