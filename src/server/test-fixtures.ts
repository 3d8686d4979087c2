/**
 * A small synthetic cast for server tests (no real people): two hospitals (H1 三级, H2 二级), two
 * departments each, a few encounters with lines, catalog items, a quarantined row — plus one user
 * per role for each hospital and logged-in tokens, so tests skip scrypt on every request.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { createUser, deriveKeys, type Role, type UserInfo } from '../security/index.js';
import { createApp, appServices } from './app.js';
import { makeServerConfig } from './config.js';

export const FIXED_NOW = new Date('2025-06-30T08:00:00.000Z');
export const TEST_SECRET = Buffer.alloc(32, 7);

const L = `'test', 'fixture.csv', 1`;

export async function seedFixtureData(store: Store): Promise<void> {
  const stmts = [
    `INSERT INTO institutions VALUES ('H1', '示例市第一人民医院', '3', 'hospital', '320500', ${L}), ('H2', '示例县人民医院', '2', 'hospital', '320500', ${L})`,
    `INSERT INTO departments VALUES
      ('H1-D1', 'H1', '心血管内科', 'A03.04', 'clinical', '', 30, 800, 40, ${L}),
      ('H1-D2', 'H1', '普通外科', 'A04.01', 'clinical', '', 25, 700, 35, ${L}),
      ('H2-D1', 'H2', '内科', 'A03', 'clinical', '', 20, 500, 30, ${L}),
      ('H2-D2', 'H2', '外科', 'A04', 'clinical', '', 18, 450, 25, ${L})`,
    `INSERT INTO practitioners VALUES ('H1-DR1', 'H1', 'H1-D1', 'attending', ${L}), ('H2-DR1', 'H2', 'H2-D1', 'chief', ${L})`,
    `INSERT INTO persons VALUES ('p_aaaa', '1', '1960-03-01', 'resident', 'elderly', '320500', ${L}), ('p_bbbb', '2', '1990-07-15', 'resident', 'adult', '320500', ${L})`,
    `INSERT INTO catalog_items VALUES
      ('XC01AAA001', 1, '阿司匹林肠溶片', 'drug', 'A', '片', 50, 0, '', NULL, NULL, '', '', '', NULL, '2020-01-01', '9999-12-31', ${L}),
      ('001202000010000', 2, '住院诊查费', 'service', 'A', '日', 2000, 0, '', NULL, NULL, '', '', '', 1, '2020-01-01', '9999-12-31', ${L}),
      ('XG03AAA002', 3, '雌激素类药（限女性）', 'drug', 'B', '支', 3000, 100, '2', NULL, NULL, '', '', '', NULL, '2020-01-01', '9999-12-31', ${L})`,
    `INSERT INTO encounters VALUES
      ('E1', 'H1', 'H1-D1', 'p_aaaa', 'H1-DR1', 'inpatient', 'general', 'resident', '1', 65, 0, 0, '2025-03-01', '2025-03-08', '1', 7, 'I21.000|I10.x00', '', ${L}),
      ('E2', 'H1', 'H1-D2', 'p_bbbb', 'H1-DR1', 'inpatient', 'general', 'resident', '2', 34, 0, 0, '2025-04-02', '2025-04-05', '1', 3, 'K35.201|K38.900', '47.0900x001', ${L}),
      ('E3', 'H2', 'H2-D1', 'p_bbbb', 'H2-DR1', 'outpatient', 'general', 'resident', '2', 34, 0, 0, '2025-04-10', '2025-04-10', '1', 0, 'J00.x00', '', ${L})`,
    `INSERT INTO settlement_lines VALUES
      ('L1', 'E1', 'H1', '', 'XC01AAA001', 1, '阿司匹林肠溶片', 'drug', 'A', 14, 40, 560, 'H1-DR1', 'H1-D1', '2025-03-01T09:00:00', ${L}),
      ('L2', 'E1', 'H1', '', '001202000010000', 2, '住院诊查费', 'service', 'A', 7, 2000, 14000, 'H1-DR1', 'H1-D1', '2025-03-01T10:00:00', ${L}),
      ('L3', 'E2', 'H1', '', '001202000010000', 2, '住院诊查费', 'service', 'A', 3, 2000, 6000, 'H1-DR1', 'H1-D2', '2025-04-02T10:00:00', ${L}),
      ('L4', 'E3', 'H2', '', 'XC01AAA001', 1, '阿司匹林肠溶片', 'drug', 'A', 10, 40, 400, 'H2-DR1', 'H2-D1', '2025-04-10T09:00:00', ${L})`,
    `INSERT INTO department_costs VALUES
      ('H1', 'H1-D1', '2025-03', 'personnel', 500000, true, ${L}), ('H1', 'H1-D1', '2025-03', 'drugs', 120000, true, ${L}),
      ('H2', 'H2-D1', '2025-03', 'personnel', 300000, true, ${L})`,
    `INSERT INTO cases (case_id, violation_id, rule_id, rule_version, type, result_type, encounter_id, institution_id, department_id, doctor_id, amount_fen, state, opened_at, updated_at, deducted_fen, rectification_required, rectification_note, version) VALUES
      ('C1', 'V1', 'R-OVERFREQ', 1, 'over-frequency', 'violation', 'E1', 'H1', 'H1-D1', 'H1-DR1', 2000, 'open', '2025-04-01T00:00:00', '2025-04-01T00:00:00', 0, false, '', 0),
      ('C2', 'V2', 'R-OVERFREQ', 1, 'over-frequency', 'violation', 'E2', 'H1', 'H1-D2', 'H1-DR1', 2000, 'open', '2025-04-06T00:00:00', '2025-04-06T00:00:00', 0, false, '', 0),
      ('C3', 'V3', 'R-SEX', 1, 'sex-restricted', 'violation', 'E3', 'H2', 'H2-D1', 'H2-DR1', 400, 'open', '2025-04-11T00:00:00', '2025-04-11T00:00:00', 0, false, '', 0)`,
    `INSERT INTO violations VALUES
      ('V1', 'run1', 'R-OVERFREQ', 1, 'over-frequency', 'over-frequency', 'violation', 'deduct', '12', 'E1', 'H1', 'H1-D1', 'H1-DR1', 'L2', 2000, '住院诊查费超频次', '{"limit":1}', '2025-04-01T00:00:00'),
      ('V2', 'run1', 'R-OVERFREQ', 1, 'over-frequency', 'over-frequency', 'violation', 'deduct', '12', 'E2', 'H1', 'H1-D2', 'H1-DR1', 'L3', 2000, '住院诊查费超频次', '{"limit":1}', '2025-04-06T00:00:00'),
      ('V3', 'run1', 'R-SEX', 1, 'sex-restricted', 'sex-restricted', 'violation', 'deduct', '3', 'E3', 'H2', 'H2-D1', 'H2-DR1', 'L4', 400, '限性别', '{}', '2025-04-11T00:00:00')`,
    `INSERT INTO cost_runs VALUES ('2025:step-down:top-down', 'H1', '2025', 'step-down', 'top-down', 'v1', 620000, 620000, 0, 20560, 0, 2, '2025-06-01T00:00:00'),
      ('2025:step-down:top-down', 'H2', '2025', 'step-down', 'top-down', 'v1', 300000, 300000, 0, 400, 0, 1, '2025-06-01T00:00:00')`,
    `INSERT INTO cost_department_results VALUES
      ('2025:step-down:top-down', 'H1', 'H1-D1', 'clinical', 'personnel', 500000, 0, 0, 0, 0, 500000),
      ('2025:step-down:top-down', 'H1', 'H1-D2', 'clinical', 'drugs', 120000, 0, 0, 0, 0, 120000),
      ('2025:step-down:top-down', 'H2', 'H2-D1', 'clinical', 'personnel', 300000, 0, 0, 0, 0, 300000)`,
    `INSERT INTO cost_budget_results VALUES
      ('2025:step-down:top-down', 'H1', 'H1-D1', 'personnel', '2025-03', 'month', 450000, 500000, 50000, NULL, 'over', 'derived'),
      ('2025:step-down:top-down', 'H1', 'H1-D2', 'drugs', '2025-03', 'month', 130000, 120000, -10000, NULL, 'ok', 'derived'),
      ('2025:step-down:top-down', 'H2', 'H2-D1', 'personnel', '2025-03', 'month', 290000, 300000, 10000, NULL, 'ok', 'derived')`,
    `INSERT INTO cost_drg_benefit VALUES
      ('2025:step-down:top-down', 'drg', 'H1', 'FM19', 'FM19', 1, 14560, 1600000, 0, 1585440, 0.99),
      ('2025:step-down:top-down', 'department', 'H1', 'H1-D1', 'FM19', 1, 14560, 1600000, 0, 1585440, 0.99),
      ('2025:step-down:top-down', 'department', 'H1', 'H1-D2', 'GE19', 1, 6000, 800000, 0, 794000, 0.99),
      ('2025:step-down:top-down', 'drg', 'H2', 'GE19', 'GE19', 1, 400, 800000, 0, 799600, 0.99)`,
    `INSERT INTO cost_case_results VALUES
      ('2025:step-down:top-down', 'E1', 'H1', 'H1-D1', 'H1-DR1', 'inpatient', 'FM19', 560, 0, 14000, 14560, 1600000, 0),
      ('2025:step-down:top-down', 'E2', 'H1', 'H1-D2', 'H1-DR1', 'inpatient', 'GE19', 0, 0, 6000, 6000, 800000, 0),
      ('2025:step-down:top-down', 'E3', 'H2', 'H2-D1', 'H2-DR1', 'outpatient', 'GE19', 400, 0, 0, 400, 800000, 0)`,
    `INSERT INTO drg_weights VALUES ('chs-drg-2.0', 'GE19', 0.8, 120, 115, 800000, 5.0, 0.4, 'v1'), ('chs-drg-2.0', 'FM19', 1.6, 80, 77, 1600000, 8.0, 0.5, 'v1')`,
    `INSERT INTO drg_rates VALUES ('chs-drg-2.0', 'v1', 1000000, 200000000, 200.0, 200, 190000000)`,
    `INSERT INTO drg_results VALUES
      ('E1', 'chs-drg-2.0', 'H1', 'H1-D1', 'H1-DR1', '2025-03-08', 'SUCCESS', 'MDCF', 'FM1', 'FM19', 1.6, 1600000, 1600000, 'normal', 14560, 1585440, 7, 'demo-2025'),
      ('E2', 'chs-drg-2.0', 'H1', 'H1-D2', 'H1-DR1', '2025-04-05', 'SUCCESS', 'MDCG', 'GE1', 'GE19', 0.8, 800000, 800000, 'normal', 6000, 794000, 3, 'demo-2025'),
      ('E3', 'chs-drg-2.0', 'H2', 'H2-D1', 'H2-DR1', '2025-04-10', 'SUCCESS', 'MDCG', 'GE1', 'GE19', 0.8, 800000, 800000, 'normal', 400, 799600, 1, 'demo-2025')`,
    `INSERT INTO quarantine VALUES ('test', 'persons', 'persons.csv', 7, 'H1', '{"idNumber":"110101199003077777","sex":"3"}', '[{"severity":"error","code":"invalid-enum","path":"sex","message":"sex must be 1 or 2"}]', 'invalid-enum', 0)`,
  ];
  for (const s of stmts) await store.exec(s);
}

export interface TestUser {
  readonly user: UserInfo;
  readonly token: string;
}

/** Users per role: `<role>@H1`, `<role>@H2` for hospital roles, `<role>` for region-wide ones. */
export async function openTestStore(): Promise<Store> {
  return openMemoryStore();
}

