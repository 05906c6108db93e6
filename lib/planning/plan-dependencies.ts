/** A hook as the planner sees it: its provider and every provider that one depends on, transitively. */
export interface PlannableHook {
  readonly name: string;
  readonly order: number;
  readonly provider: object;
  readonly dependsOn: ReadonlySet<object>;
}

export interface DependencyPlan {
  /** For each hook name, the hooks of the same order that must finish before it starts (none when absent). */
  after: Map<string, string[]>;
  /** Startup warnings: explicit orders contradicting the graph, dependency cycles. */
  warnings: string[];
}

/**
 * Within one order value, a hook of a provider that depends on another provider with hooks at that
 * order runs first (the repository closes before the pool it uses); unrelated hooks stay concurrent.
 * Explicit orders always win: a contradiction is only warned about. Providers that depend on each
 * other (forwardRef) are left concurrent, with a warning.
 */
export function planDependencies(hooks: readonly PlannableHook[]): DependencyPlan {
  // Only hooks that something waits for get an entry.
  const after = new Map<string, string[]>();
  const warnings: string[] = [];
  const warned = new Set<string>();
  const warnOnce = (key: string, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    warnings.push(message);
  };
  // Walk each hook's dependencies (few) rather than every pair of hooks: linear in practice.
  const hooksByProvider = new Map<object, PlannableHook[]>();
  for (const hook of hooks) {
    const same = hooksByProvider.get(hook.provider);
    if (same) same.push(hook);
    else hooksByProvider.set(hook.provider, [hook]);
  }
  for (const dependent of hooks) {
    for (const provider of dependent.dependsOn) {
      if (provider === dependent.provider) continue;
      for (const dependency of hooksByProvider.get(provider) ?? []) {
        if (dependency.dependsOn.has(dependent.provider)) {
          const pair = [dependent.name, dependency.name].sort().join(' and ');
          const orders = dependent.order === dependency.order ? `${dependent.order}` : `${dependent.order}/${dependency.order}`;
          warnOnce(`cycle:${pair}`, `${pair} belong to providers that depend on each other (forwardRef): they run concurrently at order ${orders}`);
        } else if (dependent.order === dependency.order) {
          const waits = after.get(dependency.name);
          if (waits) waits.push(dependent.name);
          else after.set(dependency.name, [dependent.name]);
        } else if (dependent.order > dependency.order) {
          warnOnce(
            `order:${dependent.name}>${dependency.name}`,
            `${dependent.name} (order ${dependent.order}) depends on the provider of ${dependency.name} (order ${dependency.order}) ` +
              `but runs after it: ${dependency.name} may close what ${dependent.name} still uses. The explicit orders are kept.`,
          );
        }
      }
    }
  }
  return { after, warnings };
}

/** Sorts hooks so that each comes after those it waits for (hooks in a cycle keep their place). */
export function sortByWaits<T extends { readonly name: string }>(hooks: readonly T[], after: Map<string, string[]>): T[] {
  const byName = new Map(hooks.map((hook) => [hook.name, hook]));
  const sorted: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (hook: T) => {
    if (state.get(hook.name)) return;
    state.set(hook.name, 'visiting');
    for (const name of after.get(hook.name) ?? []) {
      const predecessor = byName.get(name);
      if (predecessor && !state.get(name)) visit(predecessor);
    }
    state.set(hook.name, 'done');
    sorted.push(hook);
  };
  hooks.forEach(visit);
  return sorted;
}
