import { describe, expect, it } from 'vitest';
import { test as ftest, fc } from '@fast-check/vitest';
import { COST_CENTER_CATEGORIES } from '../domain/index.js';
import type { CostCenterCategory } from '../domain/index.js';
import { allocateReciprocal, allocateStepDown, rollUp } from './allocate.js';
import { ITEM_COUNT, ITEM_INDEX, type AllocationInput, type CostCenter, type DriverChoice, type DriverKind } from './types.js';

const center = (id: string, category: CostCenterCategory, parentId = ''): CostCenter => ({ id, institutionId: 'H1', name: id, category, parentId });
const vec = (entries: Partial<Record<keyof typeof ITEM_INDEX, number>>): number[] => {
  const v = new Array<number>(ITEM_COUNT).fill(0);
  for (const [k, x] of Object.entries(entries)) v[ITEM_INDEX[k as keyof typeof ITEM_INDEX]] = x;
  return v;
};
const every = (kinds: DriverKind[]): DriverChoice => new Array(ITEM_COUNT).fill(kinds);

describe('step-down allocation (分项逐级分步结转)', () => {
  // Hand-computed four-department example (docs/costing.md § Worked example). Amounts in fen.
  // 院办 A (行政后勤): personnel 10,000,000, depreciation 3,333,333 — personnel by staff, depreciation by area
  // 放射科 R (医疗技术): personnel 20,000,000, depreciation 5,000,000 — by 开单收入
  // 内科 M, 外科 S (临床服务): personnel 50,000,000 / 70,000,000, depreciation 0 / 1,000,000
  // staff R 6, M 11, S 13; area R 300, M 500, S 400; 开单收入 M 3, S 4.
  const plan = new Map<string, DriverChoice>([
    ['A', COST_ITEM_PLAN({ personnel: ['staff'], depreciation: ['floor-area'] })],
    ['R', every(['ordered-revenue'])],
  ]);
  const input: AllocationInput = {
    centers: [center('A', 'administrative'), center('R', 'medical-technical'), center('M', 'clinical'), center('S', 'clinical')],
    direct: new Map([
      ['A', vec({ personnel: 10_000_000, depreciation: 3_333_333 })],
      ['R', vec({ personnel: 20_000_000, depreciation: 5_000_000 })],
      ['M', vec({ personnel: 50_000_000 })],
      ['S', vec({ personnel: 70_000_000, depreciation: 1_000_000 })],
    ]),
    drivers: {
      staff: new Map([['R', 6], ['M', 11], ['S', 13]]),
      'floor-area': new Map([['R', 300], ['M', 500], ['S', 400]]),
      'ordered-revenue': new Map([['M', 3], ['S', 4]]),
    },
    plan,
  };

  it('matches the hand-computed example to the fen', () => {
    const r = allocateStepDown(input);
    const by = new Map(r.centers.map((c) => [c.center.id, c]));
    // 一级 personnel 10,000,000 × 6/11/13 ÷ 30 = 2,000,000 / 3,666,666.67 / 4,333,333.33 → M gets the spare fen
    expect(by.get('R')!.receivedByLevel[0][ITEM_INDEX.personnel]).toBe(2_000_000);
    expect(by.get('M')!.receivedByLevel[0][ITEM_INDEX.personnel]).toBe(3_666_667);
    expect(by.get('S')!.receivedByLevel[0][ITEM_INDEX.personnel]).toBe(4_333_333);
    // 一级 depreciation 3,333,333 × 300/500/400 ÷ 1200 = 833,333.25 / 1,388,888.75 / 1,111,111 → M
    expect(by.get('M')!.receivedByLevel[0][ITEM_INDEX.depreciation]).toBe(1_388_889);
    // 三级 R personnel 22,000,000 × 3/7, 4/7 = 9,428,571.43 / 12,571,428.57 → S; depreciation 5,833,333 → M
    expect(by.get('M')!.receivedByLevel[2][ITEM_INDEX.personnel]).toBe(9_428_571);
    expect(by.get('S')!.receivedByLevel[2][ITEM_INDEX.personnel]).toBe(12_571_429);
    expect(by.get('M')!.receivedByLevel[2][ITEM_INDEX.depreciation]).toBe(2_500_000);
    expect(by.get('S')!.receivedByLevel[2][ITEM_INDEX.depreciation]).toBe(3_333_333);
    expect(by.get('M')!.full).toEqual(vec({ personnel: 63_095_238, depreciation: 3_888_889 }));
    expect(by.get('S')!.full).toEqual(vec({ personnel: 86_904_762, depreciation: 5_444_444 }));
    expect(by.get('A')!.full).toEqual(vec({}));
    expect(by.get('R')!.full).toEqual(vec({}));
    expect(by.get('R')!.allocatedOut).toEqual(vec({ personnel: 22_000_000, depreciation: 5_833_333 }));
    expect(r.importedFen).toBe(159_333_333);
    expect(r.finalFen).toBe(159_333_333);
    expect(r.unallocatedFen).toBe(0);
    expect(r.issues).toEqual([]);
    expect(r.flows.filter((f) => f.level === 1)).toHaveLength(3);
    expect(r.flows.find((f) => f.fromId === 'A' && f.toId === 'M')!.drivers[ITEM_INDEX.depreciation]).toBe('floor-area');
  });

  it('reproduces the five-department example of the costing note (§3.5) within the note’s cent rounding', () => {
    const r = allocateStepDown({
      centers: [center('院办', 'administrative'), center('供应室', 'medical-support'), center('放射科', 'medical-technical'), center('内科', 'clinical'), center('外科', 'clinical')],
      direct: new Map([
        ['院办', vec({ personnel: 30_000_000 })],
        ['供应室', vec({ personnel: 20_000_000 })],
        ['放射科', vec({ personnel: 60_000_000 })],
        ['内科', vec({ personnel: 150_000_000 })],
        ['外科', vec({ personnel: 200_000_000 })],
      ]),
      drivers: {
        staff: new Map([['供应室', 8], ['放射科', 20], ['内科', 40], ['外科', 42]]),
        sterilisation: new Map([['放射科', 50], ['内科', 400], ['外科', 550]]),
        'ordered-revenue': new Map([['内科', 300_000], ['外科', 200_000]]),
      },
      plan: new Map([['院办', every(['staff'])], ['供应室', every(['sterilisation'])], ['放射科', every(['ordered-revenue'])]]),
    });
    const full = new Map(r.centers.map((c) => [c.center.id, c.full[0]!]));
    expect(full.get('内科')! + full.get('外科')!).toBe(460_000_000);
    expect(Math.abs(full.get('内科')! - 209_720_000)).toBeLessThanOrEqual(2);
    expect(Math.abs(full.get('外科')! - 250_280_000)).toBeLessThanOrEqual(2);
  });

  it('leaves cost on a center whose drivers are all zero and says so', () => {
    const r = allocateStepDown({ ...input, drivers: { ...input.drivers, 'ordered-revenue': new Map() } });
    expect(r.unallocatedFen).toBe(22_000_000 + 5_833_333);
    expect(r.finalFen + r.unallocatedFen).toBe(r.importedFen);
    expect(r.issues.map((i) => i.code)).toContain('driver-zero');
  });

  it('falls back to the next driver in the preference list', () => {
    const r = allocateStepDown({ ...input, drivers: { ...input.drivers, 'ordered-revenue': new Map() }, plan: new Map([...plan, ['R', every(['ordered-revenue', 'staff'])]]) });
    expect(r.unallocatedFen).toBe(0);
    expect(r.flows.find((f) => f.fromId === 'R')!.drivers[0]).toBe('staff');
  });

  it('rolls full cost up the hierarchy', () => {
    const r = allocateStepDown({ ...input, centers: [...input.centers.slice(0, 2), center('M', 'clinical', 'G'), center('S', 'clinical', 'G'), center('G', 'clinical')] });
    const up = rollUp(r);
    const g = up.get('G')!.reduce((a, b) => a + b, 0);
    expect(g).toBe(159_333_333);
  });
});

