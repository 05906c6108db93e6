import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';

const NONE: ReadonlySet<InstanceWrapper> = new Set();

/**
 * The providers among `targets` that `wrapper` depends on through Nest's injection (constructor
 * and properties), transitively. Only these matter to the planner, so only these are collected:
 * a provider with no path to a target shares one empty set. Memoised per planning through `cache`.
 */
export function dependenciesAmong(
  wrapper: InstanceWrapper,
  targets: ReadonlySet<InstanceWrapper>,
  cache: Map<InstanceWrapper, ReadonlySet<InstanceWrapper>>,
): ReadonlySet<InstanceWrapper> {
  const known = cache.get(wrapper);
  if (known) return known;
  cache.set(wrapper, NONE); // Before recursing: a cycle ends here instead of looping.
  let result: Set<InstanceWrapper> | undefined;
  const add = (dependency: InstanceWrapper | undefined): void => {
    if (!dependency) return;
    if (targets.has(dependency)) (result ??= new Set()).add(dependency);
    const further = dependenciesAmong(dependency, targets, cache);
    if (further.size > 0) {
      result ??= new Set();
      for (const provider of further) result.add(provider);
    }
  };
  for (const dependency of wrapper.getCtorMetadata?.() ?? []) add(dependency);
  for (const property of wrapper.getPropertiesMetadata?.() ?? []) add(property.wrapper);
  const found = result ?? NONE;
  cache.set(wrapper, found);
  return found;
}
