import type { ModulesContainer } from '@nestjs/core';
import { hasNestShutdownListeners, locateApplication, type LocatedApplication } from './application-locator.js';
import { gatewayServersOf } from './gateway-servers.js';

/**
 * The library's hold on the Nest application it belongs to: `app.close()` in user code is routed
 * through the shutdown sequence, which runs Nest's own teardown (the original `close()`) as its
 * last phase, exactly once.
 */
export class NestApplication {
  private readonly nestClose: (signal?: string) => Promise<void>;

  private constructor(private readonly application: LocatedApplication) {
    const original = application.close;
    this.nestClose = (signal) => original.call(application, signal);
  }

  static of(modules: ModulesContainer): NestApplication {
    return new NestApplication(locateApplication(modules));
  }

  /** From now on `app.close(signal)` runs `close` (the sequence) instead of Nest's teardown alone. */
  takeOverClose(close: (signal?: string) => Promise<void>): void {
    this.application.close = close;
  }

  /** The servers of the application's gateways, and the name of the adapter that made them. */
  gatewayServers(): { adapter?: string; servers: unknown[] } {
    return gatewayServersOf(this.application.container?.applicationConfig);
  }

  /** Nest's own teardown: onModuleDestroy, beforeApplicationShutdown, dispose, onApplicationShutdown. */
  runLifecycle(signal?: string): Promise<void> {
    return this.nestClose(signal);
  }

  /**
   * Removes the listeners of a left-in `enableShutdownHooks()`: after its own teardown Nest
   * re-raises the signal, which ours would take for a second one, and user listeners would run twice.
   * Returns the signals it listened to (none when it wasn't called).
   */
  switchOffNestSignals(): NodeJS.Signals[] {
    const { application } = this;
    if (!hasNestShutdownListeners(application)) return [];
    const signals = [...(application.shutdownCleanupRefs?.keys() ?? []), ...(application.activeShutdownSignals ?? [])];
    application.unsubscribeFromProcessSignals?.();
    return [...new Set(signals)] as NodeJS.Signals[];
  }
}