function COST_ITEM_PLAN(m: Partial<Record<keyof typeof ITEM_INDEX, DriverKind[]>>): DriverChoice {
  const out: DriverKind[][] = new Array(ITEM_COUNT).fill(['staff']);
  for (const [k, v] of Object.entries(m)) out[ITEM_INDEX[k as keyof typeof ITEM_INDEX]] = v;
  return out;
}

describe('reciprocal allocation (交互分配法)', () => {
  it('matches the hand-computed simultaneous-equation example to the fen', () => {
    // 后勤 A 100,000.00 yuan, 洗衣 L 60,000.00; 内科 M 400,000.00; 外科 S 500,000.00.
    // A serves L 10%, M 40%, S 50% (staff 10/40/50); L serves A 20%, M 30%, S 50% (bed-days 20/30/50).
    // A = 100,000 + 0.2·L, L = 60,000 + 0.1·A → A = 112,000 / 0.98 = 114,285.714…, L = 71,428.571…
    // M = 400,000 + 0.4·A + 0.3·L = 467,142.857… ; S = 500,000 + 0.5·A + 0.5·L = 592,857.142…
    // In fen: floors 46,714,285 + 59,285,714 = 105,999,999 → the spare fen goes to M (.714 > .286).
    const r = allocateReciprocal({
      centers: [center('A', 'administrative'), center('L', 'medical-support'), center('M', 'clinical'), center('S', 'clinical')],
      direct: new Map([
        ['A', vec({ personnel: 10_000_000 })],
        ['L', vec({ personnel: 6_000_000 })],
        ['M', vec({ personnel: 40_000_000 })],
        ['S', vec({ personnel: 50_000_000 })],
      ]),
      drivers: { staff: new Map([['L', 10], ['M', 40], ['S', 50]]), 'bed-days': new Map([['A', 20], ['M', 30], ['S', 50]]) },
      plan: new Map([['A', every(['staff'])], ['L', every(['bed-days'])]]),
    });
    const by = new Map(r.centers.map((c) => [c.center.id, c]));
    expect(by.get('M')!.full[0]).toBe(46_714_286);
    expect(by.get('S')!.full[0]).toBe(59_285_714);
    expect(r.finalFen).toBe(106_000_000);
    // A's total 114,285.71 is what it passes on; it received 0.2 × 71,428.57 = 14,285.71 from L
    expect(by.get('A')!.allocatedOut[0]).toBe(11_428_571);
    expect(by.get('A')!.receivedByLevel[1][0]).toBe(1_428_571);
    expect(by.get('M')!.receivedByLevel[0][0]! + by.get('M')!.receivedByLevel[1][0]!).toBe(6_714_286);
  });

  it('rejects support centers that only serve each other', () => {
    expect(() =>
      allocateReciprocal({
        centers: [center('A', 'administrative'), center('L', 'medical-support'), center('M', 'clinical')],
        direct: new Map([['A', vec({ personnel: 100 })], ['L', vec({ personnel: 100 })]]),
        drivers: { staff: new Map([['L', 1]]), 'bed-days': new Map([['A', 1]]) },
        plan: new Map([['A', every(['staff'])], ['L', every(['bed-days'])]]),
      }),
    ).toThrow(/singular/);
  });
});