export async function makeTestApp(opts: { store?: Store } = {}) {
  const store = opts.store ?? (await openTestStore());
  await seedFixtureData(store);
  const keys = deriveKeys(TEST_SECRET);
  // an import root with one small region directory (a new institution H9) for the import routes
  const importRoot = mkdtempSync(join(tmpdir(), 'medfund-import-root-'));
  mkdirSync(join(importRoot, 'region'));
  writeFileSync(join(importRoot, 'region', 'institutions.csv'), 'id,name,level,kind,regionCode\nH9,示例镇卫生院,1,primary-care,320500\n');
  const config = makeServerConfig(keys, { webDist: '.tmp/no-such-web-dist', importRoot });
  const app = createApp({ store, config, clock: () => FIXED_NOW });
  const services = appServices(app);
  const users = new Map<string, TestUser>();
  const add = async (key: string, role: Role, institutionId = '', departmentId = '') => {
    const user = await createUser(store, keys, { username: key.toLowerCase().replace(/[^a-z0-9]/g, '-'), password: 'test-password-1', role, institutionId, departmentId }, FIXED_NOW, { scrypt: { N: 1024, r: 8, p: 1 } });
    const { token } = await services.sessions.create(user);
    users.set(key, { user, token });
  };
  await add('bureau-auditor', 'bureau-auditor');
  await add('admin', 'admin');
  for (const h of ['H1', 'H2']) {
    await add(`hospital-insurance-officer@${h}`, 'hospital-insurance-officer', h);
    await add(`cost-accountant@${h}`, 'cost-accountant', h);
    await add(`department-head@${h}`, 'department-head', h, `${h}-D1`);
    await add(`doctor@${h}`, 'doctor', h, `${h}-D1`);
  }
  const request = (path: string, init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    return app.request(path, { method: init.method ?? 'GET', headers, ...(body !== undefined ? { body } : {}) });
  };
  return { store, keys, config, app, services, users, request, close: async () => { await services.audit.flush(); await store.close(); rmSync(importRoot, { recursive: true, force: true }); } };
}
