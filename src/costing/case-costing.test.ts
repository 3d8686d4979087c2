import { describe, expect, it } from 'vitest';
import { test as ftest, fc } from '@fast-check/vitest';
import { allocateReciprocal, allocateStepDown } from './allocate.js';
import { costCases, groupCaseCosts, unitCosts, type CaseActivity, type CaseRecord } from './case-costing.js';
import { ITEM_COUNT, ITEM_INDEX, type CostCenter, type DriverChoice } from './types.js';
import type { CostCenterCategory } from '../domain/index.js';

const center = (id: string, category: CostCenterCategory): CostCenter => ({ id, institutionId: 'H1', name: id, category, parentId: '' });
const vec = (e: Partial<Record<keyof typeof ITEM_INDEX, number>>): number[] => {
  const v = new Array<number>(ITEM_COUNT).fill(0);
  for (const [k, x] of Object.entries(e)) v[ITEM_INDEX[k as keyof typeof ITEM_INDEX]] = x;
  return v;
};
const every = (k: 'ordered-revenue' | 'staff'): DriverChoice => new Array(ITEM_COUNT).fill([k]);

// The two patients of the costing note §3.8 (DRG B): LOS 8 and 10; charges in fen.
// P1: 药 4,000, 材 3,000, 检查 2,000, 治疗手术 5,000, 床位护理 1,000 (yuan)
// P2: 药 6,000, 材 2,000, 检查 3,000, 治疗手术 6,000, 床位护理 1,500
const cases: CaseRecord[] = [
  { id: 'P1', departmentId: 'W', doctorId: 'D1', kind: 'inpatient', losDays: 8, drugFen: 400_000, materialFen: 300_000, serviceFen: 800_000, examFen: 200_000 },
  { id: 'P2', departmentId: 'W', doctorId: 'D2', kind: 'inpatient', losDays: 10, drugFen: 600_000, materialFen: 200_000, serviceFen: 1_050_000, examFen: 300_000 },
];
// Activities per service unit: 检查 E (minutes 155 / 230), 手术 O (150 each), 病区 W (125 min per day)
const activities: CaseActivity[] = [
  { caseIndex: 0, centerId: 'E', minutes: 155, revenueFen: 200_000 },
  { caseIndex: 1, centerId: 'E', minutes: 230, revenueFen: 300_000 },
  { caseIndex: 0, centerId: 'O', minutes: 150, revenueFen: 500_000 },
  { caseIndex: 1, centerId: 'O', minutes: 150, revenueFen: 600_000 },
  { caseIndex: 0, centerId: 'W', minutes: 1000, revenueFen: 100_000 },
  { caseIndex: 1, centerId: 'W', minutes: 1250, revenueFen: 150_000 },
];
const units = (e: number, o: number, wRest: number) =>
  allocateStepDown({
    centers: [center('E', 'medical-technical'), center('O', 'medical-technical'), center('W', 'clinical')],
    direct: new Map([
      ['E', vec({ personnel: e })],
      ['O', vec({ personnel: o })],
      ['W', vec({ drugs: 1_000_000, 'medical-materials': 500_000, personnel: wRest })],
    ]),
    drivers: { 'ordered-revenue': new Map([['W', 1]]) },
    plan: new Map([['E', every('ordered-revenue')], ['O', every('ordered-revenue')]]),
  });

