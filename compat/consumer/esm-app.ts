/** An ESM user app on the packed library, compiled with `strict` and the library's types checked. */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  OnShutdown,
  ShutdownHealthIndicator,
  ShutdownModule,
  ShutdownService,
  type ShutdownContext,
  type ShutdownEvent,
  type ShutdownEventListener,
  type ShutdownReport,
} from 'nestjs-shutdown';
import type { SimulatedShutdown } from 'nestjs-shutdown/testing';

@Injectable()
class Outbox implements ShutdownEventListener {
  @OnShutdown({ order: 10, timeout: 1_000, name: 'outbox' })
  async flush(ctx: ShutdownContext): Promise<void> {
    const remaining: number = ctx.deadline - Date.now();
    console.log(`hook ran: ${ctx.reason}, signal aborted=${ctx.signal.aborted}, ${remaining > 0 ? 'before' : 'after'} deadline`);
  }

  onShutdownEvent(event: ShutdownEvent): void {
    if (event.type === 'shutdown.finished') {
      const report: ShutdownReport = event.report;
      console.log(`outcome: ${report.outcome}`);
    }
  }
}

@Module({ imports: [ShutdownModule.forRoot({ timeout: 5_000, readinessPath: '/ready' })], providers: [Outbox] })
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const service: ShutdownService = app.get(ShutdownService);
const unused: SimulatedShutdown | undefined = undefined;
void unused;
const readiness: Record<string, { status: 'up' | 'down' }> = app.get(ShutdownHealthIndicator).isReady();
console.log(`readiness ${JSON.stringify(readiness)}`);
console.log(`ready esm, shutting down: ${service.isShuttingDown}`);
