import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../domain/index.js';
import { compileCostHints, decomposeLosses, deniedByEncounter, drgCostBenefit, type BenefitCase } from './benefit.js';

const base: BenefitCase = {
  institutionId: 'H1', departmentId: 'S', doctorId: 'd1', drg: 'HC23', drgName: '胆囊切除', losDays: 6,
  drugChargeFen: 100_000, materialChargeFen: 200_000, examChargeFen: 50_000, serviceChargeFen: 300_000,
  costFen: 1_000_000, drugCostFen: 100_000, materialCostFen: 200_000, serviceCostFen: 700_000,
  paymentFen: 1_100_000, deniedFen: 0,
};

describe('DRG cost-benefit', () => {
  it('sums cost, payment and denials; denied payments lower the margin of the department', () => {
    const cases = [base, { ...base, doctorId: 'd2', deniedFen: 150_000 }, { ...base, drg: 'GB11', drgName: 'x', paymentFen: 900_000 }];
    const byDrg = drgCostBenefit(cases, 'drg');
    expect(byDrg.map((r) => [r.key, r.cases, r.marginFen])).toEqual([['GB11', 1, -100_000], ['HC23', 2, 50_000]]);
    const byDoc = drgCostBenefit(cases, 'doctor').find((r) => r.key === 'd2')!;
    expect(byDoc.marginFen).toBe(-50_000);
    expect(deniedByEncounter([{ encounterId: 'e', amountFen: 5, reason: 'r' }, { encounterId: 'e', amountFen: 7, reason: 's' }]).get('e')).toBe(12);
    expect(() => deniedByEncounter([{ encounterId: 'e', amountFen: -1, reason: '' }])).toThrow(/amountFen/);
  });

  it('decomposes a loss against the peer benchmark: longer stays cost more than peers', () => {
    // H1 keeps patients 10 days (peers 6) at 700,000 / 10 = 70,000 fen service cost per day;
    // consumables 260,000 vs 200,000 at CCR 1.0; drugs and exams equal.
    const own = { ...base, losDays: 10, materialChargeFen: 260_000, materialCostFen: 260_000, costFen: 1_060_000, paymentFen: 1_000_000 };
    const peers = [{ ...base, institutionId: 'H2' }, { ...base, institutionId: 'H3' }];
    const rows = decomposeLosses([own, ...peers]);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.institutionId).toBe('H1');
    expect(r.peerCases).toBe(2);
    expect(r.effectFen.los).toBeCloseTo(4 * 70_000, 6);
    expect(r.effectFen.consumables).toBeCloseTo(60_000, 6);
    expect(r.effectFen.drugs).toBe(0);
    expect(r.mainCause).toBe('los');
  });
});

describe('cost hint', () => {
  const item = (code: string, name: string, priceCapFen: number, extra: Partial<CatalogItem> = {}): CatalogItem => ({
    code, name, category: 'drug', payClass: 'A', unit: '片', priceCapFen, selfPayFirstPermille: 0, restrictions: {},
    effectiveFrom: '2020-01-01', effectiveTo: '9999-12-31', ...extra,
  });
  const catalog = [
    item('XA02BCA084A012010100453', '艾普拉唑肠溶片 A厂', 500),
    item('XA02BCA084A012010102777', '艾普拉唑肠溶片 B厂', 300),
    item('XA02BCA084A012010200453', '艾普拉唑肠溶片 C厂', 200, { effectiveTo: '2020-12-31' }),
    item('XA02BCA084A001010100001', '艾普拉唑注射剂', 100),
    item('003310060020000', '胆囊切除术', 0, { category: 'service', unit: '次' }),
  ];
  const hint = compileCostHints(catalog, new Map([['003310060020000', { unitCostFen: 123_456.4 }]]), { drug: 14, consumable: 12, service: 11, facility: 11 });

  it('lists cheaper equivalents in force (same generic and dosage form), cheapest first', () => {
    const h = hint('XA02BCA084A012010100453', 10, '2025-06-01')!;
    expect(h.orderCostFen).toBe(5000);
    expect(h.cheaper.map((c) => c.code)).toEqual(['XA02BCA084A012010102777']);
    expect(h.cheaper[0]!.savingPerUnitFen).toBe(200);
  });
  it('uses the item cost where item costing knows it', () => {
    const h = hint('003310060020000', 1, '2025-06-01')!;
    expect(h.basis).toBe('item-cost');
    expect(h.orderCostFen).toBe(123_456);
    expect(hint('nope', 1, '2025-06-01')).toBeUndefined();
  });
});
