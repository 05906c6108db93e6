import { nameHooks, type HookScan } from '../shutdown.explorer.js';
import type { DiscoveredHook, ShutdownHook } from '../shutdown-hook.interface.js';
import { buildHookPlan } from './build-hook-plan.js';

/**
 * The application's @OnShutdown() methods, found by the start-up scan, named and planned on first
 * need (`listHooks()`, `plan()`, a registration, the shutdown) rather than at start-up: what fails
 * at start-up still does, as naming can only fail with explicit names, and then happens at once.
 * Planning never fails; its warnings (contradicting orders, cycles) are logged when it runs.
 */
export class MethodHooks {
  private named?: readonly DiscoveredHook[];
  private planned?: readonly ShutdownHook[];

  constructor(
    private readonly scan: HookScan,
    private readonly logger: { warn(message: string): void },
  ) {
    if (scan.explicitNames) this.named = nameHooks(scan);
  }

  /** Named, in discovery order. */
  get discovered(): readonly DiscoveredHook[] {
    return (this.named ??= nameHooks(this.scan));
  }

  /** In run order, each with the hooks it waits for. */
  get hooks(): readonly ShutdownHook[] {
    return (this.planned ??= buildHookPlan(this.discovered, this.logger));
  }
}
