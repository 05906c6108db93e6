import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  Controller,
  Injectable,
  type DynamicModule,
  Module,
  Scope,
  type INestApplicationContext,
  type OnModuleDestroy,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnShutdown, ShutdownModule, ShutdownService, type ShutdownContext, type ShutdownModuleOptions } from '../../lib/index.js';
import { MemoryLogger } from './support/memory-logger.js';

const calls: string[] = [];

@Injectable()
class Outbox {
  @OnShutdown(10)
  async flush(ctx: ShutdownContext) {
    calls.push(`flush ${ctx.reason}`);
  }
}

@Injectable()
class Db implements OnModuleDestroy {
  @OnShutdown({ order: 100, name: 'db-pool' })
  close() {
    calls.push('db-pool');
  }
  onModuleDestroy() {
    calls.push('nest onModuleDestroy');
  }
}

@Controller()
class Consumer {
  @OnShutdown(-10)
  stop() {
    calls.push('consumer stop');
  }
}

const apps: INestApplicationContext[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close().catch(() => undefined)));
  calls.length = 0;
});

interface BootOptions {
  providers?: unknown[];
  /** ShutdownModule.forRoot() options, over exit: false and a MemoryLogger. */
  options?: ShutdownModuleOptions;
  controllers?: unknown[];
  imports?: DynamicModule[];
}

async function boot({ providers = [], options = {}, controllers = [], imports = [] }: BootOptions = {}) {
  const logger = new MemoryLogger();
  @Module({
    imports: [ShutdownModule.forRoot({ exit: false, logger, ...options }), ...imports],
    providers: providers as never,
    controllers: controllers as never,
  })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  apps.push(app);
  return { app, logger, service: app.get(ShutdownService) };
}