// ── property tests ──

const DRIVERS: DriverKind[] = ['staff', 'floor-area', 'workload', 'revenue'];
const arbInput = fc
  .record({
    cats: fc.array(fc.constantFrom(...COST_CENTER_CATEGORIES), { minLength: 2, maxLength: 9 }),
    seed: fc.array(fc.nat({ max: 1_000_000_000 }), { minLength: 10 * ITEM_COUNT, maxLength: 10 * ITEM_COUNT }),
    drv: fc.array(fc.array(fc.nat({ max: 500 }), { minLength: 10, maxLength: 10 }), { minLength: 4, maxLength: 4 }),
    choice: fc.array(fc.array(fc.constantFrom(...DRIVERS), { minLength: 1, maxLength: 2 }), { minLength: 10, maxLength: 10 }),
  })
  .map(({ cats, seed, drv, choice }) => {
    const all: CostCenterCategory[] = [...cats, 'clinical'];
    const centers = all.map((c, i) => center(`C${i}`, c));
    const direct = new Map(centers.map((c, i) => [c.id, seed.slice(i * ITEM_COUNT, (i + 1) * ITEM_COUNT)]));
    // every clinical center gets driver 1 at least, so no allocation is stuck
    const drivers = Object.fromEntries(
      DRIVERS.map((k, d) => [k, new Map(centers.map((c, i) => [c.id, (drv[d]![i] ?? 0) + (c.category === 'clinical' ? 1 : 0)]))]),
    );
    const plan = new Map(centers.filter((c) => c.category !== 'clinical').map((c, i) => [c.id, every([...choice[i]!, 'staff'])]));
    return { centers, direct, drivers, plan } as AllocationInput;
  });

