import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';

/**
 * Every provider a provider depends on through Nest's injection (constructor and properties),
 * transitively, as InstanceWrappers. Memoised per call site through `cache`.
 */
export function transitiveDependencies(wrapper: InstanceWrapper, cache = new Map<InstanceWrapper, Set<InstanceWrapper>>()): Set<InstanceWrapper> {
  const known = cache.get(wrapper);
  if (known) return known;
  const result = new Set<InstanceWrapper>();
  cache.set(wrapper, result); // Set before recursing: a cycle ends here instead of looping.
  for (const dependency of directDependencies(wrapper)) {
    if (result.has(dependency)) continue;
    result.add(dependency);
    for (const further of transitiveDependencies(dependency, cache)) result.add(further);
  }
  return result;
}

function directDependencies(wrapper: InstanceWrapper): InstanceWrapper[] {
  const constructorDependencies = wrapper.getCtorMetadata?.() ?? [];
  const propertyDependencies = (wrapper.getPropertiesMetadata?.() ?? []).map((property) => property.wrapper);
  return [...constructorDependencies, ...propertyDependencies].filter((dependency): dependency is InstanceWrapper => Boolean(dependency));
}
