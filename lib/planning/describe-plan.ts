import type { IntegrationName } from '../integrations/work-source.interface.js';
import type { ShutdownPlanStep } from '../interfaces/shutdown-plan.interface.js';
import { groupByOrder } from '../run/group-by-order.js';
import type { ShutdownHook } from '../shutdown-hook.interface.js';

/** The sequence as steps: the integrations' work stopped, hook groups by order, the drain before the first order >= 0, Nest's lifecycle. */
export function describePlan(hooks: readonly ShutdownHook[], withDrain: boolean, integrations: readonly IntegrationName[] = []): ShutdownPlanStep[] {
  const steps: ShutdownPlanStep[] = groupByOrder(hooks, (hook) => hook.order).map((group) => ({
    step: 'hooks',
    order: group[0].order,
    hooks: group.map(({ name, order, timeout, after }) => ({ name, order, ...(timeout ? { timeout } : {}), after: [...after] })),
  }));
  if (withDrain) {
    const firstNonNegative = steps.findIndex((step) => step.step === 'hooks' && step.order >= 0);
    steps.splice(firstNonNegative === -1 ? steps.length : firstNonNegative, 0, { step: 'drain' });
  }
  if (integrations.length > 0) steps.unshift({ step: 'stop-work', integrations: [...integrations] });
  steps.push({ step: 'nest-lifecycle' });
  return steps;
}
