/**
 * The API over a real (small) synthetic region after every engine's demo step: every dashboard
 * answers, every figure's drill-down rows add up to it, and a settlement simulation of a stored
 * encounter equals the settlement the engine stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STEPS } from '../cli/demo-steps/index.js';
import { importRegion } from '../ingest/index.js';
import { deriveKeys } from '../security/index.js';
import { openMemoryStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { writeRegion } from '../synth/index.js';
import { appServices, createApp } from './app.js';
import { makeServerConfig } from './config.js';
import { DEMO_PASSWORD, seedDemoUsers } from './seed.js';

let store: Store;
let app: ReturnType<typeof createApp>;
let dir: string;
const tokens = new Map<string, string>();
let inst = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'medfund-server-region-'));
  writeRegion(dir, { hospitals: 2, inpatients: 300, outpatients: 500, years: 1, seed: 11 });
  store = await openMemoryStore();
  const keys = deriveKeys(Buffer.alloc(32, 8), Buffer.from('region-test-key'));
  await importRegion(store, dir, { pseudonymKey: 'region-test-key' });
  for (const step of DEMO_STEPS) await step.run(store, { regionDir: dir, log: () => undefined });
  app = createApp({ store, config: makeServerConfig(keys, { webDist: join(dir, 'no-web') }) });
  const users = await seedDemoUsers(store, keys, new Date());
  inst = users.find((u) => u.username === 'officer')!.institutionId;
  for (const u of ['bureau', 'officer', 'accountant', 'head']) {
    const r = await app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: DEMO_PASSWORD }) });
    tokens.set(u, ((await r.json()) as { token: string }).token);
  }
});
afterAll(async () => {
  await appServices(app).audit.flush();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

type Drill = { path: string; query: Record<string, string> };
async function get<T>(user: string, path: string, query: Record<string, string> = {}): Promise<T> {
  const qs = new URLSearchParams({ ...query, limit: '500' }).toString();
  const res = await app.request(`${path}?${qs}`, { headers: { authorization: `Bearer ${tokens.get(user)!}` } });
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(200);
  return JSON.parse(text) as T;
}

describe('API over the demo region', () => {
  it('fund map: fund payments by month, budgets from clearing, cells equal their rows', async () => {
    const map = await get<{ spendingBasis: string; cells: { spendingFen: number; budgetFen: number | null; encounters: number; drill: Drill }[]; hotspots: { amountFen: number; violations: number; drill: Drill }[] }>('bureau', '/api/dashboards/fund-map', { year: '2025' });
    expect(map.spendingBasis).toBe('fund-payment');
    expect(map.cells.length).toBeGreaterThan(0);
    expect(map.cells.some((c) => c.budgetFen !== null && c.budgetFen > 0)).toBe(true);
    for (const c of map.cells.slice(0, 4)) {
      const rows = await get<{ rows: { spendingFen: number }[]; total: number; spendingFen: number }>('bureau', c.drill.path, c.drill.query);
      expect(rows.total).toBe(c.encounters);
      expect(rows.spendingFen).toBe(c.spendingFen);
    }
    expect(map.hotspots.length).toBeGreaterThan(0);
    const h = map.hotspots[0]!;
    const v = await get<{ total: number; amountFen: number }>('bureau', h.drill.path, h.drill.query);
    expect([v.total, v.amountFen]).toEqual([h.violations, h.amountFen]);
  });

  it('DRG board for the bureau and for a department head add up to their rows', async () => {
    for (const user of ['bureau', 'head']) {
      const b = await get<{ overall: { cases: number; marginFen: number; drill: Drill } }>(user, '/api/dashboards/drg-board');
      expect(b.overall.cases).toBeGreaterThan(0);
      const rows = await get<{ total: number; marginFen: number }>(user, b.overall.drill.path, b.overall.drill.query);
      expect([rows.total, rows.marginFen]).toEqual([b.overall.cases, b.overall.marginFen]);
    }
  });

  it('cost cockpit answers for the cost accountant', async () => {
    const c = await get<{ departments: unknown[]; budget: unknown[]; drgBenefit: unknown[] }>('accountant', '/api/dashboards/cost-cockpit', { year: '2025' });
    expect(c.departments.length).toBeGreaterThan(0);
    expect(c.drgBenefit.length).toBeGreaterThan(0);
  });

  it('settlement simulation of stored encounters equals the stored settlement to the fen', async () => {
    const stored = await store.query(`SELECT encounter_id, total_fen, fund_total_fen, patient_fen FROM settlement_results WHERE institution_id = $1 ORDER BY encounter_id LIMIT 15`, [inst]);
    expect(stored.length).toBeGreaterThan(0);
    for (const s of stored) {
      const res = await app.request('/api/settlement/simulate', { method: 'POST', headers: { authorization: `Bearer ${tokens.get('officer')!}`, 'content-type': 'application/json' }, body: JSON.stringify({ encounterId: s.encounter_id }) });
      const { result } = (await res.json()) as { result: { totalFen: number; fundTotalFen: number; patientFen: number } };
      expect([result.totalFen, result.fundTotalFen, result.patientFen]).toEqual([s.total_fen, s.fund_total_fen, s.patient_fen]);
    }
  });

  it('the audit queue, scores and data quality answer; the audit log stays intact', async () => {
    const v = await get<{ rows: { id: string }[] }>('officer', '/api/audit/violations');
    if (v.rows[0]) await get('officer', `/api/audit/violations/${v.rows[0].id}`);
    await get('bureau', '/api/audit/scores');
    await get('officer', '/api/quality');
    await appServices(app).audit.flush();
    const { verifyAuditLog } = await import('../security/index.js');
    expect((await verifyAuditLog(store, appServices(app).keys.auditKey)).ok).toBe(true);
  });
});
