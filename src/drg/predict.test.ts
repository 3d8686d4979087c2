import { describe, expect, it } from 'vitest';
import { compareSchemes } from './compare.js';
import { group } from './group.js';
import { loadPaymentParams, loadScheme } from './loader.js';
import { predictStay } from './predict.js';

const scheme = loadScheme('chs-drg-2.0');
const params = loadPaymentParams({ id: 'demo-2025' });
// examples.csv #1 of chs-drg-2.0 groups to AC19
const stayCase = {
  gender: '1', age: '85', ageDays: '31128', weightGrams: '',
  diagnoses: ['T46.100', 'I85.900x001', 'M85.600x043', 'T95.200x004', 'T42.200x001', 'M79.504'],
  procedures: ['52.8300', '55.6901', '39.2204'],
};
const refs = new Map([['AC19', { weight: 2.5, avgCostFen: 5_000_000, avgLosDays: 10 }]]);
const R = 1_619_098;

describe('predictStay', () => {
  it('projects cost to the DRG average stay and warns on a projected overspend', () => {
    // expected LOS = max(4, 10) = 10; projected = 2,000,000 + 500,000 × 6 = 5,000,000 (ρ = 1, normal)
    // std = 2.5 × 1,619,098 = 4,047,745; margin = −952,255; rate = −0.2353 < −0.1 → alert
    const p = predictStay({ case: stayCase, costSoFarFen: 2_000_000, daysSoFar: 4 }, scheme, refs, R, params);
    expect(p.group.drg).toBe('AC19');
    expect(p).toMatchObject({ expectedLosDays: 10, projectedCostFen: 5_000_000, standardPaymentFen: 4_047_745, projectedMarginFen: -952_255, marginRate: -0.2353, warning: 'alert' });
  });
  it('no warning with a projected surplus', () => {
    // projected = 1,200,000 + 300,000 × 6 = 3,000,000; margin = 1,047,745
    const p = predictStay({ case: stayCase, costSoFarFen: 1_200_000, daysSoFar: 4 }, scheme, refs, R, params);
    expect(p).toMatchObject({ projectedCostFen: 3_000_000, projectedMarginFen: 1_047_745, warning: 'none' });
  });
  it('a stay past the average is projected from days so far; a high multiple is critical', () => {
    // LOS 12 > 10: projected = cost so far; ρ = 16,000,000 / 5,000,000 = 3.2 > 1.5 (RW 2.5 tier)
    const p = predictStay({ case: stayCase, costSoFarFen: 16_000_000, daysSoFar: 12 }, scheme, refs, R, params);
    expect(p).toMatchObject({ expectedLosDays: 12, projectedCostFen: 16_000_000, warning: 'critical' });
    expect(p.payment.caseType).toBe('high-multiple');
  });
  it('an ungroupable stay is critical', () => {
    const p = predictStay({ case: { ...stayCase, gender: '' }, costSoFarFen: 100_000, daysSoFar: 2 }, scheme, refs, R, params);
    expect(p.warning).toBe('critical');
    expect(p.payment.caseType).toBe('unassigned');
  });
});

describe('compareSchemes', () => {
  it('counts moves and payment impact per hospital and department', () => {
    const s11 = loadScheme('chs-drg-1.1');
    const cmp = compareSchemes('chs-drg-1.1', 'chs-drg-2.0');
    cmp.add({ institutionId: 'H1', departmentId: 'D1', a: group(stayCase, s11), b: group(stayCase, scheme), paymentAFen: 100, paymentBFen: 150 });
    cmp.add({ institutionId: 'H1', departmentId: 'D2', a: { status: 'SUCCESS', drg: 'X1' }, b: { status: 'QY', drg: 'XQY' }, paymentAFen: 10, paymentBFen: 5 });
    const r = cmp.report();
    expect(r).toMatchObject({ cases: 2, statusChanged: 1, drgsA: 2, drgsB: 2 });
    expect(r.payment).toMatchObject({ totalAFen: 110, totalBFen: 155, byInstitution: [{ key: 'H1', cases: 2, paymentAFen: 110, paymentBFen: 155 }] });
    expect(r.payment!.byDepartment.map((d) => d.key)).toEqual(['H1/D1', 'H1/D2']);
  });
});
