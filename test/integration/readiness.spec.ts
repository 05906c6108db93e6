import 'reflect-metadata';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { Controller, Get, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { AddressInfo } from 'node:net';
import {
  ShutdownHealthIndicator,
  ShutdownModule,
  ShutdownService,
  type ShutdownEvent,
  type ShutdownEventListener,
} from '../../lib/index.js';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly shutdown: ShutdownHealthIndicator,
  ) {}

  @Get('terminus-ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.shutdown.isReady()]);
  }

  @Get('live')
  live() {
    return 'alive';
  }
}

const events: ShutdownEvent[] = [];

@Injectable()
class EventRecorder implements ShutdownEventListener {
  onShutdownEvent(event: ShutdownEvent) {
    events.push(event);
  }
}

@Module({
  providers: [EventRecorder],
  imports: [
    TerminusModule.forRoot({ logger: false }),
    ShutdownModule.forRoot({ exit: false, logger: false, preStopDelay: 400, readinessPath: '/ready' }),
  ],
  controllers: [HealthController],
})
class AppModule {}

let app: INestApplication | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function status(path: string): Promise<{ status: number; body: unknown }> {
  const { port } = app!.getHttpServer().address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.json().catch(() => undefined) };
}

describe('readiness while shutting down', () => {
  it('the readiness route and the terminus indicator turn 503 at once; liveness stays 200', async () => {
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');

    await expect(status('/ready')).resolves.toEqual({ status: 200, body: { status: 'ready' } });
    await expect(status('/health/terminus-ready')).resolves.toMatchObject({
      status: 200,
      body: { status: 'ok', info: { shutdown: { status: 'up' } } },
    });

    // An HTTP app's plan has the drain between negative and other orders (none here).
    expect(app.get(ShutdownService).plan()).toEqual([{ step: 'drain' }, { step: 'nest-lifecycle' }]);
    const done = app.get(ShutdownService).shutdown('rollout');
    // Still serving during the pre-stop delay, but no longer ready.
    await expect(status('/ready')).resolves.toEqual({ status: 503, body: { status: 'shutting-down' } });
    await expect(status('/health/terminus-ready')).resolves.toMatchObject({
      status: 503,
      body: { error: { shutdown: { status: 'down', shuttingDown: true } } },
    });
    await expect(status('/health/live')).resolves.toMatchObject({ status: 200 });
    const report = await done;
    expect(report.outcome).toBe('completed');
    expect(report.drain).toMatchObject({ cut: 0 });
    // Listeners hear the drain, between the start and the end.
    expect(events.map((event) => event.type)).toEqual(['shutdown.started', 'drain.finished', 'shutdown.finished']);
    expect(events[1]).toEqual({ type: 'drain.finished', drain: report.drain });
  });

  it("the terminus indicator's results are made by terminus's HealthIndicatorService, with the key asked for", async () => {
    const check = jest.spyOn(HealthIndicatorService.prototype, 'check');
    try {
      app = await NestFactory.create(AppModule, { logger: false });
      await app.init();
      const indicator = app.get(ShutdownHealthIndicator);
      expect(indicator.isReady('ready')).toEqual({ ready: { status: 'up' } });
      expect(check).toHaveBeenCalledWith('ready');
      // The instance TerminusModule provides, not one of the indicator's own.
      expect(check.mock.contexts[0]).toBe(app.get(HealthIndicatorService));
    } finally {
      check.mockRestore();
    }
  });

  it('without TerminusModule in the app (terminus installed), the indicator builds the same results itself', async () => {
    const check = jest.spyOn(HealthIndicatorService.prototype, 'check');
    try {
      @Module({ imports: [ShutdownModule.forRoot({ exit: false, logger: false })] })
      class WithoutTerminus {}
      app = await NestFactory.create(WithoutTerminus, { logger: false });
      await app.init();
      const indicator = app.get(ShutdownHealthIndicator);
      expect(indicator.isReady()).toEqual({ shutdown: { status: 'up' } });
      await app.get(ShutdownService).shutdown('test');
      expect(indicator.isReady('ready')).toEqual({ ready: { status: 'down', shuttingDown: true } });
      expect(check).not.toHaveBeenCalled();
    } finally {
      check.mockRestore();
    }
  });

  it('app.close() in code does not wait for the pre-stop delay', async () => {
    app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    const started = performance.now();
    await app.close();
    app = undefined;
    // preStopDelay is 400 ms: a close that waited would take at least that.
    expect(performance.now() - started).toBeLessThan(300);
  });
});
