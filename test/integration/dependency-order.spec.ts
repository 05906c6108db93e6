import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, type LoggerService, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnShutdown, ShutdownModule, ShutdownService } from '../../lib/index.js';

const events: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

@Injectable()
class Pool {
  @OnShutdown(100)
  async end() {
    events.push('pool start');
    await sleep(5);
    events.push('pool end');
  }
}

@Injectable()
class OrdersRepository {
  constructor(readonly pool: Pool) {}
  @OnShutdown(100)
  async close() {
    events.push('repository start');
    await sleep(40);
    events.push('repository end');
  }
}

@Injectable()
class OrdersService {
  constructor(readonly repository: OrdersRepository) {}
}

@Injectable()
class Metrics {
  @OnShutdown(100)
  async flush() {
    events.push('metrics start');
    await sleep(10);
    events.push('metrics end');
  }
}

class Warnings implements LoggerService {
  readonly lines: string[] = [];
  log() {}
  error() {}
  warn(message: string) {
    this.lines.push(message);
  }
}

let app: INestApplicationContext | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  events.length = 0;
});

describe('dependency-aware order inside one order value', () => {
  it('runs a dependent before its dependency, unrelated hooks concurrently, and shows it in plan()', async () => {
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger: false })], providers: [Pool, OrdersRepository, OrdersService, Metrics] })
    class AppModule {}
    app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    const service = app.get(ShutdownService);

    expect(service.plan()).toEqual([
      {
        step: 'hooks',
        order: 100,
        hooks: [
          { name: 'OrdersRepository.close', order: 100, after: [] },
          { name: 'Pool.end', order: 100, after: ['OrdersRepository.close'] },
          { name: 'Metrics.flush', order: 100, after: [] },
        ],
      },
      { step: 'nest-lifecycle' },
    ]);

    await service.shutdown();
    // The pool waits for its repository; metrics, unrelated, runs alongside.
    expect(events).toEqual(['repository start', 'metrics start', 'metrics end', 'repository end', 'pool start', 'pool end']);
  });

  it('keeps explicit orders that contradict the graph and warns once, naming both', async () => {
    @Injectable()
    class EarlyPool {
      @OnShutdown(1)
      end() {}
    }
    @Injectable()
    class LateRepository {
      constructor(readonly pool: EarlyPool) {}
      @OnShutdown(2)
      close() {}
    }
    const logger = new Warnings();
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger })], providers: [EarlyPool, LateRepository] })
    class AppModule {}
    app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(app.get(ShutdownService).listHooks().map((hook) => hook.name)).toEqual(['EarlyPool.end', 'LateRepository.close']);
    expect(logger.lines).toEqual([
      'LateRepository.close (order 2) depends on the provider of EarlyPool.end (order 1) but runs after it: ' +
        'EarlyPool.end may close what LateRepository.close still uses. The explicit orders are kept.',
    ]);
  });

  it('plans right after start-up, once the event loop is free: its warnings come then, unasked', async () => {
    @Injectable()
    class EarlyCache {
      @OnShutdown(1)
      end() {}
    }
    @Injectable()
    class LateWriter {
      constructor(readonly cache: EarlyCache) {}
      @OnShutdown(2)
      close() {}
    }
    const logger = new Warnings();
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger })], providers: [EarlyCache, LateWriter] })
    class AppModule {}
    app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    // Not inside init(): start-up does not pay for planning.
    expect(logger.lines).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logger.lines).toEqual([expect.stringContaining('LateWriter.close (order 2) depends on the provider of EarlyCache.end (order 1)')]);
  });
});