describe('ShutdownModule in a Nest application (exit: false)', () => {
  it('shutdown() runs hooks by order then Nest lifecycle and resolves to the report', async () => {
    const { service } = await boot({ providers: [Outbox, Db], controllers: [Consumer] });
    expect(service.isShuttingDown).toBe(false);
    const before = Date.now();
    const pending = service.shutdown('deploy');
    expect(service.isShuttingDown).toBe(true);
    const report = await pending;

    expect(calls).toEqual(['consumer stop', 'flush deploy', 'db-pool', 'nest onModuleDestroy']);
    expect(report).toMatchObject({
      reason: 'deploy',
      outcome: 'completed',
      lifecycle: { status: 'ok' },
      runningAtDeadline: [],
      hooks: [
        { name: 'Consumer.stop', order: -10, status: 'ok' },
        { name: 'Outbox.flush', order: 10, status: 'ok' },
        { name: 'db-pool', order: 100, status: 'ok' },
      ],
    });
    expect(report.drain).toBeUndefined();
    expect(report.startedAt).toBeGreaterThanOrEqual(before);
    expect(report.startedAt).toBeLessThanOrEqual(before + report.durationMs + 50);
  });

  it('shares one run between concurrent and repeated calls, app.close() included', async () => {
    const { app, service } = await boot({ providers: [Outbox] });
    const [first, second] = await Promise.all([service.shutdown('a'), service.shutdown('b')]);
    await app.close();
    const third = await service.shutdown('c');
    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(calls).toEqual(['flush a']);
  });

  it('app.close() in code runs the hooks once, before Nest lifecycle, with reason "close"', async () => {
    const { app, logger } = await boot({ providers: [Outbox, Db] });
    await app.close();
    await app.close();
    expect(calls).toEqual(['flush close', 'db-pool', 'nest onModuleDestroy']);
    expect(logger.lines).toContainEqual(expect.stringMatching(/^log Shutdown: Shutdown \(close\) completed in \d+ ms$/));
  });

  it('reports a hook that failed, runs the rest and marks the outcome failed', async () => {
    @Injectable()
    class Broken {
      @OnShutdown(1)
      fail() {
        throw new Error('disk full');
      }
    }
    const { service, logger } = await boot({ providers: [Broken, Db] });
    const report = await service.shutdown();
    expect(report.outcome).toBe('failed');
    expect(report.hooks).toMatchObject([{ name: 'Broken.fail', status: 'failed', error: 'disk full' }, { name: 'db-pool', status: 'ok' }]);
    expect(logger.lines).toContainEqual('error Shutdown: Hook Broken.fail failed: disk full');
  });

  it('adds one listener per signal for any number of applications and removes them all on close', async () => {
    const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
    const booted = await Promise.all([boot({ providers: [Outbox] }), boot({ providers: [Db] }), boot()]);
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
    expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
    for (const { app } of booted) await app.close();
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
    expect(process.listenerCount('SIGINT')).toBe(before.int);
  });

  it('leaves listener counts where they were after 50 create/close cycles, with no warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const before = process.listenerCount('SIGTERM');
    for (let i = 0; i < 50; i++) {
      const { app } = await boot({ providers: [Outbox] });
      await app.close();
      apps.pop();
    }
    // Node emits 'warning' asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
    process.removeListener('warning', onWarning);
    expect(process.listenerCount('SIGTERM')).toBe(before);
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('listens to no signal with signals: []', async () => {
    const before = process.listenerCount('SIGTERM');
    await boot({ providers: [Outbox], options: { signals: [] } });
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('ignores hooks on request-scoped and transient providers with a warning naming them', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class PerRequest {
      @OnShutdown()
      stop() {
        calls.push('per-request');
      }
    }
    @Injectable({ scope: Scope.TRANSIENT })
    class Transient {
      @OnShutdown()
      stop() {
        calls.push('transient');
      }
    }
    const { service, logger } = await boot({ providers: [PerRequest, Transient, Outbox] });
    expect(service.listHooks().map((hook) => hook.name)).toEqual(['Outbox.flush']);
    expect(logger.lines).toContainEqual(expect.stringContaining('@OnShutdown() on PerRequest.stop is ignored: request-scoped'));
    expect(logger.lines).toContainEqual(expect.stringContaining('@OnShutdown() on Transient.stop is ignored: transient'));
    await service.shutdown();
    expect(calls).toEqual(['flush shutdown']);
  });

  it('finds a hook a class inherits, and none where a subclass overrides the method without the decorator', async () => {
    class BaseClient {
      @OnShutdown(5)
      disconnect() {
        calls.push(`disconnect ${this.constructor.name}`);
      }
    }
    @Injectable()
    class RedisClient extends BaseClient {}
    @Injectable()
    class KeptOpen extends BaseClient {
      override disconnect() {
        calls.push('override');
      }
    }
    const { service } = await boot({ providers: [RedisClient, KeptOpen] });
    expect(service.listHooks().map((hook) => hook.name)).toEqual(['RedisClient.disconnect']);
    await service.shutdown();
    expect(calls).toEqual(['disconnect RedisClient']);
  });

  it.each([
    ['after ours, copying its metadata, as tracing decorators do', 'after', true],
    ['after ours, copying nothing', 'after', false],
    ['before ours', 'before', false],
  ])('finds a hook under a wrapping decorator applied %s', async (_kind, applied, copiesMetadata) => {
    const Traced = (): MethodDecorator => (_target, _key, descriptor: PropertyDescriptor) => {
      const original = descriptor.value as (...args: unknown[]) => unknown;
      const traced = function (this: unknown, ...args: unknown[]) {
        calls.push('traced');
        return original.apply(this, args);
      };
      if (copiesMetadata) {
        for (const key of Reflect.getOwnMetadataKeys(original)) Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, original), traced);
      }
      descriptor.value = traced;
    };
    // Decorators apply bottom-up: the one listed first is applied last.
    class Queue {
      drain() {
        calls.push('drain');
      }
    }
    const decorators = applied === 'after' ? [Traced(), OnShutdown(3)] : [OnShutdown(3), Traced()];
    const decorated = Reflect.decorate(decorators, Queue.prototype, 'drain', Object.getOwnPropertyDescriptor(Queue.prototype, 'drain'));
    Object.defineProperty(Queue.prototype, 'drain', decorated as PropertyDescriptor);
    Reflect.decorate([Injectable()], Queue);
    const { service } = await boot({ providers: [Queue] });
    expect(service.listHooks()).toEqual([{ name: 'Queue.drain', order: 3, timeout: undefined }]);
    await service.shutdown('deploy');
    expect(calls).toEqual(['traced', 'drain']);
  });

  it('refuses at bootstrap two methods claiming one hook name', async () => {
    @Injectable()
    class Cache {
      @OnShutdown({ name: 'db-pool' })
      clear() {}
    }
    await expect(boot({ providers: [Db, Cache] })).rejects.toThrow(
      '@OnShutdown(): the hook name "db-pool" is used by Db.close and Cache.clear; hook names must be unique',
    );
  });

  it('refuses bad module options at bootstrap', async () => {
    await expect(boot({ options: { timeout: -1 } })).rejects.toThrow('ShutdownModule: option "timeout" must be a finite number of ms > 0, got -1');
  });

  it('refuses ShutdownModule.forRoot() imported twice, naming the importers', async () => {
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger: false })] })
    class UsersModule {}
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger: false }), UsersModule] })
    class AppModule {}
    await expect(NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /ShutdownModule\.forRoot\(\) is imported 2 times \(by (AppModule, UsersModule|UsersModule, AppModule)\): import it once/,
    );
  });

  it('one class provided by two modules gives two hooks named after their modules', async () => {
    @Module({ providers: [Outbox] })
    class OrdersModule {}
    @Module({ providers: [Outbox] })
    class BillingModule {}
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger: false }), OrdersModule, BillingModule] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    apps.push(app);
    const names = app.get(ShutdownService).listHooks().map((hook) => hook.name);
    expect(names.sort()).toEqual(['Outbox.flush (BillingModule)', 'Outbox.flush (OrdersModule)']);
  });

  it('one instance under several tokens (useExisting, one value twice) is one hook, called once', async () => {
    const OUTBOX_ALIAS = Symbol('outbox alias');
    const shared = new Outbox();
    const { service } = await boot({
      providers: [
        Outbox,
        { provide: OUTBOX_ALIAS, useExisting: Outbox },
        { provide: 'first', useValue: shared },
        { provide: 'second', useValue: shared },
      ],
    });
    // Two instances of one class in one module: their tokens tell them apart.
    expect(service.listHooks().map((hook) => hook.name)).toEqual(['Outbox.flush (AppModule, Outbox)', 'Outbox.flush (AppModule, first)']);
    await service.shutdown('deploy');
    expect(calls).toEqual(['flush deploy', 'flush deploy']);
  });

  it('a dynamic module imported twice with the same provider numbers the second hook', async () => {
    @Module({})
    class OutboxModule {
      static register(topic: string): DynamicModule {
        return { module: OutboxModule, providers: [Outbox, { provide: 'TOPIC', useValue: topic }] };
      }
    }
    const { service } = await boot({ imports: [OutboxModule.register('orders'), OutboxModule.register('billing')] });
    expect(service.listHooks().map((hook) => hook.name)).toEqual(['Outbox.flush (OutboxModule, Outbox)', 'Outbox.flush (OutboxModule, Outbox) #2']);
  });

  it('forRootAsync takes its options from a factory with injected dependencies', async () => {
    const CONFIG = Symbol('config');
    let deadline = 0;
    @Injectable()
    class DeadlineProbe {
      @OnShutdown()
      read(ctx: ShutdownContext) {
        deadline = ctx.deadline;
      }
    }
    @Module({ providers: [{ provide: CONFIG, useValue: { ms: 1_234 } }], exports: [CONFIG] })
    class ConfigModule {}
    @Module({
      imports: [
        ShutdownModule.forRootAsync({
          imports: [ConfigModule],
          inject: [CONFIG],
          useFactory: (config: { ms: number }) => ({ timeout: config.ms, exit: false, logger: false }),
        }),
      ],
      providers: [DeadlineProbe],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    apps.push(app);
    const report = await app.get(ShutdownService).shutdown();
    expect(report.outcome).toBe('completed');
    // The deadline is the trigger time plus the timeout the factory returned.
    expect(deadline - report.startedAt).toBeGreaterThanOrEqual(1_234);
    expect(deadline - report.startedAt).toBeLessThan(1_234 + 50);
  });

  it("switches off Nest's enableShutdownHooks() listeners, which would re-raise the signal, and takes over their signals", async () => {
    const logger = new MemoryLogger();
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger })] })
    class AppModule {}
    const before = process.listeners('SIGHUP');
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
    // Typical main.ts: enableShutdownHooks() before init (listen() or init() initialises the app).
    app.enableShutdownHooks(['SIGHUP', 'SIGSEGV']);
    const nests = process.listeners('SIGHUP').filter((listener) => !before.includes(listener));
    expect(nests).toHaveLength(1);
    await (app as unknown as { callBootstrapHook(): Promise<void> }).callBootstrapHook();
    expect(process.listeners('SIGHUP')).not.toContain(nests[0]);
    expect(logger.lines).toContainEqual(expect.stringContaining('enableShutdownHooks() is not needed with ShutdownModule'));
    expect(logger.lines).toContainEqual(expect.stringContaining('Its SIGHUP now start the shutdown sequence too'));
    expect(logger.lines).toContainEqual(expect.stringContaining("Its SIGSEGV are left to Node's default"));
    const service = app.get(ShutdownService);
    expect(service.signals).toEqual(['SIGTERM', 'SIGINT', 'SIGHUP']);
    // The SIGHUP Nest listened to now runs the sequence.
    (process.emit as (event: string, ...args: unknown[]) => boolean)('SIGHUP', 'SIGHUP');
    expect(service.isShuttingDown).toBe(true);
    expect((await service.lastShutdown())?.reason).toBe('SIGHUP');
    expect(process.listeners('SIGHUP')).toEqual(before);
  });
});
