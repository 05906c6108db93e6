import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ShutdownService } from '../shutdown.service.js';
import { findTerminusIndicatorService, type HealthIndicatorServiceLike } from './terminus-indicator-service.js';

/** The shape @nestjs/terminus expects from an indicator; kept here so terminus stays optional. */
export type ShutdownHealthResult = Record<string, { status: 'up' | 'down'; shuttingDown?: true }>;

/**
 * Readiness for @nestjs/terminus users: "up" while serving, "down" from the first moment of a
 * shutdown, so that `HealthCheckService.check()` answers 503. Use it on the readiness check only:
 * liveness must stay healthy while the app shuts down.
 *
 *   @Get('ready') @HealthCheck()
 *   ready() { return this.health.check([() => this.shutdown.isReady()]); }
 *
 * With terminus installed the results come from terminus's `HealthIndicatorService`, as terminus
 * asks of custom indicators; without it, the same shape is built here.
 */
@Injectable()
export class ShutdownHealthIndicator implements OnModuleInit {
  private terminus: HealthIndicatorServiceLike | undefined;

  constructor(
    private readonly service: ShutdownService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onModuleInit(): Promise<void> {
    this.terminus = await findTerminusIndicatorService(this.moduleRef);
  }

  isReady(key = 'shutdown'): ShutdownHealthResult {
    const session = this.terminus?.check(key);
    if (this.service.isShuttingDown) return session ? session.down({ shuttingDown: true }) : { [key]: { status: 'down', shuttingDown: true } };
    return session ? session.up() : { [key]: { status: 'up' } };
  }
}
