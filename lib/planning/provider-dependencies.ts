import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';

const NONE: ReadonlySet<InstanceWrapper> = new Set();

/**
 * The providers among `targets` that providers depend on through Nest's injection (constructor
 * and properties), transitively. Only these matter to the planner, so only these are collected,
 * and sets are shared where they can be: a provider whose dependencies lead to targets through one
 * of them only gets that one's set (thousands of providers injecting one pool share one set).
 */
export class TargetDependencies {
  private readonly below = new Map<InstanceWrapper, ReadonlySet<InstanceWrapper>>();
  private readonly reachedThrough = new Map<InstanceWrapper, ReadonlySet<InstanceWrapper>>();
  /** Providers whose dependencies are being collected: met again, they close a cycle. */
  private readonly visiting = new Set<InstanceWrapper>();

  constructor(private readonly targets: ReadonlySet<InstanceWrapper>) {}

  /** The targets `wrapper` depends on, itself excluded (unless through a cycle). */
  of(wrapper: InstanceWrapper): ReadonlySet<InstanceWrapper> {
    const known = this.below.get(wrapper);
    if (known) return known;
    // A cycle ends here instead of looping; what lies below is being collected further up.
    if (this.visiting.has(wrapper)) return NONE;
    this.visiting.add(wrapper);
    let single: ReadonlySet<InstanceWrapper> = NONE;
    let union: Set<InstanceWrapper> | undefined;
    const add = (dependency: InstanceWrapper | undefined): void => {
      if (!dependency) return;
      const reached = this.through(dependency);
      if (reached.size === 0 || reached === single) return;
      if (single.size === 0) single = reached;
      else for (const provider of reached) (union ??= new Set(single)).add(provider);
    };
    for (const dependency of wrapper.getCtorMetadata?.() ?? []) add(dependency);
    for (const property of wrapper.getPropertiesMetadata?.() ?? []) add(property.wrapper);
    const found = union ?? single;
    this.visiting.delete(wrapper);
    this.below.set(wrapper, found);
    return found;
  }

  /** The targets reached by depending on `wrapper`: itself if it is one, and those below it. */
  private through(wrapper: InstanceWrapper): ReadonlySet<InstanceWrapper> {
    const known = this.reachedThrough.get(wrapper);
    if (known) return known;
    const below = this.of(wrapper);
    const reached = this.targets.has(wrapper) ? new Set([wrapper, ...below]) : below;
    // Inside its own cycle, what lies below it is not all known yet: not kept.
    if (!this.visiting.has(wrapper)) this.reachedThrough.set(wrapper, reached);
    return reached;
  }
}
