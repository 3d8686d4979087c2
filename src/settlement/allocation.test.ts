import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { allocateToDepartments } from './allocation.js';

describe('department secondary allocation (1:2:7 over three years)', () => {
  it('hand-computed: A 100/100/100, B 0/100/300 (万元) → weighted 1000 vs 2300', () => {
    const W = 1_000_000; // 1万元 in fen
    const h = [
      { departmentId: 'A', year: 2022, claimsFen: 100 * W, visits: 10, costFen: 120 * W },
      { departmentId: 'A', year: 2023, claimsFen: 100 * W, visits: 10, costFen: 120 * W },
      { departmentId: 'A', year: 2024, claimsFen: 100 * W, visits: 10, costFen: 120 * W },
      { departmentId: 'B', year: 2023, claimsFen: 100 * W, visits: 5, costFen: 150 * W },
      { departmentId: 'B', year: 2024, claimsFen: 300 * W, visits: 20, costFen: 400 * W },
      { departmentId: 'B', year: 2019, claimsFen: 999 * W, visits: 1, costFen: 1 }, // outside the window
    ];
    const r = allocateToDepartments(330 * W, h, 2025);
    // A: 100·1 + 100·2 + 100·7 = 1000; B: 0 + 200 + 2100 = 2300; budget 330万 → 100万 / 230万
    expect(r.map((x) => x.budgetFen)).toEqual([100 * W, 230 * W]);
    expect(r[0]!.shareBp).toBe(3030);
    // B per-visit quota: (150·2 + 400·7) / (5·2 + 20·7) = 3100 / 150 万元 = 20.6667万元
    expect(r[1]!.quotaPerVisitFen).toBe(Math.round((3100 * W) / 150));
  });
  test.prop([fc.integer({ min: 0, max: 1e12 }), fc.array(fc.record({ d: fc.constantFrom('a', 'b', 'c', 'd'), y: fc.integer({ min: 2021, max: 2024 }), c: fc.integer({ min: 0, max: 1e9 }) }), { minLength: 1, maxLength: 20 })])(
    'department budgets sum to the hospital budget to the fen',
    (total, rows) => {
      const r = allocateToDepartments(total, rows.map((x) => ({ departmentId: x.d, year: x.y, claimsFen: x.c, visits: 1, costFen: x.c })), 2025);
      if (r.length) expect(r.reduce((s, x) => s + x.budgetFen, 0)).toBe(total);
      for (const x of r) expect(x.budgetFen).toBeGreaterThanOrEqual(0);
    },
  );
});