describe('case costing — the three methods of note §3.8, to the fen', () => {
  it('top-down: drugs and materials by charges, the rest (300 元/床日) by bed-days → 9,400 / 11,000', () => {
    const alloc = allocateStepDown({
      centers: [center('W', 'clinical')],
      direct: new Map([['W', vec({ drugs: 1_000_000, 'medical-materials': 500_000, personnel: 540_000 })]]),
      drivers: {},
      plan: new Map(),
    });
    const r = costCases(alloc, cases, 'top-down');
    expect(r.costs.map((c) => c.totalFen)).toEqual([940_000, 1_100_000]);
    expect(r.costs[0]).toEqual({ drugFen: 400_000, materialFen: 300_000, serviceFen: 240_000, totalFen: 940_000 });
    expect(groupCaseCosts(r, () => 'B')[0]!.meanCostFen).toBe(1_020_000);
  });

  it('bottom-up: item costs by activity minutes → 13,450 / 15,450', () => {
    // pools: 检查 1,550 + 2,300; 手术 3,900 × 2; 护理 + 床位 125 元/日 × 18 days
    const r = costCases(units(385_000, 780_000, 225_000), cases, 'bottom-up', activities);
    expect(r.costs.map((c) => c.totalFen)).toEqual([1_345_000, 1_545_000]);
    expect(r.unassignedFen).toBe(0);
  });

  it('bottom-up: a tech center without recorded activity follows its step-down flow to the ward, then bed-days', () => {
    const r = costCases(units(385_000, 780_000, 225_000), cases, 'bottom-up', activities.filter((a) => a.centerId !== 'E'));
    // E's 385,000 by bed-days 8 : 10 → 171,111.1 / 213,888.9 → 171,111 / 213,889
    expect(r.costs.map((c) => c.totalFen)).toEqual([1_345_000 - 155_000 + 171_111, 1_545_000 - 230_000 + 213_889]);
    expect(r.unassignedFen).toBe(0);
  });

  it('ccr: revenue × cost-to-charge ratio per service unit (检查 0.8, 手术 0.85, 床位护理 1.3) → 14,150 / 17,450', () => {
    const r = costCases(units(400_000, 935_000, 325_000), cases, 'ccr', activities);
    expect(r.costs.map((c) => c.totalFen)).toEqual([1_415_000, 1_745_000]);
    expect(groupCaseCosts(r, () => 'B')[0]!.meanCostFen).toBe(1_580_000);
  });

  it('keeps cost of a center without patients as unassigned and reconciles', () => {
    const alloc = allocateStepDown({
      centers: [center('W', 'clinical'), center('X', 'clinical')],
      direct: new Map([['W', vec({ personnel: 1000 })], ['X', vec({ personnel: 777, drugs: 5 })]]),
      drivers: {},
      plan: new Map(),
    });
    const r = costCases(alloc, cases, 'top-down');
    expect(r.caseCostFen).toBe(1000);
    expect(r.unassignedFen).toBe(782);
    expect(r.unassignedByCenter.get('X')).toBe(782);
  });

  it('carries a parent center without patients by its sub-departments’ cases (hierarchy)', () => {
    const alloc = allocateStepDown({
      centers: [{ ...center('G', 'clinical') }, { ...center('W', 'clinical'), parentId: 'G' }, { ...center('X', 'clinical'), parentId: 'G' }],
      direct: new Map([['G', vec({ personnel: 1_800 })], ['W', vec({ personnel: 100 })]]),
      drivers: {},
      plan: new Map(),
    });
    for (const method of ['top-down', 'ccr', 'bottom-up'] as const) {
      const r = costCases(alloc, cases, method, []);
      expect(r.unassignedFen).toBe(0);
      // 1,900 by bed-days 8 : 10
      expect(r.costs.map((c) => c.totalFen)).toEqual([844, 1056]);
    }
  });

  it('refuses activity methods on a reciprocal allocation', () => {
    const alloc = allocateReciprocal({ centers: [center('W', 'clinical')], direct: new Map(), drivers: {}, plan: new Map() });
    expect(() => costCases(alloc, cases, 'bottom-up', activities)).toThrow(/step-down/);
  });

  it('computes 诊次 and 床日 costs per center', () => {
    const alloc = allocateStepDown({ centers: [center('W', 'clinical')], direct: new Map([['W', vec({ personnel: 300_000 })]]), drivers: {}, plan: new Map() });
    const mixed: CaseRecord[] = [
      { ...cases[0]!, serviceFen: 200_000 },
      { id: 'V1', departmentId: 'W', doctorId: 'D1', kind: 'outpatient', losDays: 0, drugFen: 0, materialFen: 0, serviceFen: 50_000, examFen: 0 },
      { id: 'V2', departmentId: 'W', doctorId: 'D1', kind: 'outpatient', losDays: 0, drugFen: 0, materialFen: 0, serviceFen: 50_000, examFen: 0 },
    ];
    const r = costCases(alloc, mixed, 'top-down');
    const row = unitCosts(mixed, r)[0]!;
    // service revenue 2,000 inpatient : 1,000 outpatient → 200,000 to 8 bed-days, 100,000 to 2 visits
    expect(row.costPerBedDayFen).toBe(25_000);
    expect(row.costPerVisitFen).toBe(50_000);
  });
});

const arbWorld = fc.record({
  directs: fc.array(fc.array(fc.nat({ max: 50_000_000 }), { minLength: ITEM_COUNT, maxLength: ITEM_COUNT }), { minLength: 4, maxLength: 4 }),
  cases: fc.array(
    fc.record({
      dept: fc.constantFrom('W', 'X', 'Q'),
      kind: fc.constantFrom('inpatient' as const, 'outpatient' as const),
      los: fc.nat({ max: 30 }),
      drug: fc.nat({ max: 100_000 }),
      mat: fc.nat({ max: 100_000 }),
      svc: fc.nat({ max: 100_000 }),
      minutes: fc.nat({ max: 300 }),
    }),
    { maxLength: 40 },
  ),
});

describe('case costing properties', () => {
  ftest.prop([arbWorld, fc.constantFrom('top-down' as const, 'ccr' as const, 'bottom-up' as const)], { numRuns: 150 })(
    'Σ case cost + unassigned = allocated cost to the fen; no case cost is negative',
    ({ directs, cases: raw }, method) => {
      const alloc = allocateStepDown({
        centers: [center('A', 'administrative'), center('E', 'medical-technical'), center('W', 'clinical'), center('X', 'clinical')],
        direct: new Map(['A', 'E', 'W', 'X'].map((id, i) => [id, directs[i]!])),
        drivers: { staff: new Map([['E', 3], ['W', 5], ['X', 2]]), 'ordered-revenue': new Map([['W', 2], ['X', 1]]) },
        plan: new Map([['A', every('staff')], ['E', every('ordered-revenue')]]),
      });
      const cs: CaseRecord[] = raw.map((c, i) => ({ id: `c${i}`, departmentId: c.dept, doctorId: 'D', kind: c.kind, losDays: c.los, drugFen: c.drug, materialFen: c.mat, serviceFen: c.svc, examFen: 0 }));
      const acts: CaseActivity[] = raw.flatMap((c, i) => [
        { caseIndex: i, centerId: 'E', minutes: c.minutes, revenueFen: c.svc },
        { caseIndex: i, centerId: c.dept, minutes: c.los * 60, revenueFen: c.svc },
      ]);
      const r = costCases(alloc, cs, method, acts);
      expect(r.caseCostFen + r.unassignedFen).toBe(alloc.finalFen);
      expect(alloc.finalFen).toBe(alloc.importedFen);
      for (const c of r.costs) expect(Math.min(c.drugFen, c.materialFen, c.serviceFen)).toBeGreaterThanOrEqual(0);
    },
  );
});
