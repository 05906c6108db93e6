import type { ModuleRef } from '@nestjs/core';
import type { ShutdownHealthResult } from './shutdown-health.indicator.js';

/** The part of @nestjs/terminus's `HealthIndicatorService` (terminus >= 11) the indicator uses. */
export interface HealthIndicatorServiceLike {
  check(key: string): { up(data?: object): ShutdownHealthResult; down(data?: object): ShutdownHealthResult };
}

// A variable, not a literal: bundlers and TypeScript must not require terminus to be installed.
const TERMINUS = '@nestjs/terminus';

/**
 * Terminus's own `HealthIndicatorService` when terminus is installed (the instance TerminusModule
 * provides, or one of our own when the app doesn't import TerminusModule), else undefined. Any
 * failure to load it (not installed, an older terminus, an ES-only terminus required from a
 * CommonJS test runner) leaves the indicator on its own results: it never breaks the app.
 */
export async function findTerminusIndicatorService(moduleRef: ModuleRef): Promise<HealthIndicatorServiceLike | undefined> {
  let service: (new () => HealthIndicatorServiceLike) | undefined;
  try {
    ({ HealthIndicatorService: service } = (await import(TERMINUS)) as { HealthIndicatorService?: new () => HealthIndicatorServiceLike });
  } catch {
    return undefined;
  }
  if (typeof service !== 'function') return undefined;
  try {
    return moduleRef.get(service, { strict: false });
  } catch {
    return new service();
  }
}
