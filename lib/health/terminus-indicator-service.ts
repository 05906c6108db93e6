import type { ModulesContainer } from '@nestjs/core';
import { findProvider } from '../integrations/find-provider.js';
import type { ShutdownHealthResult } from './shutdown-health.indicator.js';

/** The part of @nestjs/terminus's `HealthIndicatorService` (terminus >= 11) the indicator uses. */
export interface HealthIndicatorServiceLike {
  check(key: string): { up(data?: object): ShutdownHealthResult; down(data?: object): ShutdownHealthResult };
}

/**
 * The `HealthIndicatorService` of the application's `TerminusModule`, found in Nest's container by
 * class name, else undefined. Terminus is never loaded by the library: importing it at start-up
 * cost every application that has it installed tens of milliseconds (a hundred modules read and
 * compiled). An application that checks health with terminus imports TerminusModule, which
 * provides that service; one that does not gets the same results built by the indicator itself.
 */
export function findTerminusIndicatorService(modules: ModulesContainer): HealthIndicatorServiceLike | undefined {
  const service = findProvider(modules, 'TerminusModule', 'HealthIndicatorService') as Partial<HealthIndicatorServiceLike> | undefined;
  return typeof service?.check === 'function' ? (service as HealthIndicatorServiceLike) : undefined;
}
