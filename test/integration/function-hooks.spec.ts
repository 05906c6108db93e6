import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplicationContext, type OnApplicationBootstrap } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnShutdown, ShutdownModule, ShutdownService, type ShutdownContext, type ShutdownModuleOptions } from '../../lib/index.js';
import { simulateSignal } from '../../lib/testing/index.js';
import { MemoryLogger } from './support/memory-logger.js';

const calls: string[] = [];

/** What a third-party client looks like: no class of ours, no decorator. */
class Pool {
  ended = false;
  async end(): Promise<void> {
    calls.push('pool.end');
    this.ended = true;
  }
}

@Injectable()
class Outbox {
  @OnShutdown(10)
  flush() {
    calls.push('Outbox.flush');
  }
}

/** The provider of the issue: a pool made in a useFactory, its end registered there. */
const POOL = {
  provide: 'POOL',
  inject: [ShutdownService],
  useFactory: (shutdown: ShutdownService) => {
    const pool = new Pool();
    shutdown.register('pg-pool', () => pool.end(), { order: 100, timeout: 2_000 });
    return pool;
  },
};

const apps: INestApplicationContext[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close().catch(() => undefined)));
  calls.length = 0;
});

async function boot(providers: unknown[], options: ShutdownModuleOptions = {}) {
  const logger = new MemoryLogger();
  @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger, ...options })], providers: providers as never })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
  apps.push(app);
  return { app, logger, service: app.get(ShutdownService) };
}

