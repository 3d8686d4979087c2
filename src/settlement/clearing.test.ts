import { describe, expect, it } from 'vitest';
import {
  clearDip, clearGlobalBudget, clearPerVisitQuota, clearSingleDisease, dipBudgetPointValue, dipCasePoints, dipSettlementPointValue, shareSurplus,
} from './clearing.js';

const YUAN = 100;

describe('结余留用 / 超支分担 (shared/notes/drg-payment-costing.md §1.5 worked example)', () => {
  const rule = { surplusKeepBp: 10000, surplusKeepCapBp: null, overspendToleranceBp: 1000, overspendFundShareBp: 5000 };
  it('hospital X: overspend 600,000 (6% ≤ 10%) → the fund adds 300,000', () => {
    const r = shareSurplus(10_000_000 * YUAN, 10_600_000 * YUAN, rule);
    expect(r.fundSharedOverspendFen).toBe(300_000 * YUAN);
    expect(r.hospitalBorneOverspendFen).toBe(300_000 * YUAN);
    expect(r.dueFen).toBe(10_300_000 * YUAN);
  });
  it('hospital Y: keeps the whole 800,000 surplus', () => {
    const r = shareSurplus(10_000_000 * YUAN, 9_200_000 * YUAN, rule);
    expect(r.retainedSurplusFen).toBe(800_000 * YUAN);
    expect(r.dueFen).toBe(10_000_000 * YUAN);
  });
});

/**
 * Hand-computed global budget (总额预算) example: budget 12,000,000 元 → 1,000,000 元 a month; monthly
 * pre-payment 90% of min(claims, monthly budget); reasonable overspend ≤ 10% shared 50/50; surplus kept
 * 50%, at most 3% of the budget.
 */
describe('global budget clearing (hand-computed)', () => {
  const sharing = { surplusKeepBp: 5000, surplusKeepCapBp: 300, overspendToleranceBp: 1000, overspendFundShareBp: 5000 };
  it('overspend year: 9 months × 950,000 + 3 × 1,200,000 = 12,150,000', () => {
    const claims = [...new Array(9).fill(950_000 * YUAN), ...new Array(3).fill(1_200_000 * YUAN)];
    const r = clearGlobalBudget({ annualBudgetFen: 12_000_000 * YUAN, monthlyClaimsFen: claims, monthlyPrepayBp: 9000, sharing });
    // prepaid: 9 × 855,000 + 3 × 900,000 = 10,395,000
    expect(r.annual.prepaidFen).toBe(10_395_000 * YUAN);
    expect(r.months[9]!.withheldFen).toBe(300_000 * YUAN);
    // overspend 150,000 (1.25%) → fund 75,000; due 12,075,000; year-end 1,680,000
    expect(r.annual.overspendFen).toBe(150_000 * YUAN);
    expect(r.annual.dueFen).toBe(12_075_000 * YUAN);
    expect(r.annual.yearEndPaymentFen).toBe(1_680_000 * YUAN);
  });
  it('surplus year: 12 × 950,000 = 11,400,000; keeps 50% of 600,000 (< 3% cap 360,000)', () => {
    const r = clearGlobalBudget({ annualBudgetFen: 12_000_000 * YUAN, monthlyClaimsFen: new Array(12).fill(950_000 * YUAN), monthlyPrepayBp: 9000, sharing });
    expect(r.annual.retainedSurplusFen).toBe(300_000 * YUAN);
    expect(r.annual.dueFen).toBe(11_700_000 * YUAN);
    expect(r.annual.yearEndPaymentFen).toBe((11_700_000 - 10_260_000) * YUAN);
  });
  it('an odd budget splits into 12 months that sum to the fen', () => {
    const r = clearGlobalBudget({ annualBudgetFen: 1_000_000_007, monthlyClaimsFen: new Array(12).fill(0), monthlyPrepayBp: 9000, sharing });
    expect(r.months.reduce((s, m) => s + m.monthlyBudgetFen, 0)).toBe(1_000_000_007);
  });
});

/** shared/notes/settlement.md §5 illustration of the Taiyuan-type per-admission quota (S62): quota 8,000 × 1,000. */
describe('per-visit quota (人次定额)', () => {
  const q = { quotaPerVisitFen: 8000 * YUAN, visits: 1000, overrunToleranceBp: 2000, overrunFundShareBp: 5000, savingRewardBp: 3000, rewardCapBp: 300 };
  it('(a) +15%: 8,000,000 + 50% × 1,200,000 = 8,600,000', () => {
    expect(clearPerVisitQuota({ ...q, actualFen: 9_200_000 * YUAN }).payableFen).toBe(8_600_000 * YUAN);
  });
  it('(b) +25%: 20% shared, the rest unpaid → 8,800,000', () => {
    const r = clearPerVisitQuota({ ...q, actualFen: 10_000_000 * YUAN });
    expect(r.payableFen).toBe(8_800_000 * YUAN);
    expect(r.unpaidOverrunFen).toBe(1_200_000 * YUAN);
  });
  it('(c) under-run: 30% of 1,000,000 capped at 3% × 8,000,000 → 7,240,000', () => {
    expect(clearPerVisitQuota({ ...q, actualFen: 7_000_000 * YUAN }).payableFen).toBe(7_240_000 * YUAN);
  });
});

