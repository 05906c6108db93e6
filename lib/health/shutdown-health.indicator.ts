import { Injectable } from '@nestjs/common';
import { ShutdownService } from '../shutdown.service.js';

/** The shape @nestjs/terminus expects from an indicator; kept here so terminus stays optional. */
export type ShutdownHealthResult = Record<string, { status: 'up' | 'down'; shuttingDown?: true }>;

/**
 * Readiness for @nestjs/terminus users: "up" while serving, "down" from the first moment of a
 * shutdown, so that `HealthCheckService.check()` answers 503. Use it on the readiness check only:
 * liveness must stay healthy while the app shuts down.
 *
 *   @Get('ready') @HealthCheck()
 *   ready() { return this.health.check([() => this.shutdown.isReady()]); }
 */
@Injectable()
export class ShutdownHealthIndicator {
  constructor(private readonly service: ShutdownService) {}

  isReady(key = 'shutdown'): ShutdownHealthResult {
    return this.service.isShuttingDown ? { [key]: { status: 'down', shuttingDown: true } } : { [key]: { status: 'up' } };
  }
}
