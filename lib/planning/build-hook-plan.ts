import type { DiscoveredHook, ShutdownHook } from '../shutdown-hook.interface.js';
import { planDependencies, sortByWaits } from './plan-dependencies.js';
import { transitiveDependencies } from './provider-dependencies.js';

/**
 * Turns discovered hooks into runnable ones: each knows which hooks of its order it waits for,
 * and the list is in run order (ascending order, dependents before their dependencies).
 */
export function buildHookPlan(discovered: readonly DiscoveredHook[], logger: { warn(message: string): void }): ShutdownHook[] {
  const cache = new Map();
  const plan = planDependencies(
    discovered.map((hook) => ({
      name: hook.name,
      order: hook.order,
      provider: hook.provider,
      dependsOn: transitiveDependencies(hook.provider, cache),
    })),
  );
  plan.warnings.forEach((warning) => logger.warn(warning));
  const hooks: ShutdownHook[] = discovered.map(({ name, order, timeout, invoke }) => ({
    name,
    order,
    timeout,
    after: plan.after.get(name) ?? [],
    invoke,
  }));
  const ascending = [...hooks].sort((a, b) => a.order - b.order);
  return sortByWaits(ascending, plan.after);
}
