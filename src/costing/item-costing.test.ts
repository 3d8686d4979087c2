import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { allocateStepDown } from './allocate.js';
import { parseCostingConfig, resolveDriverPlan, selectConfig } from './config.js';
import { compileExecutingCenters, compileTimeStandards, costItems, unitCostByItem } from './item-costing.js';
import { ITEM_COUNT, type CostCenter } from './types.js';

const versions = parseCostingConfig(JSON.parse(readFileSync(new URL('../../data/costing/costing-config.json', import.meta.url), 'utf8')));
const cfg = selectConfig(versions, '2025-01-01');
const c = (id: string, name: string, category: CostCenter['category']): CostCenter => ({ id, institutionId: 'H', name, category, parentId: '' });

describe('costing config', () => {
  it('loads the shipped version and resolves drivers by category, item and name override', () => {
    expect(cfg.version).toBe('2022.1');
    const plan = resolveDriverPlan([c('a', '院办', 'administrative'), c('s', '消毒供应中心', 'medical-support'), c('t', '检验科', 'medical-technical'), c('m', '内科', 'clinical')], cfg);
    expect(plan.get('a')![0]).toEqual(['staff', 'floor-area']);
    expect(plan.get('a')![3]).toEqual(['floor-area', 'staff']); // depreciation
    expect(plan.get('s')![0]).toEqual(['sterilisation', 'workload', 'staff']);
    expect(plan.get('t')![0]).toEqual(['ordered-revenue', 'revenue', 'staff']);
    expect(plan.has('m')).toBe(false);
  });
  it('names the bad field of a broken config', () => {
    expect(() => parseCostingConfig({ versions: [{ version: 'x' }] })).toThrow(/versions\.0\./);
    expect(() => selectConfig(versions, '2001-01-01')).toThrow(/no costing configuration/);
  });
});

describe('service-item costing (作业成本法 / TDABC)', () => {
  it('uses the longest matching time standard, else charge-equivalent minutes', () => {
    const ts = compileTimeStandards(cfg.itemCosting);
    expect(ts.minutes('002103000010000', 'CT', 2, 40_000)).toEqual({ minutes: 40, basis: 'time-standard' }); // CT 20 min
    expect(ts.minutes('002201000010000', '超声', 1, 10_000).minutes).toBe(20); // 超声 via 0022
    expect(ts.minutes('009999000000000', '某项目', 1, 50_000)).toEqual({ minutes: 30, basis: 'charge-equivalent' }); // 500 yuan × 6/100
    expect(ts.minutes('MFS0011', '胸部CT平扫', 1, 20_000)).toEqual({ minutes: 20, basis: 'time-standard' }); // by name
  });

  it('finds the executing center by item prefix, else the ordering center', () => {
    const centers = [c('lab', '检验科', 'medical-technical'), c('rad', '放射科', 'medical-technical'), c('m', '内科', 'clinical')];
    const exec = compileExecutingCenters(centers, cfg.itemCosting);
    expect(exec('002501000010000', '血常规', 'm', 'm')).toBe('lab');
    expect(exec('002103000010000', 'CT', 'm', 'm')).toBe('rad');
    expect(exec('003101000010000', '某治疗', 'm', 'm')).toBe('m');
    expect(exec('MFS0013', '头颅磁共振平扫', 'm', 'm')).toBe('rad');
    expect(exec('MFS0024', '肝功能生化检查', 'm', 'm')).toBe('lab');
    expect(exec('003101000010000', '某治疗', 'unknown', 'm')).toBe('m');
  });

  it('spreads each center pool over items by minutes and reports CCR and unused capacity (note §3.7)', () => {
    // CT room: pool 81,000.00 yuan; 2,000 CT exams × 20 min and 1,000 X-ray × 10 min → 50,000 minutes
    const direct = new Array<number>(ITEM_COUNT).fill(0);
    direct[0] = 810_000_00;
    const alloc = allocateStepDown({
      centers: [c('rad', '放射科', 'medical-technical'), c('m', '内科', 'clinical')],
      direct: new Map([['rad', direct]]),
      drivers: { 'ordered-revenue': new Map([['m', 1]]) },
      plan: new Map([['rad', new Array(ITEM_COUNT).fill(['ordered-revenue'])]]),
    });
    const r = costItems(
      alloc,
      [
        { centerId: 'rad', itemCode: 'CT', itemName: 'CT', quantity: 2000, revenueFen: 2000 * 20_000, minutes: 40_000, basis: 'time-standard' },
        { centerId: 'rad', itemCode: 'DR', itemName: 'DR', quantity: 1000, revenueFen: 1000 * 5_000, minutes: 10_000, basis: 'time-standard' },
      ],
      new Map([['rad', 1]]),
      96_000,
    );
    const ct = r.items.find((i) => i.itemCode === 'CT')!;
    expect(ct.costFen).toBe(648_000_00); // 4/5 of the pool
    expect(ct.unitCostFen).toBe(32_400); // 324 yuan per exam
    expect(ct.costToChargeRatio).toBeCloseTo(1.62, 10);
    const cap = r.centers.find((x) => x.centerId === 'rad')!;
    expect(cap.capacityRateFenPerMin).toBeCloseTo(810_000_00 / 96_000, 6);
    // one staff member has 96,000 practical minutes, 50,000 used → 46/96 of the pool is idle capacity
    expect(cap.unusedCapacityFen).toBeCloseTo((810_000_00 * 46) / 96, 3);
    expect(unitCostByItem(r).get('DR')!.unitCostFen).toBe(16_200);
    expect(r.items.reduce((s, i) => s + i.costFen, 0)).toBe(810_000_00);
  });
});
