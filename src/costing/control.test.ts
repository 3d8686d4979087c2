import { describe, expect, it } from 'vitest';
import { test as ftest, fc } from '@fast-check/vitest';
import { checkConsumableThresholds, deriveBudgets, equipmentUtilisation, evaluateBudgets, type ActualCost } from './control.js';

const month = (m: number, fen: number, item: ActualCost['costItem'] = 'personnel'): ActualCost => ({
  institutionId: 'H',
  centerId: 'M',
  costItem: item,
  month: `2025-${String(m).padStart(2, '0')}`,
  amountFen: fen,
});

describe('budgets', () => {
  const budget = { institutionId: 'H', centerId: 'M', costItem: 'total' as const, year: '2025', annualFen: 1_200_001, basis: 'file' };

  it('splits the annual budget into months that add up exactly and flags over-budget months', () => {
    const actuals = [month(1, 100_000), month(2, 111_000), month(3, 50_000, 'drugs'), month(3, 60_000)];
    const { rows } = evaluateBudgets([budget], actuals, { asOfMonth: '2025-03', overBudgetThresholdPct: 10, runRateMonths: 3 });
    const m = rows.filter((r) => r.granularity === 'month');
    expect(m.map((r) => r.budgetFen)).toEqual([100_001, 100_000, 100_000]);
    expect(m.map((r) => r.status)).toEqual(['ok', 'over', 'ok']); // 111,000 > 110,000; 110,000 is not > 110,000
    const q1 = rows.find((r) => r.period === '2025-Q1')!;
    expect(q1.actualFen).toBe(321_000);
    expect(q1.budgetFen).toBe(300_001);
    const y = rows.find((r) => r.granularity === 'year')!;
    // rolling forecast: 321,000 + 9 × (321,000 / 3) = 1,284,000 ≤ 1,320,001.1 → no forecast alert
    expect(y.forecastFen).toBe(1_284_000);
    expect(y.status).toBe('ok');
  });

  it('raises a forecast alert when the run rate will overshoot the year', () => {
    const actuals = [month(1, 90_000), month(2, 90_000), month(3, 90_000), month(4, 90_000), month(5, 90_000), month(6, 200_000)];
    const { rows } = evaluateBudgets([budget], actuals, { asOfMonth: '2025-06', overBudgetThresholdPct: 10, runRateMonths: 3 });
    const y = rows.find((r) => r.granularity === 'year')!;
    // year to date 650,000 ≤ 600,001 × 1.1, but 650,000 + 6 × (380,000 / 3) = 1,410,000 > 1,200,001 × 1.1
    expect(y.actualFen).toBe(650_000);
    expect(y.forecastFen).toBe(1_410_000);
    expect(y.status).toBe('forecast-over');
    expect(rows.filter((r) => r.granularity === 'quarter')).toHaveLength(2);
  });

  it('derives a labelled baseline from Q1 when there is no prior year', () => {
    const b = deriveBudgets([month(1, 100), month(2, 200), month(3, 300), month(4, 10_000)], '2025', 5);
    expect(b).toEqual([{ institutionId: 'H', centerId: 'M', costItem: 'total', year: '2025', annualFen: 2520, basis: 'q1-annualised × 1.05' }]);
    const p = deriveBudgets([{ ...month(5, 1000), month: '2024-05' }, month(1, 5)], '2025', 10);
    expect(p[0]!.annualFen).toBe(1100);
    expect(p[0]!.basis).toMatch(/prior-year/);
  });
});

describe('consumable thresholds and equipment utilisation', () => {
  it('flags cases using more haemostatic clips than allowed for the procedure', () => {
    const f = checkConsumableThresholds(
      [
        { id: 'e1', departmentId: 'S', doctorId: 'd', procedures: ['51.2300', '88.0100'], consumables: [{ itemName: '一次性止血夹', quantity: 5, amountFen: 50_000 }, { itemName: '缝线', quantity: 9, amountFen: 900 }] },
        { id: 'e2', departmentId: 'S', doctorId: 'd', procedures: ['51.2300'], consumables: [{ itemName: '一次性止血夹', quantity: 3, amountFen: 30_000 }] },
        { id: 'e3', departmentId: 'S', doctorId: 'd', procedures: ['47.0100'], consumables: [{ itemName: '一次性止血夹', quantity: 5, amountFen: 50_000 }] },
      ],
      [{ procedurePrefix: '51.2', procedureName: '胆囊切除术', itemNamePattern: '止血夹', maxQuantity: 3 }],
    );
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ caseId: 'e1', quantity: 5, excessQuantity: 2, excessFen: 20_000 });
  });

  it('computes hours used over hours available', () => {
    const rows = equipmentUtilisation(
      [{ equipmentClass: 'CT', name: 'CT', itemPrefixes: ['002103'], itemNamePattern: 'CT', minutesPerUse: 15, availableHoursPerUnitYear: 4380 }],
      [{ institutionId: 'H', itemCode: '002103000010000', itemName: 'CT', quantity: 8000 }, { institutionId: 'H', itemCode: 'MFS0011', itemName: '胸部CT平扫', quantity: 760 }, { institutionId: 'H', itemCode: '002501', itemName: '血常规', quantity: 99 }],
      [{ institutionId: 'H', equipmentClass: 'CT', units: 2 }],
      6,
    );
    expect(rows[0]).toMatchObject({ uses: 8760, usedHours: 2190, availableHours: 4380, utilisation: 0.5 });
  });
});

describe('budget properties', () => {
  ftest.prop([fc.nat({ max: 10_000_000_000 }), fc.option(fc.array(fc.nat({ max: 100 }), { minLength: 12, maxLength: 12 }).filter((w) => w.some((x) => x > 0)), { nil: undefined })], { numRuns: 100 })(
    'the twelve monthly budgets add up to the annual budget exactly',
    (annualFen, monthlyWeights) => {
      const { rows } = evaluateBudgets(
        [{ institutionId: 'H', centerId: 'M', costItem: 'total', year: '2025', annualFen, monthlyWeights, basis: 'file' }],
        [],
        { asOfMonth: '2025-12', overBudgetThresholdPct: 10, runRateMonths: 3 },
      );
      const months = rows.filter((r) => r.granularity === 'month');
      expect(months.reduce((s, r) => s + r.budgetFen, 0)).toBe(annualFen);
      expect(rows.filter((r) => r.granularity === 'quarter').reduce((s, r) => s + r.budgetFen, 0)).toBe(annualFen);
      for (const r of rows) expect(r.budgetFen).toBeGreaterThanOrEqual(0);
    },
  );
});
