import { describe, expect, it } from 'vitest';
import { selectCases } from '../../src/cases/catalogue.js';
import { estimatedCost, longestFirst } from '../../src/cases/cost.js';

describe('case cost, for scheduling the longest cases first', () => {
  it('ranks 131072-octet compressed round trips cut into 256-octet frames above whole ones, and both above plain cases', () => {
    const [fragmented, whole, plain] = ['12.2.15', '12.2.10', '1.1.1'].map((id) => estimatedCost(selectCases([id])[0]!));
    expect(fragmented!).toBeGreaterThan(whole!);
    expect(whole!).toBeGreaterThan(plain!);
  });

  it('orders every case exactly once, most expensive first, ties in catalogue order', () => {
    const cases = selectCases(['1.*', '9.1.*', '12.1.*']);
    const order = longestFirst(cases);
    expect([...order].sort((a, b) => a - b)).toEqual(cases.map((_, k) => k));
    const costs = order.map((k) => estimatedCost(cases[k]!));
    for (let i = 1; i < costs.length; i++) {
      expect(costs[i]!).toBeLessThanOrEqual(costs[i - 1]!);
      if (costs[i] === costs[i - 1]) expect(order[i]!).toBeGreaterThan(order[i - 1]!);
    }
    expect(cases[order[0]!]!.id.startsWith('12.1.')).toBe(true);
  });
});
