import { describe, expect, it } from 'vitest';
import { classifyMortalityRisk, computeIndicators, type IndicatorCase } from './indicators.js';

const refs = new Map([
  ['A', { weight: 0.5333, avgCostFen: 800_000, avgLosDays: 6 }],
  ['B', { weight: 1.3333, avgCostFen: 2_000_000, avgLosDays: 8 }],
  ['C', { weight: 4, avgCostFen: 6_000_000, avgLosDays: 12 }],
]);
const many = (n: number, c: Omit<IndicatorCase, 'groupKey' | 'status'>, groupKey = 'H1'): IndicatorCase[] =>
  Array.from({ length: n }, () => ({ groupKey, status: 'SUCCESS', ...c }));

describe('computeIndicators (notes § 1.6 worked example)', () => {
  const cases = [
    ...many(200, { drg: 'A', costFen: 750_000, losDays: 5, died: false }),
    ...many(100, { drg: 'B', costFen: 2_200_000, losDays: 9, died: false }),
    ...many(30, { drg: 'C', costFen: 6_600_000, losDays: 15, died: false }),
    { groupKey: 'H1', status: 'QY', drg: 'BQY', costFen: 1, losDays: 1, died: true },
    ...many(4, { drg: 'A', costFen: 800_000, losDays: 6, died: false }, 'H2'),
  ];
  it('DRG组数, 总权重, CMI, 费用/时间消耗指数', () => {
    const [h1, h2] = computeIndicators(cases, refs, new Set(['A']));
    // 总权重 = 200×0.5333 + 100×1.3333 + 30×4 = 359.99; CMI = 359.99 / 330 = 1.0909
    // 费用 = (0.9375×200 + 1.1×100 + 1.1×30) / 330 = 1.0015; 时间 = (5/6×200 + 9/8×100 + 15/12×30) / 330 = 0.9596
    expect(h1).toMatchObject({ groupKey: 'H1', cases: 331, groupedCases: 330, drgCount: 3, totalWeight: 359.99, cmi: 1.0909, costIndex: 1.0015, timeIndex: 0.9596, lowRiskCases: 200, lowRiskDeaths: 0, lowRiskMortality: 0 });
    expect(h2).toMatchObject({ groupKey: 'H2', drgCount: 1, cmi: 0.5333, costIndex: 1, timeIndex: 1 });
  });
  it('低风险组死亡率: 2 deaths in 800 low-risk cases = 0.25 %', () => {
    const c = [...many(798, { drg: 'A', costFen: 1, losDays: 1, died: false }), ...many(2, { drg: 'A', costFen: 1, losDays: 1, died: true })];
    expect(computeIndicators(c, refs, new Set(['A']))[0]!.lowRiskMortality).toBe(0.0025);
  });
});

describe('classifyMortalityRisk', () => {
  it('z-score of ln mortality, population SD (notes § 1.6)', () => {
    const m = new Map([['1', 0.0005], ['2', 0.002], ['3', 0.01], ['4', 0.03], ['5', 0.08], ['6', 0.2], ['7', 0]]);
    const r = classifyMortalityRisk(m);
    expect([...r.values()].map((x) => x.risk)).toEqual(['low', 'medium-low', 'medium-low', 'medium-high', 'medium-high', 'high', 'low']);
    expect(r.get('1')!.z).toBeCloseTo(-1.575, 3);
    expect(r.get('6')!.z).toBeCloseTo(1.322, 3);
  });
});
