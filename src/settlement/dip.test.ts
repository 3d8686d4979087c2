import { describe, expect, it } from 'vitest';
import { computeDipScores } from './dip.js';

describe('DIP group scores from history (1:2:7, 核心/综合)', () => {
  it('worked example of shared/notes/drg-payment-costing.md §2.3: yearly means 9,000 / 9,500 / 10,000 → m = 9,800; M = 7,000 → 1,400', () => {
    const cases = [];
    // 病种 X (K35.8 × 47.01): 15 cases a year at the yearly mean
    for (const [year, cost] of [[2021, 900_000], [2022, 950_000], [2023, 1_000_000]] as const) {
      for (let i = 0; i < 15; i++) cases.push({ diagnoses: ['K35.800'], procedures: ['47.0100'], year, costFen: cost });
    }
    // other cases chosen so that the weighted overall mean M is 7,000: a group whose weighted mean is 4,200
    for (const year of [2021, 2022, 2023]) for (let i = 0; i < 15; i++) cases.push({ diagnoses: ['J18.900'], procedures: [], year, costFen: 420_000 });
    const t = computeDipScores(cases, 2024);
    expect(t.overallMeanCostFen).toBe(700_000);
    const x = t.groupOf(['K35.801'], ['47.0100'])!;
    expect(x.kind).toBe('core');
    expect(x.meanCostFen).toBe(980_000);
    expect(x.score).toBeCloseTo(1400, 9);
  });
  it('groups below the critical volume fall into 综合病种 by 类目 and treatment', () => {
    const cases = [
      ...Array.from({ length: 15 }, () => ({ diagnoses: ['I10.x00'], procedures: [], year: 2023, costFen: 500_000 })),
      { diagnoses: ['I11.000'], procedures: [], year: 2023, costFen: 800_000 },
      { diagnoses: ['I11.900'], procedures: [], year: 2023, costFen: 600_000 },
    ];
    const t = computeDipScores(cases, 2024);
    const g = t.groupOf(['I11.000'], [])!;
    expect(g.kind).toBe('comprehensive');
    expect(g.key).toBe('I11|保守治疗');
    expect(g.cases).toBe(2);
    expect(t.groupOf(['C34.100'], ['32.2900'])).toBeUndefined();
  });
});
