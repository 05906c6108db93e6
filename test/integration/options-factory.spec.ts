import 'reflect-metadata';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Inject, Injectable, Module, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ShutdownModule, ShutdownService, type ShutdownModuleOptions, type ShutdownOptionsFactory } from '../../lib/index.js';

const CONFIG = Symbol('config');

@Module({ providers: [{ provide: CONFIG, useValue: { signals: ['SIGUSR2'] } }], exports: [CONFIG] })
class ConfigModule {}

/** As a user writes it for @nestjs/schedule, terminus or throttler: a class with its own dependencies. */
@Injectable()
class ShutdownConfig implements ShutdownOptionsFactory {
  constructor(@Inject(CONFIG) private readonly config: { signals: NodeJS.Signals[] }) {}

  createShutdownOptions(): ShutdownModuleOptions {
    return { signals: this.config.signals, exit: false, logger: false };
  }
}

/** The method name of earlier versions. */
@Injectable()
class OldShutdownConfig {
  async create(): Promise<ShutdownModuleOptions> {
    return { signals: ['SIGUSR1'], exit: false, logger: false };
  }
}

@Injectable()
class NotAFactory {
  options() {
    return {};
  }
}

const apps: INestApplicationContext[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function boot(root: Type<unknown>): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(root, { logger: false, abortOnError: false });
  apps.push(app);
  return app;
}

/** The process warnings emitted while `run` runs, as [type, message]. */
async function warningsDuring(run: () => Promise<unknown>): Promise<unknown[][]> {
  // Spied on rather than listened to: jest's sandboxed `process` doesn't receive Node's 'warning' events.
  const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    await run();
    return emitWarning.mock.calls.map(([warning, options]) => [(options as { type?: string })?.type, String(warning)]);
  } finally {
    emitWarning.mockRestore();
  }
}

describe('forRootAsync with a factory class', () => {
  it('useClass: Nest instantiates the class with its dependencies and its createShutdownOptions() gives the options', async () => {
    @Module({ imports: [ShutdownModule.forRootAsync({ imports: [ConfigModule], useClass: ShutdownConfig })] })
    class AppModule {}
    const warnings = await warningsDuring(async () => {
      const app = await boot(AppModule);
      expect(app.get(ShutdownService).signals).toEqual(['SIGUSR2']);
    });
    expect(warnings).toEqual([]);
  });

  it('useExisting: the provider another module exports is the factory', async () => {
    @Module({ imports: [ConfigModule], providers: [ShutdownConfig], exports: [ShutdownConfig] })
    class SettingsModule {}
    @Module({ imports: [ShutdownModule.forRootAsync({ imports: [SettingsModule], useExisting: ShutdownConfig })] })
    class AppModule {}
    const app = await boot(AppModule);
    expect(app.get(ShutdownService).signals).toEqual(['SIGUSR2']);
  });

  it('a class with the create() of earlier versions still works, with a deprecation warning naming it', async () => {
    @Module({ imports: [ShutdownModule.forRootAsync({ useClass: OldShutdownConfig })] })
    class AppModule {}
    const warnings = await warningsDuring(async () => {
      const app = await boot(AppModule);
      expect(app.get(ShutdownService).signals).toEqual(['SIGUSR1']);
    });
    expect(warnings).toEqual([
      ['DeprecationWarning', expect.stringContaining('OldShutdownConfig.create() is deprecated, rename it createShutdownOptions()')],
    ]);
  });

  it('a class without either method fails bootstrap, naming the class', async () => {
    @Module({ imports: [ShutdownModule.forRootAsync({ useClass: NotAFactory as never })] })
    class AppModule {}
    await expect(NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false })).rejects.toThrow(
      'ShutdownModule.forRootAsync: NotAFactory has no createShutdownOptions() method (implement ShutdownOptionsFactory)',
    );
  });
});