describe('allocation properties', () => {
  ftest.prop([arbInput], { numRuns: 150 })('step-down conserves every cost item to the fen and never goes negative', (input) => {
    const r = allocateStepDown(input);
    expect(r.unallocatedFen).toBe(0);
    for (let i = 0; i < ITEM_COUNT; i++) {
      const before = [...input.direct.values()].reduce((s, v) => s + v[i]!, 0);
      const after = r.centers.filter((c) => c.center.category === 'clinical').reduce((s, c) => s + c.full[i]!, 0);
      expect(after).toBe(before);
    }
    for (const c of r.centers) for (const x of [...c.full, ...c.allocatedOut, ...c.receivedByLevel.flat()]) expect(x).toBeGreaterThanOrEqual(0);
  });

  ftest.prop([arbInput], { numRuns: 100 })('reciprocal conserves every cost item to the fen and never goes negative', (input) => {
    const r = allocateReciprocal(input);
    expect(r.finalFen + r.unallocatedFen).toBe(r.importedFen);
    expect(r.unallocatedFen).toBe(0);
    for (const c of r.centers) for (const x of [...c.full, ...c.receivedByLevel.flat()]) expect(x).toBeGreaterThanOrEqual(0);
    for (const c of r.centers) if (c.center.category === 'clinical') c.full.forEach((x, i) => expect(x).toBeGreaterThanOrEqual(c.direct[i]!));
  });

  ftest.prop([arbInput, fc.nat({ max: 1000 })], { numRuns: 100 })(
    'changing a driver used only by the last level changes only that level’s flows',
    (input, bump) => {
      const techIds = input.centers.filter((c) => c.category === 'medical-technical').map((c) => c.id);
      fc.pre(techIds.length > 0);
      // medical-technical centers use equipment-hours alone; nobody else does
      const plan = new Map(input.plan);
      for (const id of techIds) plan.set(id, every(['equipment-hours']));
      const clinical = input.centers.filter((c) => c.category === 'clinical');
      const eq = new Map(clinical.map((c, i) => [c.id, i + 1]));
      const base = allocateStepDown({ ...input, plan, drivers: { ...input.drivers, 'equipment-hours': eq } });
      const eq2 = new Map(eq);
      eq2.set(clinical[0]!.id, eq.get(clinical[0]!.id)! + bump);
      const changed = allocateStepDown({ ...input, plan, drivers: { ...input.drivers, 'equipment-hours': eq2 } });
      const key = (f: { fromId: string; toId: string }) => `${f.fromId}>${f.toId}`;
      const early = (r: typeof base) => new Map(r.flows.filter((f) => f.level < 3).map((f) => [key(f), f.amounts]));
      expect(early(changed)).toEqual(early(base));
      // what the tech centers pass on is the same; only its split among clinical centers moves
      const out = (r: typeof base) => r.centers.filter((c) => techIds.includes(c.center.id)).map((c) => c.allocatedOut);
      expect(out(changed)).toEqual(out(base));
      for (const c of changed.centers) {
        const b = base.centers.find((x) => x.center.id === c.center.id)!;
        expect(c.receivedByLevel[0]).toEqual(b.receivedByLevel[0]);
        expect(c.receivedByLevel[1]).toEqual(b.receivedByLevel[1]);
      }
      expect(changed.finalFen).toBe(base.finalFen);
    },
  );

  ftest.prop([arbInput], { numRuns: 50 })('a driver no center uses changes nothing', (input) => {
    const a = allocateStepDown(input);
    const b = allocateStepDown({ ...input, drivers: { ...input.drivers, beds: new Map(input.centers.map((c, i) => [c.id, i * 7])) } });
    expect(b.centers).toEqual(a.centers);
  });
});
