import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COST_ITEMS } from '../../domain/index.js';
import { openMemoryStore, openStore, type SqlValue, type Store } from '../../store/index.js';
import { run } from '../main.js';
import { vi } from 'vitest';
import { costSummary, runCostPeriod, writeCostReports } from './cost.js';

const L = ['b1', 'fixture', 1] as const;

/** A small deterministic region: two hospitals, seven centers each, 12 months of costs, 80 encounters each. */
async function seed(store: Store): Promise<void> {
  let s = 42;
  const rnd = (n: number): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s % n;
  };
  const ins = (table: string, row: SqlValue[]): Promise<void> =>
    store.exec(`INSERT INTO ${table} VALUES (${row.map((_, i) => `$${i + 1}`).join(', ')})`, row);
  for (const h of ['H1', 'H2']) {
    await ins('institutions', [h, `医院${h}`, '3', 'hospital', '110000', ...L]);
    const depts: [string, string, string, number, number, number][] = [
      ['ADM', '院办', 'administrative', 20, 400, 0],
      ['CSSD', '消毒供应中心', 'medical-support', 8, 300, 0],
      ['LAB', '检验科', 'medical-technical', 15, 500, 0],
      ['RAD', '放射科', 'medical-technical', 12, 600, 0],
      ['MED', '内科', 'clinical', 40, 1500, 60],
      ['SUR', '外科', 'clinical', 45, 1600, 50],
      ['DEN', '口腔科', 'clinical', 6, 200, 0],
    ];
    for (const [id, name, cat, staff, area, beds] of depts) {
      await ins('departments', [`${h}-${id}`, h, name, '', cat, '', staff, area, beds, ...L]);
    }
    for (let m = 1; m <= 12; m++) {
      for (const [id] of depts) {
        for (const item of COST_ITEMS) {
          if (rnd(4) === 0) continue;
          await ins('department_costs', [h, `${h}-${id}`, `2025-${String(m).padStart(2, '0')}`, item, 100_000 + rnd(9_000_000), true, ...L]);
        }
      }
    }
    for (let e = 0; e < 80; e++) {
      const dept = e % 2 === 0 ? 'MED' : 'SUR';
      const inpatient = e % 4 !== 3;
      const los = inpatient ? 1 + rnd(12) : 0;
      const id = `${h}-E${e}`;
      const day = String(1 + (e % 28)).padStart(2, '0');
      const month = String(1 + (e % 12)).padStart(2, '0');
      const procs = dept === 'SUR' && inpatient ? '51.2300' : '';
      await ins('encounters', [id, h, `${h}-${dept}`, `P${e}`, `${h}-D${e % 5}`, inpatient ? 'inpatient' : 'outpatient', 'general', 'employee', '1', 50, 0, 0,
        `2025-${month}-${day}`, `2025-${month}-${day}`, '1', los, 'K80.100', procs, ...L]);
      const lines: [string, string, string, number, number][] = [
        ['drug', 'XA02BCA084A012010100453', '艾普拉唑肠溶片', 1 + rnd(20), 300],
        ['consumable', 'C0001', '一次性止血夹', 1 + rnd(5), 8000],
        ['service', '002501000010000', '血常规', 1 + rnd(3), 2000],
        ['service', '002103000010000', 'CT平扫', rnd(2), 20000],
        ['service', '001109000010000', '普通病房床位费', Math.max(1, los), 5000],
      ];
      if (procs) lines.push(['service', '003310060020000', '胆囊切除术', 1, 150000]);
      let k = 0;
      for (const [cat, code, name, qty, price] of lines) {
        if (qty === 0) continue;
        await ins('settlement_lines', [`${id}-L${k++}`, id, h, '', code, 0, name, cat, 'A', qty, price, qty * price, `${h}-D${e % 5}`, `${h}-${dept}`, `2025-${month}-${day}T10:00:00`, ...L]);
      }
    }
  }
  // the DRG engine's results (migration 100-drg)
  const enc = await store.query(`SELECT id, institution_id, department_id, doctor_id, discharge_date, los_days FROM encounters WHERE kind = 'inpatient' ORDER BY id`);
  for (const r of enc) {
    const sur = String(r.department_id).endsWith('SUR');
    const pay = sur ? 1_500_000 : 700_000;
    await ins('drg_results', [String(r.id), 'chs-drg-2.0', String(r.institution_id), String(r.department_id), String(r.doctor_id), String(r.discharge_date),
      'SUCCESS', 'H', sur ? 'HC2' : 'HS1', sur ? 'HC23' : 'HS15', 1.2, pay, pay, 'normal', 0, 0, Number(r.los_days), 'p1']);
  }
  // one definite deduction (扣款) of the audit engine, booked as denied payment
  await ins('audit_runs', ['A1', 'batch', 'v1', '2026-01-01', '2026-01-01T00:00:00', '2026-01-01T00:01:00', 160, 800, 1, 777]);
  await ins('violations', ['V1', 'A1', 'R1', 1, 'k', 't', 'definite', 'deduct', '', 'H2-E2', 'H2', 'H2-MED', 'H2-D2', 'H2-E2-L0', 777, 'm', '{}', '2026-01-01T00:00:00']);
}

