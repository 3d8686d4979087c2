import { describe, expect, it } from 'vitest';
import { computeWeights, quantile, trimCosts } from './weights.js';

// notes § 1.2 worked example (元 → fen × 100)
const COSTS = [3000, 6500, 7000, 7200, 7800, 8000, 8300, 8800, 9500, 42000].map((y) => y * 100);

describe('trimming', () => {
  it('linear quartiles as numpy', () => {
    const s = [...COSTS].sort((a, b) => a - b);
    expect(quantile(s, 0.25)).toBe(705_000);
    expect(quantile(s, 0.75)).toBe(867_500);
  });
  it.each([
    [{ method: 'iqr', k: 1.5 } as const, 8, 788_750], // 7,887.50 元
    [{ method: 'iqr', k: 3 } as const, 9, 734_444], // 7,344.44 元
    [{ method: 'log-sd', a: 2 } as const, 9, 734_444],
    [{ method: 'log-sd', a: 3 } as const, 10, 1_081_000], // nothing trimmed: 10,810 元
  ])('%j keeps %i cases, mean %i fen', (trim, kept, mean) => {
    expect(trimCosts(COSTS, trim)).toHaveLength(kept);
    const t = computeWeights(COSTS.map((costFen) => ({ drg: 'X', costFen, losDays: 5 })), { trim });
    expect(t.drgs[0]).toMatchObject({ casesKept: kept, cases: 10, avgCostFen: mean, weight: 1 });
  });
});

describe('computeWeights', () => {
  const hist = [
    ...Array.from({ length: 1000 }, () => ({ drg: 'A', costFen: 800_000, losDays: 6 })),
    ...Array.from({ length: 500 }, () => ({ drg: 'B', costFen: 2_000_000, losDays: 8 })),
    ...Array.from({ length: 100 }, () => ({ drg: 'C', costFen: 6_000_000, losDays: 12 })),
  ];
  it('RW = DRG mean / overall mean (ē = 24,000,000 / 1,600 = 15,000 元)', () => {
    const t = computeWeights(hist, { trim: { method: 'iqr', k: 3 } });
    expect(t.overallAvgCostFen).toBe(1_500_000);
    expect(t.drgs.map((d) => [d.drg, d.weight, d.avgCostFen, d.avgLosDays])).toEqual([
      ['A', 0.5333, 800_000, 6],
      ['B', 1.3333, 2_000_000, 8],
      ['C', 4, 6_000_000, 12],
    ]);
    // all variance is between groups
    expect(t.riv).toBe(1);
  });
  it('policy adjustment keeps the total weight (a_C = 1.1, k = 1600 / 1640)', () => {
    const t = computeWeights(hist, { policyFactors: { C: 1.1 } });
    expect(t.drgs.map((d) => d.weight)).toEqual([0.5203, 1.3008, 4.2927]);
  });
  it('rejects a negative cost naming the DRG', () => {
    expect(() => computeWeights([{ drg: 'Q', costFen: -1, losDays: 1 }])).toThrow(/DRG Q/);
  });
});
