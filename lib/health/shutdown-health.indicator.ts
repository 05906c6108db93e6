import { Injectable } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
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
 * With TerminusModule in the application the results come from terminus's `HealthIndicatorService`,
 * as terminus asks of custom indicators; without it, the same shape is built here. Looked up on the
 * first check, not at start-up: an application that never asks pays nothing.
 */
@Injectable()
export class ShutdownHealthIndicator {
  /** null: looked up, none. */
  private terminus: HealthIndicatorServiceLike | null | undefined;

  constructor(
    private readonly service: ShutdownService,
    private readonly modules: ModulesContainer,
  ) {}

  isReady(key = 'shutdown'): ShutdownHealthResult {
    if (this.terminus === undefined) this.terminus = findTerminusIndicatorService(this.modules) ?? null;
    const session = this.terminus?.check(key);
    if (this.service.isShuttingDown) return session ? session.down({ shuttingDown: true }) : { [key]: { status: 'down', shuttingDown: true } };
    return session ? session.up() : { [key]: { status: 'up' } };
  }
}
