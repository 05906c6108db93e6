import { describe, expect, it } from '@jest/globals';
import { planDependencies, sortByWaits, type DependencyPlan, type PlannableHook } from '../../lib/planning/plan-dependencies.js';

/** Providers as plain objects; `deps` lists, for each, what it depends on transitively. */
function hooks(specs: Array<[name: string, order: number, provider: string]>, deps: Record<string, string[]>): PlannableHook[] {
  const providers = new Map<string, object>();
  const provider = (key: string) => providers.get(key) ?? providers.set(key, { key }).get(key)!;
  return specs.map(([name, order, key]) => ({
    name,
    order,
    provider: provider(key),
    dependsOn: new Set((deps[key] ?? []).map(provider)),
  }));
}

/** The hooks `name` waits for: the plan lists only hooks that wait for something. */
function waitsOf(plan: DependencyPlan, name: string): string[] {
  return plan.after.get(name) ?? [];
}

describe('planDependencies', () => {
  it('within an order, the dependent runs before what it depends on; unrelated hooks wait for nothing', () => {
    const plan = planDependencies(
      hooks(
        [
          ['Pool.end', 100, 'Pool'],
          ['Repo.close', 100, 'Repo'],
          ['Cache.clear', 100, 'Cache'],
        ],
        { Repo: ['Pool'] },
      ),
    );
    expect(waitsOf(plan, 'Pool.end')).toEqual(['Repo.close']);
    expect(waitsOf(plan, 'Repo.close')).toEqual([]);
    expect(waitsOf(plan, 'Cache.clear')).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  it('follows transitive dependencies', () => {
    const plan = planDependencies(hooks([['Service.stop', 0, 'Service'], ['Pool.end', 0, 'Pool']], { Service: ['Repo', 'Pool'] }));
    expect(waitsOf(plan, 'Pool.end')).toEqual(['Service.stop']);
  });

  it('keeps an explicit order that contradicts the graph, with one warning naming both', () => {
    const plan = planDependencies(hooks([['Repo.close', 200, 'Repo'], ['Pool.end', 100, 'Pool']], { Repo: ['Pool'] }));
    expect(waitsOf(plan, 'Pool.end')).toEqual([]);
    expect(plan.warnings).toEqual([
      'Repo.close (order 200) depends on the provider of Pool.end (order 100) but runs after it: Pool.end may close what Repo.close still uses. The explicit orders are kept.',
    ]);
  });

  it('an explicit order agreeing with the graph is silent', () => {
    const plan = planDependencies(hooks([['Repo.close', 10, 'Repo'], ['Pool.end', 100, 'Pool']], { Repo: ['Pool'] }));
    expect(plan.warnings).toEqual([]);
  });

  it('providers depending on each other (forwardRef) run concurrently, with a warning', () => {
    const plan = planDependencies(hooks([['A.stop', 0, 'A'], ['B.stop', 0, 'B']], { A: ['B'], B: ['A'] }));
    expect(waitsOf(plan, 'A.stop')).toEqual([]);
    expect(waitsOf(plan, 'B.stop')).toEqual([]);
    expect(plan.warnings).toEqual(['A.stop and B.stop belong to providers that depend on each other (forwardRef): they run concurrently at order 0']);
  });

  it('two hooks of one provider wait for nothing between them', () => {
    const plan = planDependencies(hooks([['Db.a', 0, 'Db'], ['Db.b', 0, 'Db']], {}));
    expect(waitsOf(plan, 'Db.a')).toEqual([]);
    expect(waitsOf(plan, 'Db.b')).toEqual([]);
    expect(plan.after.size).toBe(0);
  });
});

describe('sortByWaits', () => {
  it('puts each hook after those it waits for, keeping the rest in place', () => {
    const list = [{ name: 'pool' }, { name: 'cache' }, { name: 'repo' }];
    const after = new Map([['pool', ['repo']]]);
    expect(sortByWaits(list, after).map((hook) => hook.name)).toEqual(['repo', 'pool', 'cache']);
  });
});
