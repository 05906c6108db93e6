import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import type { DiscoveredHook, ShutdownHook } from '../shutdown-hook.interface.js';
import { planDependencies, sortByWaits } from './plan-dependencies.js';
import { TargetDependencies } from './provider-dependencies.js';

const NO_WAITS: readonly string[] = [];

/**
 * Turns discovered hooks into runnable ones: each knows which hooks of its order it waits for,
 * and the list is in run order (ascending order, dependents before their dependencies).
 */
export function buildHookPlan(discovered: readonly DiscoveredHook[], logger: { warn(message: string): void }): ShutdownHook[] {
  const hookProviders = new Set<InstanceWrapper>(discovered.map((hook) => hook.provider));
  // Dependencies between providers that have hooks are all the planner looks at; with one such
  // provider there are none.
  const dependencies = new TargetDependencies(hookProviders);
  const plan =
    hookProviders.size > 1
      ? planDependencies(discovered.map(({ name, order, provider }) => ({ name, order, provider, dependsOn: dependencies.of(provider) })))
      : { after: new Map<string, string[]>(), warnings: [] };
  plan.warnings.forEach((warning) => logger.warn(warning));
  let waits = false;
  const hooks: ShutdownHook[] = discovered.map(({ name, order, timeout, invoke }) => {
    const after = plan.after.get(name) ?? NO_WAITS;
    if (after.length > 0) waits = true;
    return { name, order, timeout, after, invoke };
  });
  const ascending = hooks.sort((a, b) => a.order - b.order); // Stable: discovery order within an order.
  return waits ? sortByWaits(ascending, plan.after) : ascending;
}
