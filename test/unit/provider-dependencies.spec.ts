import { describe, expect, it } from '@jest/globals';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { TargetDependencies } from '../../lib/planning/provider-dependencies.js';

/** Stand-ins for Nest's InstanceWrapper: constructor and property dependencies only. */
function graph(edges: Record<string, { ctor?: string[]; props?: string[] }>): Record<string, InstanceWrapper> {
  const wrappers: Record<string, InstanceWrapper> = {};
  for (const name of Object.keys(edges)) {
    wrappers[name] = {
      name,
      getCtorMetadata: () => (edges[name].ctor ?? []).map((dependency) => wrappers[dependency]),
      getPropertiesMetadata: () => (edges[name].props ?? []).map((dependency) => ({ key: dependency, wrapper: wrappers[dependency] })),
    } as unknown as InstanceWrapper;
  }
  return wrappers;
}

const names = (set: ReadonlySet<InstanceWrapper>) => [...set].map((wrapper) => wrapper.name as string).sort();

describe('TargetDependencies', () => {
  it('collects the targets reached through constructor and property injection, transitively, skipping the others', () => {
    const w = graph({
      Service: { ctor: ['Repo'], props: ['Cache'] },
      Repo: { ctor: ['Config', 'Pool'] },
      Config: {},
      Pool: {},
      Cache: {},
    });
    const dependencies = new TargetDependencies(new Set([w.Service, w.Pool, w.Cache]));
    expect(names(dependencies.of(w.Service))).toEqual(['Cache', 'Pool']);
    expect(names(dependencies.of(w.Repo))).toEqual(['Pool']);
    expect(names(dependencies.of(w.Pool))).toEqual([]);
  });

  it('gives providers that reach targets through one dependency that dependency\'s set, not a copy each', () => {
    const w = graph({ A: { ctor: ['Pool'] }, B: { ctor: ['Pool'] }, C: { ctor: ['Config', 'Pool'] }, Pool: {}, Config: {} });
    const dependencies = new TargetDependencies(new Set([w.A, w.B, w.C, w.Pool]));
    expect(names(dependencies.of(w.A))).toEqual(['Pool']);
    expect(dependencies.of(w.B)).toBe(dependencies.of(w.A));
    expect(dependencies.of(w.C)).toBe(dependencies.of(w.A));
  });

  it.each([
    ['A', ['A', 'X', 'Outside']],
    ['X', ['X', 'A', 'Outside']],
    ['Outside', ['Outside', 'A', 'X']],
  ])('gives every provider of a cycle, and one outside it, all it reaches, whichever is asked first (%s)', (_first, askOrder) => {
    // A and X inject each other (forwardRef); A also injects Pool; Outside injects A.
    const w = graph({ A: { ctor: ['X', 'Pool'] }, X: { props: ['A'] }, Pool: {}, Outside: { ctor: ['A'] } });
    const dependencies = new TargetDependencies(new Set([w.A, w.X, w.Pool, w.Outside]));
    const found = Object.fromEntries(askOrder.map((name) => [name, names(dependencies.of(w[name]))]));
    expect(found).toEqual({ A: ['A', 'Pool', 'X'], X: ['A', 'Pool', 'X'], Outside: ['A', 'Pool', 'X'] });
  });
});
