import 'reflect-metadata';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Interval, ScheduleModule } from '@nestjs/schedule';
import { ShutdownModule, ShutdownService, type ShutdownModuleOptions } from '../../lib/index.js';
import { MemoryLogger } from './support/memory-logger.js';

let ticks = 0;

@Injectable()
class Poller {
  @Interval('poll', 10)
  poll() {
    ticks++;
  }
}

const apps: INestApplicationContext[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close().catch(() => undefined)));
  ticks = 0;
});

async function boot(options: ShutdownModuleOptions = {}, withSchedule = true) {
  const logger = new MemoryLogger();
  @Module({
    imports: [ShutdownModule.forRoot({ exit: false, logger, ...options }), ...(withSchedule ? [ScheduleModule.forRoot()] : [])],
    providers: withSchedule ? [Poller] : [],
  })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  apps.push(app);
  return { app, logger, service: app.get(ShutdownService) };
}

describe('integrations in a Nest application (in process)', () => {
  it('plan() shows the work stopped first; the report says what was stopped', async () => {
    const { service, logger } = await boot();
    expect(service.plan()).toEqual([{ step: 'stop-work', integrations: ['@nestjs/schedule'] }, { step: 'nest-lifecycle' }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ticks).toBeGreaterThan(0);
    const report = await service.shutdown('deploy');
    expect(report.integrations).toEqual([
      { name: '@nestjs/schedule', stopped: 1, inProgress: 0, finished: 0, unfinished: 0, durationMs: expect.any(Number) },
    ]);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^log Shutdown: {3}@nestjs\/schedule: 1 scheduled job\(s\) stopped; 0 tick\(s\) in progress, 0 finished, 0 unfinished, \d+ ms$/),
    );
  });

  it('integrations.schedule false: not in the plan nor the report', async () => {
    const { service } = await boot({ integrations: { schedule: false } });
    expect(service.plan()).toEqual([{ step: 'nest-lifecycle' }]);
    expect((await service.shutdown('deploy')).integrations).toBeUndefined();
  });

  it('an application without ScheduleModule has no integration', async () => {
    const { service } = await boot({}, false);
    expect(service.plan()).toEqual([{ step: 'nest-lifecycle' }]);
    expect((await service.shutdown('deploy')).integrations).toBeUndefined();
  });
});
