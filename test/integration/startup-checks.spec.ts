import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { OnShutdown, ShutdownModule, ShutdownService } from '../../lib/index.js';
import { MemoryLogger } from './support/memory-logger.js';

const apps: INestApplicationContext[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

@Controller()
class HealthController {
  @Get('health')
  health() {
    return 'controller';
  }
}

@Controller()
class ByIdController {
  @Get(':id')
  byId() {
    return 'by id';
  }
}

function appModule(controller: Function, readinessPath: string) {
  @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger: false, readinessPath })], controllers: [controller as never] })
  class AppModule {}
  return AppModule;
}

describe('readinessPath colliding with a route of the application', () => {
  it.each([
    ['Express, the same path', HealthController, '/health', 'GET /health'],
    ['Express, a route parameter that would answer it', ByIdController, '/ready', 'GET /:id'],
  ])('%s: startup fails naming the option and the route', async (_case, controller, path, route) => {
    const app = await NestFactory.create(appModule(controller, path), { logger: false, abortOnError: false });
    apps.push(app);
    await expect(app.init()).rejects.toThrow(`ShutdownModule: option "readinessPath" "${path}" collides with the application's route ${route}`);
  });

  it('Fastify, the same path: startup fails naming the option, not with Fastify\'s own error', async () => {
    const app = await NestFactory.create(appModule(HealthController, '/health'), new FastifyAdapter(), { logger: false, abortOnError: false });
    apps.push(app);
    await expect(app.init()).rejects.toThrow('ShutdownModule: option "readinessPath" "/health" collides with the application\'s route GET /health');
  });

  it('Fastify and a route parameter: no collision, the literal readiness route answers', async () => {
    const app = await NestFactory.create(appModule(ByIdController, '/ready'), new FastifyAdapter(), { logger: false });
    apps.push(app);
    await app.listen(0, '127.0.0.1');
    const answer = await fetch(`${await app.getUrl()}/ready`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'ready' });
  });
});

class Connection {
  closed = false;

  @OnShutdown({ name: 'connection.close' })
  close() {
    this.closed = true;
  }
}

describe('hooks on what a factory returns', () => {
  it.each([
    ['a function factory', { provide: 'CONN', useFactory: function () { return new Connection(); } }],
    ['an arrow factory', { provide: 'CONN', useFactory: () => new Connection() }],
    ['an async factory', { provide: 'CONN', useFactory: async () => new Connection() }],
  ])('%s: the hook of the instance\'s class is found and runs', async (_case, provider) => {
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger: false })], providers: [provider] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    expect(app.get(ShutdownService).listHooks().map((hook) => hook.name)).toEqual(['connection.close']);
    const connection = app.get<Connection>('CONN');
    await app.close();
    expect(connection.closed).toBe(true);
  });
});

describe('an application closed without init()', () => {
  @Injectable()
  class Worker {
    @OnShutdown()
    stop() {}
  }

  it('leaves no signal listener behind and says the hooks did not run', async () => {
    const logger = new MemoryLogger();
    const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
    const moduleRef = await Test.createTestingModule({ imports: [ShutdownModule.forRoot({ exit: false, logger })], providers: [Worker] }).compile();
    // Compiled: the providers listen for a signal that would come during bootstrap.
    expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
    await moduleRef.close();
    expect({ term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') }).toEqual(before);
    expect(logger.lines).toContainEqual(expect.stringContaining('app.close() on an application that was never initialised: its 1 @OnShutdown() hook(s) did not run'));
  });
});

describe('forRoot() imported twice', () => {
  it('names the dynamic modules that import it', async () => {
    @Module({})
    class FeatureModule {
      static register(): DynamicModule {
        return { module: FeatureModule, imports: [ShutdownModule.forRoot({ exit: false, logger: false })] };
      }
    }
    @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger: false }), FeatureModule.register()] })
    class AppModule {}
    await expect(NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /ShutdownModule\.forRoot\(\) is imported 2 times \(by (AppModule, FeatureModule|FeatureModule, AppModule)\)/,
    );
  });
});
