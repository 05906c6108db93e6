/** Groups items of equal `order`, groups in ascending order, items in their original order. */
export function groupByOrder<T extends { readonly order: number }>(items: readonly T[]): T[][] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const group = groups.get(item.order);
    if (group) group.push(item);
    else groups.set(item.order, [item]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}
