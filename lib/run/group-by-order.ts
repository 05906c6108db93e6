/** Groups items of equal order, groups in ascending order, items in their original order. */
export function groupByOrder<T>(items: readonly T[], orderOf: (item: T) => number): T[][] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const order = orderOf(item);
    const group = groups.get(order);
    if (group) group.push(item);
    else groups.set(order, [item]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}
