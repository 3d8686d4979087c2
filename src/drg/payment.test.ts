import { describe, expect, it } from 'vitest';
import { computeRate, priceCase, settleHospital, type DrgPaymentParams } from './payment.js';
import { listPaymentParams, loadPaymentParams } from './loader.js';

/** Test parameters: the demo file's rules with a budget-driven rate (hand computations below). */
const params: DrgPaymentParams = {
  ...loadPaymentParams({ id: 'demo-2025' }),
  rate: { method: 'budget', budgetFen: 2_040_000_000, reimbursementRatio: 0.75, volumeGrowth: 0.05 },
};
const A = { weight: 0.5333, avgCostFen: 800_000, avgLosDays: 6 };
const B = { weight: 1.3333, avgCostFen: 2_000_000, avgLosDays: 8 };
const C = { weight: 4, avgCostFen: 6_000_000, avgLosDays: 12 };
const R = 1_619_098;

describe('computeRate', () => {
  it('budget method: F = B / r, W = Σ n(1+g)RW, R = F / W to the fen', () => {
    // F = 2,040,000,000 / 0.75 = 2,720,000,000 fen; W = 1.05 × (533.3 + 666.65 + 400) = 1679.9475
    // R = 2,720,000,000 / 1679.9475 = 1,619,098.216 → 1,619,098 fen per RW
    expect(computeRate(params.rate, [{ weight: 0.5333, cases: 1000 }, { weight: 1.3333, cases: 500 }, { weight: 4, cases: 100 }])).toEqual({
      forecastTotalFen: 2_720_000_000,
      totalWeight: 1679.9475,
      ratePerWeightFen: R,
    });
  });
  it('trend method: F = last total × (1 + g)', () => {
    // F = 1,000,000,000 × 1.03 = 1,030,000,000; W = 1000 × 1 = 1000 → R = 1,030,000
    expect(computeRate({ method: 'trend', costGrowth: 0.03, volumeGrowth: 0 }, [{ weight: 1, cases: 1000 }], 1_000_000_000).ratePerWeightFen).toBe(1_030_000);
    expect(() => computeRate({ method: 'trend', costGrowth: 0.03, volumeGrowth: 0 }, [{ weight: 1, cases: 1 }])).toThrow(/history total/);
  });
});