describe('medfund cost — runCostPeriod over a store', () => {
  let store: Store;
  beforeAll(async () => {
    store = await openMemoryStore();
    await seed(store);
  });
  afterAll(async () => {
    await store.close();
  });

  it('reconciles imported = allocated = case + unassigned to the fen, stores and reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-'));
    const denials = join(dir, 'denials.csv');
    writeFileSync(denials, 'encounterId,amountFen,reason\nH1-E1,12345,超标准收费\n');
    const r = await runCostPeriod(store, { period: '2025', now: '2026-01-01T00:00:00', denialsFile: denials });
    const [sum] = await store.query(`SELECT CAST(SUM(amount_fen) AS BIGINT) AS s FROM department_costs WHERE month LIKE '2025-%'`);
    expect(r.importedCostFen).toBe(Number(sum!.s));
    expect(r.allocatedCostFen).toBe(r.importedCostFen);
    expect(r.unallocatedCostFen).toBe(0);
    expect(r.caseCostFen + r.unassignedCostFen).toBe(r.allocatedCostFen);
    expect(r.unassignedCostFen).toBeGreaterThan(0); // 口腔科 has no patients
    expect(r.reconciles).toBe(true);
    expect(r.cases).toBe(160);
    expect(r.drgCases).toBe(120);
    expect(r.drgSource).toBe('drg_results (chs-drg-2.0)');
    expect(r.deniedFen).toBe(12345);
    expect(r.reports.drgBenefit.map((x) => x.key)).toEqual(['HC23', 'HS15', 'HC23', 'HS15']);
    expect(r.reports.departments.find((d) => d.departmentId === 'H1-SUR')!.deniedFen).toBe(12345);
    expect(r.reports.items.length).toBeGreaterThan(0);
    expect(r.reports.consumableAlerts.length).toBeGreaterThan(0); // > 3 止血夹 with 胆囊切除
    expect(r.reports.budget.some((b) => b.granularity === 'year')).toBe(true);
    const [cases] = await store.query(`SELECT CAST(SUM(total_fen) AS BIGINT) AS s, COUNT(*) AS n FROM cost_case_results WHERE run_id = '2025:step-down:top-down'`);
    expect(Number(cases!.s)).toBe(r.caseCostFen);
    const [full] = await store.query(`SELECT CAST(SUM(full_fen) AS BIGINT) AS s FROM cost_department_results WHERE run_id = '2025:step-down:top-down' AND cost_category = 'clinical'`);
    expect(Number(full!.s)).toBe(r.allocatedCostFen);
    // reports
    const files = writeCostReports(r, dir);
    expect(files).toContain('departments.csv');
    expect(r.reports.doctors.reduce((a, d) => a + d.costFen, 0)).toBe(r.caseCostFen);
    expect(readFileSync(join(dir, 'drg-benefit.csv'), 'utf8').split('\n')[0]).toContain('marginFen');
    expect(readFileSync(join(dir, 'budget.csv'), 'utf8')).toContain('q1-annualised');
    const summary = costSummary(r);
    expect(summary).toMatchObject({ importedCostFen: r.importedCostFen, allocatedCostFen: r.allocatedCostFen, caseCostFen: r.caseCostFen, unassignedCostFen: r.unassignedCostFen });
    // re-running the period replaces its rows
    const audit = await runCostPeriod(store, { period: '2025', now: '2026-01-02T00:00:00' });
    expect(audit.deniedFen).toBe(777);
    expect(audit.denialsSource).toBe('audit run A1 (deduct, definite)');
    const [again] = await store.query(`SELECT COUNT(*) AS n FROM cost_case_results WHERE run_id = '2025:step-down:top-down'`);
    expect(Number(again!.n)).toBe(Number(cases!.n));
  });

  it('reconciles under every case method and the reciprocal allocation', async () => {
    for (const [allocationMethod, caseMethod] of [['step-down', 'bottom-up'], ['step-down', 'ccr'], ['reciprocal', 'top-down']] as const) {
      const r = await runCostPeriod(store, { period: '2025', now: 'x', allocationMethod, caseMethod });
      expect(r.allocatedCostFen, `${allocationMethod}/${caseMethod}`).toBe(r.importedCostFen);
      expect(r.caseCostFen + r.unassignedCostFen).toBe(r.allocatedCostFen);
      expect(r.reconciles).toBe(true);
    }
  });

  it('rejects a bad period and a bad denial amount with the field named', async () => {
    await expect(runCostPeriod(store, { period: '25', now: 'x' })).rejects.toThrow(/expected a year YYYY/);
    const dir = mkdtempSync(join(tmpdir(), 'cost-'));
    writeFileSync(join(dir, 'd.csv'), 'encounterId,amountFen\nE1,12.5\n');
    await expect(runCostPeriod(store, { period: '2025', now: 'x', denialsFile: join(dir, 'd.csv') })).rejects.toThrow(/d\.csv:2\.amountFen/);
  });
});

describe('medfund cost — the command line', () => {
  it('prints one JSON object whose totals reconcile and writes the reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-cli-'));
    const db = join(dir, 'm.duckdb');
    const store = await openStore({ db });
    await seed(store);
    await store.close();
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    try {
      await run(['node', 'medfund', 'cost', '--period', '2025', '--json', '--out', join(dir, 'r'), '--db', db]);
    } finally {
      spy.mockRestore();
    }
    const j = JSON.parse(out) as Record<string, number>;
    expect(j.importedCostFen).toBeGreaterThan(0);
    expect(j.importedCostFen).toBe(j.allocatedCostFen);
    expect(j.allocatedCostFen).toBe(j.caseCostFen! + j.unassignedCostFen!);
    expect(readFileSync(join(dir, 'r', 'departments.csv'), 'utf8')).toContain('消毒供应中心');
    expect(process.exitCode ?? 0).toBe(0);
  });
});
