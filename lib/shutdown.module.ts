import { ConfigurableModuleBuilder, Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { HttpAdapterHost, ModulesContainer } from '@nestjs/core';
import type { ShutdownModuleOptions } from './interfaces/shutdown-options.interface.js';
import type { LegacyShutdownOptionsFactory, ShutdownOptionsFactory } from './interfaces/shutdown-options-factory.interface.js';
import { ShutdownHealthIndicator } from './health/shutdown-health.indicator.js';
import { installApplicationLocator } from './nest/application-locator.js';
import { installGatewayServerRecorder } from './nest/gateway-servers.js';
import { ShutdownInitializer } from './nest/shutdown-initializer.js';
import { ShutdownService } from './shutdown.service.js';
import { SHUTDOWN_INITIALIZER } from './shutdown.tokens.js';
import { callOptionsFactory } from './validation/call-options-factory.js';
import { resolveModuleOptions } from './validation/resolve-module-options.js';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<ShutdownModuleOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createShutdownOptions')
    // Global: ShutdownService is injectable everywhere, and global modules' hooks initialise first.
    .setExtras({}, (definition) => ({ ...definition, global: true }))
    .build();

export type ShutdownModuleAsyncOptions = Omit<typeof ASYNC_OPTIONS_TYPE, 'useClass' | 'useExisting'> & {
  /** A class implementing `ShutdownOptionsFactory`, instantiated by Nest with its dependencies. */
  useClass?: Type<ShutdownOptionsFactory | LegacyShutdownOptionsFactory>;
  /** A provider implementing `ShutdownOptionsFactory`, already available to the module. */
  useExisting?: Type<ShutdownOptionsFactory | LegacyShutdownOptionsFactory>;
};

/** Before the application exists: how the library finds it, and its gateways' servers, later. */
function installNestHooks(): void {
  installApplicationLocator();
  installGatewayServerRecorder();
}

// Few providers and no imported module: Nest scans, creates and calls hooks on each one, in every
// application and every test's create → close cycle. The library's own objects are made by one.
@Module({
  providers: [
    { provide: SHUTDOWN_INITIALIZER, useFactory: ShutdownInitializer.create, inject: [MODULE_OPTIONS_TOKEN, ModulesContainer, HttpAdapterHost] },
    { provide: ShutdownService, useFactory: (initializer: ShutdownInitializer) => initializer.service, inject: [SHUTDOWN_INITIALIZER] },
    ShutdownHealthIndicator,
  ],
  exports: [ShutdownService, ShutdownHealthIndicator],
})
export class ShutdownModule extends ConfigurableModuleClass {
  static forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    installNestHooks();
    // Nest's module builder would fail on null with a message that names nothing; ours names the option.
    if (options === null) resolveModuleOptions(options);
    return super.forRoot(options);
  }

  static forRootAsync(options: ShutdownModuleAsyncOptions): DynamicModule {
    installNestHooks();
    const { useClass, useExisting, ...rest } = options;
    const factoryClass = useExisting ?? useClass;
    if (!factoryClass || options.useFactory) return super.forRootAsync(options as typeof ASYNC_OPTIONS_TYPE);
    // As Nest would do for a class, but calling the factory through callOptionsFactory, which also
    // accepts the create() of earlier versions.
    const module = super.forRootAsync({ ...rest, useFactory: callOptionsFactory, inject: [factoryClass] });
    const ownInstance: Provider[] = useExisting ? [] : [{ provide: factoryClass, useClass: factoryClass }];
    return { ...module, providers: [...(module.providers ?? []), ...ownInstance] };
  }
}