describe('hooks registered as functions (ShutdownService.register)', () => {
  it('a hook registered in a useFactory is planned, listed, run with the ShutdownContext and reported', async () => {
    const seen: ShutdownContext[] = [];
    const early = {
      provide: 'EARLY',
      inject: [ShutdownService],
      useFactory: (shutdown: ShutdownService) => shutdown.register('stop-consumer', (ctx) => void seen.push(ctx), -5),
    };
    // exit: true, recorded by simulateSignal: the process's own path.
    const { app, service, logger } = await boot([Outbox, POOL, early], { exit: true });
    expect(service.listHooks()).toEqual([
      { name: 'stop-consumer', order: -5, timeout: undefined },
      { name: 'Outbox.flush', order: 10, timeout: undefined },
      { name: 'pg-pool', order: 100, timeout: 2_000 },
    ]);
    expect(service.plan()).toEqual([
      { step: 'hooks', order: -5, hooks: [{ name: 'stop-consumer', order: -5, after: [] }] },
      { step: 'hooks', order: 10, hooks: [{ name: 'Outbox.flush', order: 10, after: [] }] },
      { step: 'hooks', order: 100, hooks: [{ name: 'pg-pool', order: 100, timeout: 2_000, after: [] }] },
      { step: 'nest-lifecycle' },
    ]);
    const { report, exitCode } = await simulateSignal(app, 'SIGTERM');
    expect(exitCode).toBe(0);
    expect(calls).toEqual(['Outbox.flush', 'pool.end']);
    expect(app.get<Pool>('POOL').ended).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0].reason).toBe('SIGTERM');
    expect(Math.abs(seen[0].deadline - (report.startedAt + 8_000))).toBeLessThan(50);
    expect(seen[0].signal).toBeInstanceOf(AbortSignal);
    expect(report.hooks).toEqual([
      expect.objectContaining({ name: 'stop-consumer', order: -5, status: 'ok' }),
      expect.objectContaining({ name: 'Outbox.flush', order: 10, status: 'ok' }),
      expect.objectContaining({ name: 'pg-pool', order: 100, status: 'ok' }),
    ]);
    expect(logger.lines).toContainEqual(expect.stringMatching(/^log Shutdown: {3}\[order 100\] pg-pool +ok +\d+ ms$/));
  });

  it('after init: registered and removed from anywhere; a removed hook is neither planned nor called', async () => {
    const { service } = await boot([Outbox]);
    const removeA = service.register('a', () => void calls.push('a'));
    service.register('b', () => void calls.push('b'), { order: 10 });
    expect(service.listHooks().map((hook) => hook.name)).toEqual(['a', 'Outbox.flush', 'b']);
    removeA();
    removeA();
    expect(service.listHooks().map((hook) => hook.name)).toEqual(['Outbox.flush', 'b']);
    // The name is free again once removed.
    const removeAgain = service.register('a', () => void calls.push('a again'), 20);
    await service.shutdown('deploy');
    expect(calls).toEqual(['Outbox.flush', 'b', 'a again']);
    expect(typeof removeAgain).toBe('function');
  });

  it('a function hook that fails or passes its timeout is reported like a method; the others still run', async () => {
    const { service } = await boot([Outbox]);
    service.register('broken', () => {
      throw new Error('client gone');
    });
    let aborted: unknown;
    service.register(
      'slow',
      (ctx) =>
        new Promise<void>((resolve) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = ctx.signal.reason;
            resolve();
          }),
        ),
      { timeout: 50 },
    );
    const report = await service.shutdown('deploy');
    expect(report.outcome).toBe('failed');
    expect(report.hooks).toEqual([
      expect.objectContaining({ name: 'broken', status: 'failed', error: 'client gone' }),
      expect.objectContaining({ name: 'slow', status: 'timedOut', error: expect.stringContaining('slow exceeded its timeout of 50 ms') }),
      expect.objectContaining({ name: 'Outbox.flush', status: 'ok' }),
    ]);
    expect(String(aborted)).toContain('slow exceeded its timeout of 50 ms');
    expect(calls).toEqual(['Outbox.flush']);
  });

  it('a hook removed while the shutdown runs is not called if it had not started', async () => {
    const { service } = await boot([]);
    let removeLate = (): void => undefined;
    service.register('first', () => {
      calls.push('first');
      removeLate();
    });
    removeLate = service.register('late', () => void calls.push('late'), 10);
    const report = await service.shutdown('deploy');
    expect(calls).toEqual(['first']);
    expect(report.outcome).toBe('completed');
  });

  it('once the shutdown started, a registration is refused with a warning and never runs', async () => {
    @Injectable()
    class LateRegistrar {
      constructor(private readonly shutdown: ShutdownService) {}
      @OnShutdown(1)
      stop() {
        const remove = this.shutdown.register('too-late', () => void calls.push('too-late'), 50);
        remove();
        calls.push('stop');
      }
    }
    const { service, logger } = await boot([LateRegistrar]);
    const report = await service.shutdown('deploy');
    expect(calls).toEqual(['stop']);
    expect(report.hooks.map((hook) => hook.name)).toEqual(['LateRegistrar.stop']);
    expect(logger.lines).toContain('warn Shutdown: ShutdownService.register("too-late") after the shutdown (deploy) started: this hook will not run');
  });

  const noop = (): void => undefined;
  it.each<[unknown[], string]>([
    [['', noop], 'ShutdownService.register(""): the name must be a non-empty string'],
    [[42, noop], 'ShutdownService.register(42): the name must be a non-empty string'],
    [['x', 'not a function'], 'ShutdownService.register("x"): the hook must be a function, got "not a function"'],
    [['x', noop, { order: Number.NaN }], 'ShutdownService.register("x"): order must be a finite number, got NaN'],
    [['x', noop, { timeout: 0 }], 'ShutdownService.register("x"): timeout must be a finite number of ms > 0, got 0'],
    [['x', noop, { timeout: 2 ** 31 }], 'ShutdownService.register("x"): timeout must be at most 2147483647 ms'],
    [['x', noop, { ordre: 1 }], 'ShutdownService.register("x"): unknown option "ordre"'],
    [['x', noop, { name: 'y' }], `ShutdownService.register("x"): unknown option "name" (the name is register()'s first argument)`],
    [['x', noop, 'late'], 'ShutdownService.register("x"): expected an order (number)'],
  ])('refuses register(%p) naming the hook and the problem: %s', async (args, message) => {
    const { service } = await boot([]);
    expect(() => (service.register as (...a: unknown[]) => unknown)(...args)).toThrow(message);
    expect(service.listHooks()).toEqual([]);
  });

  it('refuses a name already taken: by another function at once, by a method at bootstrap or at registration', async () => {
    const { service } = await boot([Outbox]);
    service.register('pool', () => undefined);
    expect(() => service.register('pool', () => undefined)).toThrow(
      'ShutdownService.register("pool"): a hook of that name is already registered; hook names must be unique',
    );
    expect(() => service.register('Outbox.flush', () => undefined)).toThrow(
      'ShutdownService.register("Outbox.flush"): the name is taken by an @OnShutdown() method; hook names must be unique',
    );

    // Registered before init, under a name a method claims: bootstrap fails naming it.
    const clash = { provide: 'CLASH', inject: [ShutdownService], useFactory: (shutdown: ShutdownService) => shutdown.register('Outbox.flush', () => undefined) };
    @Module({ imports: [ShutdownModule.forRoot({ logger: false })], providers: [Outbox, clash] })
    class ClashModule {}
    const app = await NestFactory.createApplicationContext(ClashModule, { logger: false, abortOnError: false }).catch((error: Error) => error);
    expect(app).toBeInstanceOf(Error);
    expect((app as Error).message).toBe(
      'ShutdownService.register("Outbox.flush"): the name is taken by an @OnShutdown() method; hook names must be unique',
    );
  });

  it('a registration in onApplicationBootstrap (after discovery) is planned too', async () => {
    @Injectable()
    class Sdk implements OnApplicationBootstrap {
      constructor(private readonly shutdown: ShutdownService) {}
      onApplicationBootstrap() {
        this.shutdown.register('sdk.flush', () => void calls.push('sdk.flush'), 5);
      }
    }
    const { service } = await boot([Sdk, Outbox]);
    expect(service.plan()[0]).toEqual({ step: 'hooks', order: 5, hooks: [{ name: 'sdk.flush', order: 5, after: [] }] });
    await service.shutdown('deploy');
    expect(calls).toEqual(['sdk.flush', 'Outbox.flush']);
  });
});
