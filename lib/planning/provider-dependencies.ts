import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';

const NONE: ReadonlySet<InstanceWrapper> = new Set();

interface Collected {
  found: ReadonlySet<InstanceWrapper>;
  /** Depth on the current path of the oldest provider a dependency led back to; Infinity if none. */
  backTo: number;
}

/**
 * The providers among `targets` that providers depend on through Nest's injection (constructor
 * and properties), transitively. Only these matter to the planner, so only these are collected,
 * and sets are shared where they can be: a provider whose dependencies lead to targets through one
 * of them only gets that one's set (thousands of providers injecting one pool share one set).
 * Inside a cycle (forwardRef), a provider's set is only complete once the cycle's first provider
 * is done: sets collected before are not kept, and collected again when asked for.
 */
export class TargetDependencies {
  private readonly complete = new Map<InstanceWrapper, ReadonlySet<InstanceWrapper>>();
  private readonly withItself = new Map<InstanceWrapper, ReadonlySet<InstanceWrapper>>();
  /** Providers whose dependencies are being collected, with their depth on the current path. */
  private readonly visiting = new Map<InstanceWrapper, number>();

  constructor(private readonly targets: ReadonlySet<InstanceWrapper>) {}

  /** The targets `wrapper` depends on; itself only through a cycle. */
  of(wrapper: InstanceWrapper): ReadonlySet<InstanceWrapper> {
    return this.collect(wrapper).found;
  }

  private collect(wrapper: InstanceWrapper): Collected {
    const known = this.complete.get(wrapper);
    if (known) return { found: known, backTo: Infinity };
    const onPath = this.visiting.get(wrapper);
    if (onPath !== undefined) return { found: NONE, backTo: onPath }; // A cycle: collected further up.
    const depth = this.visiting.size;
    this.visiting.set(wrapper, depth);
    let backTo = Infinity;
    let single: ReadonlySet<InstanceWrapper> = NONE;
    let union: Set<InstanceWrapper> | undefined;
    const add = (dependency: InstanceWrapper | undefined): void => {
      if (!dependency) return;
      const below = this.collect(dependency);
      backTo = Math.min(backTo, below.backTo);
      const reached = this.targets.has(dependency) ? this.withTarget(dependency, below) : below.found;
      if (reached.size === 0 || reached === single) return;
      if (single.size === 0) single = reached;
      else for (const provider of reached) (union ??= new Set(single)).add(provider);
    };
    for (const dependency of wrapper.getCtorMetadata?.() ?? []) add(dependency);
    for (const property of wrapper.getPropertiesMetadata?.() ?? []) add(property.wrapper);
    this.visiting.delete(wrapper);
    const found = union ?? single;
    // Nothing leads back above this provider: its set is whole.
    if (backTo >= depth) {
      this.complete.set(wrapper, found);
      return { found, backTo: Infinity };
    }
    return { found, backTo };
  }

  /** A target and what it depends on: shared once that is complete. */
  private withTarget(target: InstanceWrapper, below: Collected): ReadonlySet<InstanceWrapper> {
    if (below.backTo !== Infinity) return new Set([target, ...below.found]);
    let reached = this.withItself.get(target);
    if (!reached) this.withItself.set(target, (reached = new Set([target, ...below.found])));
    return reached;
  }
}