/** shared/notes/drg-payment-costing.md §2.4–2.6 worked examples (point values, 超低/超高 cases). */
describe('DIP point value and case payment', () => {
  it('预算点值 8.000 元/分 and 结算点值 7.849 元/分', () => {
    const b = dipBudgetPointValue([2e11, 2e11, 2e11], [2.5e8, 2.5e8, 2.5e8]);
    expect(b).toBeCloseTo(800, 9);
    const s = dipSettlementPointValue(1.56e11, 7500, 2.65e8);
    expect(Math.round(s * 10) / 1000).toBe(7.849);
  });
  it('1:2:7 weights the newest year most', () => {
    expect(dipBudgetPointValue([100, 100, 200], [1, 1, 1])).toBeCloseTo(170, 9);
  });
  const pv = dipSettlementPointValue(1.56e11, 7500, 2.65e8);
  const base = { id: 'c', groupScore: 1400, sameLevelMeanCostFen: 11000 * YUAN, patientFen: 0, month: 1 };
  it('standard 11,538.11; 超低 3,995.88; 超高 18,980.45', () => {
    const n = dipCasePoints({ ...base, costFen: 10000 * YUAN }, 1.05, pv);
    expect(Math.round(n.standardFen)).toBe(1153811);
    const low = dipCasePoints({ ...base, costFen: 4000 * YUAN }, 1.05, pv);
    expect(low.kind).toBe('low');
    expect(Math.round(low.points * pv)).toBe(399588);
    const high = dipCasePoints({ ...base, costFen: 30000 * YUAN }, 1.05, pv);
    expect(high.kind).toBe('high');
    expect(Math.round(high.points * pv)).toBe(1898045);
  });
  /**
   * Hand-computed hospital clearing: the three cases above (patients pay 2,000 / 800 / 6,000), January
   * (normal + low) and February (high); estimated point value 8.00 元, monthly pre-settlement 90%.
   * January estimate: (11,760 − 2,000) + (4,072.73 − 800) = 13,032.73 → 90% = 11,729.46;
   * February: 19,345.45 − 6,000 = 13,345.45 → 90% = 12,010.91 (half-up). Year end at 7.849…:
   * (11,538.11 − 2,000) + (3,995.88 − 800) + (18,980.45 − 6,000) = 25,714.44; payment 25,714.44 − 23,740.37 = 1,974.07.
   */
  it('monthly pre-settlement at the estimated point value vs year-end at the settlement value', () => {
    const r = clearDip({
      cases: [
        { ...base, id: 'n', costFen: 10000 * YUAN, patientFen: 2000 * YUAN, month: 1 },
        { ...base, id: 'l', costFen: 4000 * YUAN, patientFen: 800 * YUAN, month: 1 },
        { ...base, id: 'h', costFen: 30000 * YUAN, patientFen: 6000 * YUAN, month: 2 },
      ],
      institutionCoeff: 1.05,
      estimatedPointValueFen: 800,
      settlementPointValueFen: pv,
      monthlyPrepayBp: 9000,
    });
    expect(r.months.map((m) => m.prepaidFen)).toEqual([1172946, 1201091]);
    expect(r.fundDueFen).toBe(2571444);
    expect(r.yearEndPaymentFen).toBe(197407);
    expect(r.cases.map((c) => c.kind)).toEqual(['normal', 'low', 'high']);
  });
  it('flags extreme cases (> 5× standard) for review', () => {
    const r = clearDip({ cases: [{ ...base, costFen: 80000 * YUAN }], institutionCoeff: 1.05, estimatedPointValueFen: 800, settlementPointValueFen: pv, monthlyPrepayBp: 9000 });
    expect(r.reviewCaseIds).toEqual(['c']);
  });
});

describe('single disease (单病种)', () => {
  it('fixed: the fund pays standard − patient share whatever the cost (S59)', () => {
    const r = clearSingleDisease({ code: 'K35', name: '阑尾炎', mode: 'fixed', standardFen: 6000 * YUAN, patientShareBp: 2000 }, 7000 * YUAN, 0);
    expect(r.fundFen).toBe(4800 * YUAN);
    expect(r.patientFen).toBe(1200 * YUAN);
    expect(r.hospitalGainFen).toBe(-1000 * YUAN);
  });
  it('limit: itemised below the limit, excess borne by the hospital (超额不补, S60)', () => {
    const rule = { code: 'K35', name: '阑尾炎', mode: 'limit' as const, standardFen: 6000 * YUAN, patientShareBp: 0 };
    const below = clearSingleDisease(rule, 5000 * YUAN, 1000 * YUAN);
    expect(below.hospitalReceivesFen).toBe(5000 * YUAN);
    expect(below.fundFen).toBe(4000 * YUAN);
    const above = clearSingleDisease(rule, 7000 * YUAN, 1400 * YUAN);
    expect(above.hospitalReceivesFen).toBe(6000 * YUAN);
    expect(above.hospitalGainFen).toBe(-1000 * YUAN);
  });
});