describe('priceCase', () => {
  const ok = (drg: string, costFen: number, losDays = 7) => ({ status: 'SUCCESS', drg, costFen, losDays });

  it('normal case: RW × R, fund pays the rest after the patient part', () => {
    // std = 1.3333 × 1,619,098 = 1,619,098 + 539,645.36 = 2,158,743.36 → 2,158,743; ρ = 1,800,000 / 2,000,000 = 0.9
    const p = priceCase({ ...ok('B', 1_800_000), patientPaidFen: 450_000 }, B, R, params);
    expect(p).toMatchObject({ caseType: 'normal', standardPaymentFen: 2_158_743, paymentFen: 2_158_743, fundPaymentFen: 1_708_743, marginFen: 358_743, costRatio: 0.9 });
  });

  it('high multiple, RW ≤ 1 tier (k = 3): P + P × (ρ − k)', () => {
    // std = 0.5333 × 1,619,098 = 863,464.96 → 863,465; ρ = 3,000,000 / 800,000 = 3.75
    // extra = 863,465 × 0.75 = 647,598.75 → 647,599; pay = 1,511,064
    const p = priceCase(ok('A', 3_000_000), A, R, params);
    expect(p).toMatchObject({ caseType: 'high-multiple', highThreshold: 3, standardPaymentFen: 863_465, paymentFen: 1_511_064, marginFen: -1_488_936 });
  });

  it('high multiple, RW > 2 tier (k = 1.5)', () => {
    // std = 4 × 1,619,098 = 6,476,392; ρ = 10/6; extra = 6,476,392 × (10/6 − 1.5) = 1,079,398.67 → 1,079,399
    const p = priceCase(ok('C', 10_000_000), C, R, params);
    expect(p).toMatchObject({ caseType: 'high-multiple', highThreshold: 1.5, paymentFen: 7_555_791 });
  });

  it('the boundary ρ = k is normal unless the region makes it inclusive', () => {
    // RW 1.3333 → k = 2; ρ = 4,000,000 / 2,000,000 = 2
    expect(priceCase(ok('B', 4_000_000), B, R, params).caseType).toBe('normal');
    const incl = { ...params, highMultiple: { ...params.highMultiple, inclusive: true } };
    expect(priceCase(ok('B', 4_000_000), B, R, incl)).toMatchObject({ caseType: 'high-multiple', paymentFen: 2_158_743 });
  });

  it('low multiple: P × ρ, half-up to the fen', () => {
    // ρ = 240,000 / 800,000 = 0.3 < 0.4; pay = 863,465 × 0.3 = 259,039.5 → 259,040
    const p = priceCase(ok('A', 240_000), A, R, params);
    expect(p).toMatchObject({ caseType: 'low-multiple', paymentFen: 259_040, marginFen: 19_040 });
    const byCost = { ...params, lowMultiple: { ...params.lowMultiple, pay: 'cost' as const } };
    expect(priceCase(ok('A', 240_000), A, R, byCost).paymentFen).toBe(240_000);
  });

  it('特例单议: very long stay or cost ≥ 5 × average is paid by items and flagged', () => {
    expect(priceCase(ok('B', 1_800_000, 60), B, R, params)).toMatchObject({ caseType: 'special-review', specialReview: true, paymentFen: 1_800_000, marginFen: 0 });
    expect(priceCase(ok('A', 4_000_000), A, R, params)).toMatchObject({ caseType: 'special-review', costRatio: 5 });
  });

  it('ambiguous and unassigned cases: items × discount', () => {
    expect(priceCase({ status: 'QY', drg: 'BQY', costFen: 1_000_000, losDays: 5 }, undefined, R, params)).toMatchObject({ caseType: 'ambiguous', paymentFen: 900_000, marginFen: -100_000 });
    // 1,000,001 × 0.9 = 900,000.9 → 900,001
    expect(priceCase({ status: 'FAIL', drg: '0000', costFen: 1_000_001, losDays: 5 }, undefined, R, params)).toMatchObject({ caseType: 'unassigned', paymentFen: 900_001 });
    expect(priceCase(ok('ZZ99', 100), undefined, R, params).caseType).toBe('unassigned');
  });
});

describe('settleHospital (结余留用 / 超支分担)', () => {
  const s = params.settlement; // cap 15 %, share ≤ 10 % at 50 %
  it('shares a small overspend', () => {
    // A = 10,000,000.00 元, C = 10,600,000.00 元: overspend 6 % ≤ 10 % → fund adds 50 % = 300,000.00 元
    expect(settleHospital(1_000_000_000, 1_060_000_000, s)).toMatchObject({
      balanceFen: -60_000_000, fundShareOfOverspendFen: 30_000_000, hospitalBearsFen: 30_000_000, finalPaymentFen: 1_030_000_000,
    });
  });
  it('leaves a large overspend with the hospital', () => {
    expect(settleHospital(1_000_000_000, 1_120_000_000, s)).toMatchObject({ fundShareOfOverspendFen: 0, hospitalBearsFen: 120_000_000 });
  });
  it('keeps a surplus below the cap and caps a larger one', () => {
    expect(settleHospital(1_000_000_000, 920_000_000, s)).toMatchObject({ retainedSurplusFen: 80_000_000, finalPaymentFen: 1_000_000_000, balanceRate: 0.08 });
    // C / (1 − 0.15) = 941,176,470.59 → down to 941,176,470; retained 141,176,470
    expect(settleHospital(1_000_000_000, 800_000_000, s)).toMatchObject({ finalPaymentFen: 941_176_470, retainedSurplusFen: 141_176_470 });
  });
});

describe('payment parameters', () => {
  it('ship versioned, validated files with source and effective dates', () => {
    const all = listPaymentParams();
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const p of all) expect(p.source.length).toBeGreaterThan(20);
    expect(loadPaymentParams({ scheme: 'chs-drg-2.0', date: '2025-03-01' }).id).toBe('demo-2025');
    expect(loadPaymentParams({ scheme: 'chs-drg-1.1', date: '2024-03-01' }).id).toBe('demo-2024');
    expect(() => loadPaymentParams({ id: 'nope' })).toThrow(/no DRG payment parameters/);
  });
});
