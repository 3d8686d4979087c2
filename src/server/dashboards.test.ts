/** Every dashboard figure equals the sum of the rows its drill-down returns. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp } from './test-fixtures.js';

let t: Awaited<ReturnType<typeof makeTestApp>>;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

type Drill = { path: string; query: Record<string, string> };
const get = async <T>(token: string, path: string, query: Record<string, string> = {}): Promise<T> => {
  const qs = new URLSearchParams({ ...query, limit: '500' }).toString();
  const res = await t.request(`${path}?${qs}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};

describe('dashboards drill down to their rows', () => {
  it('fund map: each cell equals its rows; hot spots equal their violations', async () => {
    const bureau = t.users.get('bureau-auditor')!.token;
    const map = await get<{ spendingBasis: string; cells: { spendingFen: number; encounters: number; drill: Drill }[]; hotspots: { amountFen: number; violations: number; drill: Drill }[] }>(bureau, '/api/dashboards/fund-map', { year: '2025' });
    expect(map.spendingBasis).toBe('total-charges');
    expect(map.cells.length).toBe(3); // H1 2025-03, H1 2025-04, H2 2025-04
    for (const c of map.cells) {
      const rows = await get<{ rows: { spendingFen: number }[]; total: number; spendingFen: number }>(bureau, c.drill.path, c.drill.query);
      expect(rows.total).toBe(c.encounters);
      expect(rows.rows.reduce((a, r) => a + r.spendingFen, 0)).toBe(c.spendingFen);
    }
    expect(map.cells.find((c) => c.drill.query.institutionId === 'H1' && c.drill.query.month === '2025-03')!.spendingFen).toBe(14560);
    for (const h of map.hotspots) {
      const v = await get<{ rows: { amountFen: number }[]; total: number }>(bureau, h.drill.path, h.drill.query);
      expect(v.total).toBe(h.violations);
      expect(v.rows.reduce((a, r) => a + r.amountFen, 0)).toBe(h.amountFen);
    }
  });

  it('fund map uses fund payments and monthly budgets once a settlement run and clearing exist', async () => {
    const cols = 36;
    const row = (enc: string, inst: string, month: string, total: number, fund: number) => {
      const v: (string | number)[] = ['run-a', enc, 'p', inst, 'd', 'dr', 'inpatient', 'resident', 'adult', 'pol', 'inpatient', `${month}-15`, month, 3, '1', total];
      while (v.length < cols - 1) v.push(0);
      v[26] = fund; // fund_total_fen
      v.push('');
      return `(${v.map((x) => (typeof x === 'number' ? String(x) : `'${x}'`)).join(', ')})`;
    };
    await t.store.exec(`INSERT INTO settlement_results VALUES ${row('E1', 'H1', '2025-03', 14560, 10000)}, ${row('E2', 'H1', '2025-04', 6000, 4500)}, ${row('E3', 'H2', '2025-04', 400, 300)}`);
    await t.store.exec(`INSERT INTO settlement_runs VALUES ('run-a', '2025-06-01T00:00:00', 'pol', 3, 20960, 14800, 6160, '')`);
    const months = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, monthlyBudgetFen: 1000 + i }));
    await t.store.exec(`INSERT INTO clearing_results VALUES ('run-a', '2025', 'H1', 'global-budget', 12066, 14500, 0, 0, 0, 0, 0, 0, $1)`, [JSON.stringify({ months })]);
    const officer = t.users.get('hospital-insurance-officer@H1')!.token;
    const map = await get<{ spendingBasis: string; cells: { month: string; spendingFen: number; budgetFen: number | null; drill: Drill }[]; institutions: { annualBudgetFen: number }[] }>(officer, '/api/dashboards/fund-map', { year: '2025' });
    expect(map.spendingBasis).toBe('fund-payment');
    expect(map.cells.map((c) => [c.month, c.spendingFen, c.budgetFen])).toEqual([['2025-03', 10000, 1002], ['2025-04', 4500, 1003]]);
    expect(map.institutions).toEqual([expect.objectContaining({ annualBudgetFen: 12066 })]);
    for (const c of map.cells) {
      const rows = await get<{ spendingFen: number; rows: { spendingFen: number }[] }>(officer, c.drill.path, c.drill.query);
      expect(rows.rows.reduce((a, r) => a + r.spendingFen, 0)).toBe(c.spendingFen);
    }
  });

  it('DRG board: overall, per-DRG and per-department figures equal their rows', async () => {
    const bureau = t.users.get('bureau-auditor')!.token;
    type Fig = { cases: number; marginFen: number; paymentFen: number; drill: Drill };
    const board = await get<{ overall: Fig & { cmi: number }; byDrg: Fig[]; byDepartment: Fig[] }>(bureau, '/api/dashboards/drg-board');
    expect(board.overall.cases).toBe(3);
    expect(board.overall.cmi).toBeCloseTo((1.6 + 0.8 + 0.8) / 3, 4);
    for (const f of [board.overall, ...board.byDrg, ...board.byDepartment]) {
      const rows = await get<{ total: number; marginFen: number; paymentFen: number; rows: { marginFen: number }[] }>(bureau, f.drill.path, f.drill.query);
      expect(rows.total).toBe(f.cases);
      expect(rows.marginFen).toBe(f.marginFen);
      expect(rows.paymentFen).toBe(f.paymentFen);
      expect(rows.rows.reduce((a, r) => a + r.marginFen, 0)).toBe(f.marginFen);
    }
  });

  it('cost cockpit: DRG cost-benefit figures equal their cases', async () => {
    const acct = t.users.get('cost-accountant@H1')!.token;
    const c = await get<{ drgBenefit: { drg: string; cases: number; costFen: number; drill: Drill }[]; departments: { fullFen: number }[] }>(acct, '/api/dashboards/cost-cockpit', { year: '2025' });
    expect(c.departments.reduce((a, d) => a + d.fullFen, 0)).toBe(620000);
    for (const b of c.drgBenefit) {
      const rows = await get<{ rows: { totalFen: number }[] }>(acct, b.drill.path, b.drill.query);
      expect(rows.rows).toHaveLength(b.cases);
      expect(rows.rows.reduce((a, r) => a + r.totalFen, 0)).toBe(b.costFen);
    }
  });

  it('the audit log of the API detects tampering', async () => {
    const admin = t.users.get('admin')!.token;
    expect((await get<{ ok: boolean }>(admin, '/api/audit-log/verify')).ok).toBe(true);
    await t.store.exec(`UPDATE audit_log SET actor = 'nobody' WHERE seq = 2`);
    const v = await get<{ ok: boolean; problems: { seq: number; code: string }[] }>(admin, '/api/audit-log/verify');
    expect(v.ok).toBe(false);
    expect(v.problems).toContainEqual(expect.objectContaining({ seq: 2, code: 'hash-mismatch' }));
  });
});
