/**
 * Browser acceptance test of the web application: Debian's Chromium (playwright-core) against the
 * real server on a free port over a store holding a small generated region. Logs in, opens every
 * page, drills down from a chart, and checks the figures shown equal the API's. Screenshots are kept
 * under test-results/screenshots/ as artifacts.
 *
 * A page whose engine route the server does not offer yet must show the "not available yet" state
 * (and the test checks the API really lacks it), never figures.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COST_ITEMS, formatYuan } from '../../src/domain/index.js';
import { launchChromium, type Browser } from './browser.js';
import { ensureWebBuild, ROOT } from './build.js';
import { seedRegion } from './region.js';
import { startServer, type RunningServer } from './server.js';

const SHOTS = join(ROOT, 'test-results/screenshots');
const PASSWORD = 'medfund-demo';

/** The page's own money format: "¥1,234.56" from integer fen (exact, via the domain's formatYuan). */
function money(fen: number): string {
  const s = formatYuan(fen);
  const neg = s.startsWith('-');
  const [i, d] = (neg ? s.slice(1) : s).split('.');
  return `${neg ? '-' : ''}¥${i!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${d}`;
}
const count = (n: number) => n.toLocaleString('zh-CN');

interface Drill {
  path: string;
  query?: Record<string, unknown>;
}
interface List<R = Record<string, unknown>> {
  rows: R[];
  total?: number;
}

let server: RunningServer;
let browser: Browser;
let page: Page;
let regionDir: string;
let shot = 0;
const tokens = new Map<string, string>();
let openapiPaths: Record<string, Record<string, unknown>> = {};

async function token(user: string): Promise<string> {
  let t = tokens.get(user);
  if (!t) {
    t = await server.login(user, PASSWORD);
    tokens.set(user, t);
  }
  return t;
}

async function api<T>(user: string, path: string, query?: Record<string, unknown>, body?: unknown): Promise<{ status: number; body: T }> {
  return server.api<T>(await token(user), path, { query, ...(body !== undefined ? { method: 'POST', body } : {}) });
}

/** Does the server offer this route with a working engine? (OpenAPI lists it and it does not answer 503.) */
async function offered(user: string, method: 'get' | 'post', path: string, query?: Record<string, unknown>, body?: unknown): Promise<boolean> {
  if (!openapiPaths[path]?.[method]) return false;
  const r = await api<{ error?: { code?: string } }>(user, path, query, method === 'post' ? (body ?? {}) : undefined);
  return !(r.status === 503 && r.body.error?.code === 'engine-unavailable');
}

async function screenshot(name: string): Promise<void> {
  shot += 1;
  await page.screenshot({ path: join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

async function login(user: string): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-username').fill(user);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-role').waitFor();
}

async function logout(): Promise<void> {
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
}

/** Open a page from the navigation and wait until it has settled: figures, "not available" or error. */
async function open(id: string): Promise<'ok' | 'unavailable' | 'error'> {
  await page.getByTestId(`nav-${id}`).click();
  await page.locator(`main[data-page="${id}"]`).waitFor();
  // a string expression: it runs in the page (the test's own tsconfig has no DOM types)
  await page.waitForFunction(`!document.querySelector('[data-testid="loading"]')`, undefined, { timeout: 30_000 });
  if (await page.getByTestId('not-available').count()) return 'unavailable';
  if (await page.getByTestId('error').count()) return 'error';
  return 'ok';
}

async function text(testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().innerText()).trim();
}

/**
 * Click the drawn item `dataIndex` of series `seriesIndex` in a chart, as a person would: the point
 * is found from the chart's own layout, then the mouse clicks the canvas there.
 */
async function clickChartItem(testId: string, dataIndex: number, seriesIndex = 0): Promise<void> {
  const chart = page.getByTestId(testId);
  await chart.scrollIntoViewIfNeeded();
  const pt = await chart.evaluate(
    (el, [s, i]) => {
      const inst = (el as unknown as { __echarts: { getModel(): { getSeriesByIndex(n: number): { getData(): { getItemLayout(n: number): unknown } } } } }).__echarts;
      const layout = inst.getModel().getSeriesByIndex(s!).getData().getItemLayout(i!) as { x: number; y: number; width: number; height: number } | number[];
      if (Array.isArray(layout)) return { x: layout[0]!, y: layout[1]! };
      return { x: layout.x + layout.width / 2, y: layout.y + layout.height / 2 };
    },
    [seriesIndex, dataIndex],
  );
  const box = await chart.boundingBox();
  if (!box) throw new Error(`${testId} is not visible`);
  await page.mouse.click(box.x + pt.x, box.y + pt.y);
}

/** After a drill-down click: the rows table shows exactly the rows the API returns for that figure. */
async function expectDrillMatches(user: string, drill: Drill): Promise<number> {
  await page.getByTestId('drill').waitFor();
  await page.getByTestId('drill-table').waitFor({ timeout: 30_000 });
  const expected = await api<List>(user, drill.path, { limit: 500, ...(drill.query ?? {}) });
  expect(expected.status).toBe(200);
  const shown = Number(await page.getByTestId('drill-table-count').getAttribute('data-count'));
  expect(shown).toBe(expected.body.total ?? expected.body.rows.length);
  return shown;
}

beforeAll(async () => {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  regionDir = mkdtempSync(join(tmpdir(), 'medfund-e2e-web-'));
  const t0 = performance.now();
  const built = await ensureWebBuild();
  process.stdout.write(`web build: ${built} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  const t1 = performance.now();
  server = await startServer(async (store) => {
    const lines = await seedRegion(store, regionDir);
    process.stdout.write(`region ready in ${((performance.now() - t1) / 1000).toFixed(1)} s:\n  ${lines.join('\n  ')}\n`);
  });
  openapiPaths = ((await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: typeof openapiPaths }).paths;
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
  // a server fault behind a page is worth seeing even when the page copes with it
  page.on('response', (r) => {
    if (r.status() >= 500) process.stderr.write(`server answered ${r.status()} to ${r.request().method()} ${r.url()}\n`);
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (regionDir) rmSync(regionDir, { recursive: true, force: true });
});

describe('web application in Chromium', () => {
  test('login page: Chinese first, English toggle, wrong password refused, then sign in', async () => {
    await page.goto(`${server.url}/`);
    await page.getByTestId('login-form').waitFor();
    expect(await page.locator('h1').innerText()).toBe('登录医保基金监管平台');
    await screenshot('login-zh');
    await page.getByTestId('lang-toggle').click();
    expect(await page.locator('h1').innerText()).toBe('Sign in to MedFund');
    await screenshot('login-en');
    await page.getByTestId('lang-toggle').click();

    await page.getByTestId('login-username').fill('bureau');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();

    await login('bureau');
    expect(await text('user-role')).toBe('医保局审核员');
  });

  test('data quality: totals equal the API, a reason bar drills down to its quarantined rows', async () => {
    expect(await open('quality')).toBe('ok');
    const q = await api<{ totals: Record<string, number>; byReason: { rows: number; amountFen: number; drill: Drill }[] }>('bureau', '/api/quality');
    expect(q.status).toBe(200);
    for (const [k, v] of Object.entries(q.body.totals)) {
      expect(await text(`total-${k}-value`)).toBe(/Fen$/.test(k) ? money(v) : count(v));
    }
    await screenshot('quality');
    if (q.body.byReason.length > 0) {
      // the page sorts reasons by rows, largest first — the same order the API sends
      const sorted = [...q.body.byReason].sort((a, b) => b.rows - a.rows);
      await clickChartItem('chart-quarantine', 0);
      const n = await expectDrillMatches('bureau', sorted[0]!.drill);
      expect(n).toBe(sorted[0]!.rows);
      await screenshot('quality-drill');
    }
  });

  test('fund operation map: totals equal the API, a month bar drills down to its encounters', async () => {
    const state = await open('fund-map');
    if (!(await offered('bureau', 'get', '/api/dashboards/fund-map', { year: '2025' }))) {
      expect(state).toBe('unavailable');
      await screenshot('fund-map-not-available');
      return;
    }
    expect(state).toBe('ok');
    const year = await page.getByTestId('year').inputValue();
    interface Cell { institutionId: string; month: string; spendingFen: number; drill: Drill }
    const d = await api<{ institutions: { id: string; annualBudgetFen?: number | null }[]; months: string[]; cells: Cell[]; hotspots: { violations: number; amountFen: number }[] }>('bureau', '/api/dashboards/fund-map', { year });
    expect(d.status).toBe(200);
    expect(d.body.cells.length).toBeGreaterThan(0);
    expect(await text('kpi-spending-value')).toBe(money(d.body.cells.reduce((s, c) => s + c.spendingFen, 0)));
    const shownInsts = d.body.institutions.filter((i) => d.body.cells.some((c) => c.institutionId === i.id));
    if (shownInsts.every((i) => typeof i.annualBudgetFen === 'number')) {
      expect(await text('kpi-budget-value')).toBe(money(shownInsts.reduce((s, i) => s + i.annualBudgetFen!, 0)));
    } else {
      expect(await text('kpi-budget-value')).toBe('未加载预算');
    }
    expect(await text('kpi-violations-value')).toBe(count(d.body.hotspots.reduce((s, h) => s + h.violations, 0)));
    expect(await text('kpi-violation-amount-value')).toBe(money(d.body.hotspots.reduce((s, h) => s + h.amountFen, 0)));
    await screenshot('fund-map');
    // the stacked month chart has one series per institution with cells, in the API's order
    const insts = d.body.institutions.filter((i) => d.body.cells.some((c) => c.institutionId === i.id));
    const cell = [...d.body.cells].sort((a, b) => b.spendingFen - a.spendingFen)[0]!;
    await clickChartItem('chart-monthly', d.body.months.indexOf(cell.month), insts.findIndex((i) => i.id === cell.institutionId));
    await expectDrillMatches('bureau', cell.drill);
    await screenshot('fund-map-drill');
  });

  test('DRG board: CMI and indices equal the API, a DRG bar drills down to its cases', async () => {
    const state = await open('drg');
    if (!(await offered('bureau', 'get', '/api/dashboards/drg-board'))) {
      expect(state).toBe('unavailable');
      await screenshot('drg-not-available');
      return;
    }
    expect(state).toBe('ok');
    interface Overall { cases: number; drgCount: number; cmi: number; costIndex: number; timeIndex: number; paymentFen: number; costFen: number; marginFen: number; drill: Drill }
    const d = await api<{ overall: Overall; byDrg: { marginFen: number; drill: Drill }[] }>('bureau', '/api/dashboards/drg-board');
    expect(d.status).toBe(200);
    const o = d.body.overall;
    expect(await text('kpi-cases-value')).toBe(count(o.cases));
    expect(await text('kpi-groups-value')).toBe(count(o.drgCount));
    expect(await text('kpi-cmi-value')).toBe(o.cmi.toFixed(4));
    expect(await text('kpi-cost-index-value')).toBe(o.costIndex.toFixed(4));
    expect(await text('kpi-time-index-value')).toBe(o.timeIndex.toFixed(4));
    expect(await text('kpi-margin-value')).toBe(money(o.marginFen));
    await screenshot('drg');
    // the first bar is the API's first DRG: the largest loss
    expect(d.body.byDrg.length).toBeGreaterThan(0);
    await clickChartItem('chart-drg-margin', 0);
    await expectDrillMatches('bureau', d.body.byDrg[0]!.drill);
    await screenshot('drg-drill');
  });

  test('audit work queue: counts equal the API, a type bar filters the queue, a case opens its evidence', async () => {
    const state = await open('audit');
    if (!(await offered('bureau', 'get', '/api/audit/cases'))) {
      expect(state).toBe('unavailable');
      await screenshot('audit-not-available');
      return;
    }
    expect(state).toBe('ok');
    type CaseList = List<{ caseId: string; type: string; amountFen: number }> & { amountFen: number };
    const all = await api<CaseList>('bureau', '/api/audit/cases', { limit: 1 });
    expect(await text('kpi-findings-value')).toBe(count(all.body.total!));
    expect(await text('kpi-findings-amount-value')).toBe(money(all.body.amountFen));
    if (openapiPaths['/api/audit/scores']) {
      const scores = await api<List>('bureau', '/api/audit/scores', { level: 'hospital' });
      await page.getByTestId('scores-table').waitFor();
      expect(Number(await page.getByTestId('scores-table-count').getAttribute('data-count'))).toBe(scores.body.rows.length);
    }
    await screenshot('audit');
    if (all.body.total! > 0) {
      // bars are types by case count (ties by name), as the API's rows count them; the first bar
      // with a type (cases without one cannot be filtered by type) must filter the queue to its cases
      const counts = new Map<string, number>();
      for (let offset = 0; offset < all.body.total!; offset += 500) {
        for (const r of (await api<CaseList>('bureau', '/api/audit/cases', { limit: 500, offset })).body.rows) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
      }
      const bars = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const index = bars.findIndex(([ty]) => ty !== '');
      expect(index).toBeGreaterThanOrEqual(0);
      const [type, n] = bars[index]!;
      await clickChartItem('chart-types', index);
      await page.getByTestId('clear-type').waitFor();
      await page.waitForFunction(`document.querySelector('[data-testid="findings-table-count"]')?.dataset.count === '${n}'`, undefined, { timeout: 10_000 });
      const filtered = await api<CaseList>('bureau', '/api/audit/cases', { type, limit: 1 });
      expect(filtered.body.total).toBe(n);
      await page.getByTestId('findings-table-row').first().click();
      await page.getByTestId('case-amount').waitFor({ timeout: 30_000 });
      await screenshot('audit-evidence');
    }
  });

  test('audit workflow in the browser: the bureau notifies, the hospital appeals, the bureau decides', async () => {
    const hasActions = Object.keys(openapiPaths).some((p) => /^\/api\/audit\/cases\/[:{]id\}?\/actions$/.test(p));
    if (!hasActions) return; // the queue test above already checked the read side
    const officerInst = (await api<{ user: { institutionId: string } }>('officer', '/api/auth/me')).body.user.institutionId;
    const openCases = await api<List<{ caseId: string }>>('bureau', '/api/audit/cases', { institutionId: officerInst, state: 'open', limit: 1 });
    const anyCase = await api<List>('bureau', '/api/audit/cases', { limit: 1 });
    if (!anyCase.body.total) return; // no audit results in this region (audit step not run): nothing to walk through
    // the generated region has violations at every hospital, so the officer's has an open case
    const caseId = openCases.body.rows[0]?.caseId;
    expect(caseId).toBeDefined();
    if (!caseId) return;
    const goToCase = async () => {
      await page.goto(`${server.url}/#/audit?case=${encodeURIComponent(caseId)}`);
      await page.getByTestId('case-state').waitFor({ timeout: 30_000 });
    };
    const stateIs = (st: string) => page.waitForSelector(`[data-testid="case-state"][data-state="${st}"]`, { timeout: 30_000 });

    await goToCase();
    await stateIs('open');
    await page.getByTestId('act-notify').click();
    await stateIs('notified');

    await logout();
    await login('officer');
    await goToCase();
    await page.getByTestId('case-note').fill('病历已记载用药指征，附医嘱单。Indication documented in the record.');
    await page.getByTestId('act-appeal').click();
    await stateIs('appealed');
    await screenshot('audit-appealed');

    await logout();
    await login('bureau');
    await goToCase();
    await page.getByTestId('case-note').fill('复核后维持扣款。Upheld after review.');
    await page.getByTestId('act-deduct').click();
    await stateIs('deducted');
    await screenshot('audit-decided');
    const detail = await api<{ case: { state: string; appealReason: string }; events: { toState: string }[] }>('bureau', `/api/audit/cases/${encodeURIComponent(caseId)}`);
    expect(detail.body.case.state).toBe('deducted');
    expect(detail.body.events.map((e) => e.toState)).toEqual(['notified', 'appealed', 'deducted']);
    expect(Number(await page.getByTestId('history-table-count').getAttribute('data-count'))).toBe(3);
  });

  test('pre-order check: every ordered item gets a decision from the API', async () => {
    const state = await open('precheck');
    if (!(await offered('bureau', 'post', '/api/audit/check'))) {
      expect(state).toBe('unavailable');
      await screenshot('precheck-not-available');
      return;
    }
    expect(state).toBe('ok');
    await page.getByTestId('encounter-select').selectOption({ index: 1 });
    await page.waitForFunction(`document.querySelector('[data-testid="precheck-items"]')?.value.length > 0`);
    const items = (await page.getByTestId('precheck-items').inputValue()).split('\n').filter((l) => l.trim());
    await page.getByTestId('precheck-submit').click();
    await page.locator('[data-testid="precheck-result"], [data-testid="precheck-error"]').first().waitFor({ timeout: 30_000 });
    await screenshot('precheck');
    expect(await page.getByTestId('precheck-error').count()).toBe(0);
    expect(Number(await page.getByTestId('precheck-lines-table-count').getAttribute('data-count'))).toBe(items.length);
  });

  test('settlement simulator: every share shown equals the API answer for the same encounter', async () => {
    const state = await open('settle');
    if (!(await offered('bureau', 'post', '/api/settlement/simulate'))) {
      expect(state).toBe('unavailable');
      await screenshot('settle-not-available');
      return;
    }
    expect(state).toBe('ok');
    await page.getByTestId('encounter-select').selectOption({ index: 1 });
    const encounterId = await page.getByTestId('encounter-select').inputValue();
    await page.getByTestId('settle-submit').click();
    await page.locator('[data-testid="settle-result"], [data-testid="settle-error"]').first().waitFor({ timeout: 30_000 });
    await screenshot('settle');
    const r = await api<{ result: Record<string, unknown> }>('bureau', '/api/settlement/simulate', undefined, { encounterId });
    if (r.status !== 200) {
      // the engine refused this encounter (e.g. no policy in force): the page must say so, not invent figures
      expect(await page.getByTestId('settle-error').count()).toBe(1);
      return;
    }
    expect(await page.getByTestId('settle-error').count()).toBe(0);
    for (const k of ['totalFen', 'fundTotalFen', 'fundFen', 'tier2Fen', 'assistanceFen', 'patientFen', 'accountFen', 'cashFen']) {
      expect(await text(`settlement-${k}-value`)).toBe(money(r.body.result[k] as number));
    }
  });

  test('cost cockpit (cost accountant): totals equal the API, a department bar drills down', async () => {
    await logout();
    await login('accountant');
    expect(await text('user-role')).toBe('成本会计');
    const state = await open('cost');
    if (!(await offered('accountant', 'get', '/api/dashboards/cost-cockpit'))) {
      expect(state).toBe('unavailable');
      await screenshot('cost-not-available');
      return;
    }
    expect(state).toBe('ok');
    const year = await page.getByTestId('year').inputValue();
    interface Item { departmentId: string; costItem: string; directFen: number; fullFen: number; drill: Drill }
    const d = await api<{ departments: Item[]; budget: { budgetFen: number; actualFen: number }[]; drgBenefit: { marginFen: number }[] }>('accountant', '/api/dashboards/cost-cockpit', { year });
    expect(d.status).toBe(200);
    const sum = <T,>(rows: T[], f: (r: T) => number) => rows.reduce((s, r) => s + f(r), 0);
    expect(await text('kpi-total-cost-value')).toBe(money(sum(d.body.departments, (r) => r.fullFen)));
    expect(await text('kpi-direct-value')).toBe(money(sum(d.body.departments, (r) => r.directFen)));
    expect(await text('kpi-budget-value')).toBe(money(sum(d.body.budget, (r) => r.budgetFen)));
    expect(await text('kpi-actual-value')).toBe(money(sum(d.body.budget, (r) => r.actualFen)));
    expect(await text('kpi-drg-margin-value')).toBe(money(sum(d.body.drgBenefit, (r) => r.marginFen)));
    await screenshot('cost');
    // the structure chart: departments by full cost (largest first), one stacked series per cost item
    const full = new Map<string, number>();
    for (const r of d.body.departments) full.set(r.departmentId, (full.get(r.departmentId) ?? 0) + r.fullFen);
    const top = [...full.entries()].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])[0]![0];
    const present = COST_ITEMS.filter((k) => d.body.departments.some((r) => r.costItem === k && r.fullFen > 0 && (full.get(r.departmentId) ?? 0) > 0));
    const topItems = d.body.departments.filter((r) => r.departmentId === top);
    const biggest = topItems.sort((a, b) => b.fullFen - a.fullFen)[0]!;
    await clickChartItem('chart-cost-structure', 0, present.indexOf(biggest.costItem as (typeof COST_ITEMS)[number]));
    await expectDrillMatches('accountant', biggest.drill);
    await screenshot('cost-drill');
  });

  test('doctor workstation: only the doctor pages, a typed order gets the same decision as the API gives', async () => {
    await logout();
    await login('doctor');
    expect(await text('user-role')).toBe('医生');
    expect(await page.locator('[data-testid^="nav-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['nav-precheck', 'nav-settle']);
    const state = await open('precheck');
    if (!(await offered('doctor', 'post', '/api/audit/check'))) {
      expect(state).toBe('unavailable');
      return;
    }
    expect(state).toBe('ok');
    // doctors may not list encounters: the order is typed, as at the workstation
    expect(await page.getByTestId('encounter-select').count()).toBe(0);
    const me = await api<{ user: { institutionId: string; departmentId: string } }>('doctor', '/api/auth/me');
    const item = (await api<List<{ code: string }>>('doctor', '/api/catalog', { category: 'drug', limit: 1 })).body.rows[0]!;
    // the diagnoses of a real stay at the doctor's hospital (read as the bureau: doctors cannot list stays)
    const stay = (await api<List<{ diagnoses: string[] }>>('bureau', '/api/encounters', { institutionId: me.body.user.institutionId, kind: 'inpatient', limit: 1 })).body.rows[0]!;
    const dx = stay.diagnoses;
    await page.getByTestId('precheck-diagnoses').fill(dx.join(', '));
    await page.getByTestId('precheck-items').fill(`${item.code}, 2`);
    await page.getByTestId('precheck-submit').click();
    await page.locator('[data-testid="precheck-result"], [data-testid="precheck-error"]').first().waitFor({ timeout: 30_000 });
    await screenshot('doctor-precheck');
    expect(await page.getByTestId('precheck-error').count()).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const expected = await api<{ decision: string }>('doctor', '/api/audit/check', undefined, {
      patient: { sex: '1', ageYears: 45 },
      encounter: {
        kind: 'inpatient', institutionId: me.body.user.institutionId, departmentId: me.body.user.departmentId,
        doctorId: 'doctor', admitDate: today, diagnoses: dx,
      },
      order: { itemCode: item.code, quantity: 2, at: `${today}T09:00:00` },
    });
    expect(expected.status).toBe(200);
    expect(await page.locator('[data-decision]').first().getAttribute('data-decision')).toBe(expected.body.decision);

    // DRG prediction for the same stay: 3 days, ¥5,000.00 so far — the figures shown are the API's
    if (openapiPaths['/api/drg/predict']) {
      await page.getByTestId('predict-days').fill('3');
      await page.getByTestId('predict-cost').fill('5000');
      await page.getByTestId('predict-submit').click();
      await page.locator('[data-testid="predict-result"], [data-testid="predict-error"]').first().waitFor({ timeout: 30_000 });
      await screenshot('doctor-drg-predict');
      const p = await api<{ prediction: { group: { drg: string; status: string }; projectedMarginFen: number; standardPaymentFen: number } }>('doctor', '/api/drg/predict', undefined, {
        sex: '1', ageYears: 45, losDays: 3, dischargeDate: today, diagnoses: dx, procedures: [], costSoFarFen: 500_000, daysSoFar: 3,
      });
      if (p.status !== 200) {
        expect(await page.getByTestId('predict-error').count()).toBe(1); // e.g. no weights stored: said, not invented
      } else {
        expect(await text('predict-drg-value')).toBe(p.body.prediction.group.drg || p.body.prediction.group.status);
        expect(await text('predict-standard-value')).toBe(money(p.body.prediction.standardPaymentFen));
        expect(await text('predict-margin-value')).toBe(money(p.body.prediction.projectedMarginFen));
      }
    }
  });

  test('department head: the DRG board holds only their own department', async () => {
    await logout();
    await login('head');
    const state = await open('drg');
    if (!(await offered('head', 'get', '/api/dashboards/drg-board'))) {
      expect(state).toBe('unavailable');
      return;
    }
    expect(state).toBe('ok');
    const me = await api<{ user: { departmentId: string } }>('head', '/api/auth/me');
    const d = await api<{ byDepartment: { departmentId: string }[] }>('head', '/api/dashboards/drg-board');
    expect(d.body.byDepartment.every((r) => r.departmentId === me.body.user.departmentId)).toBe(true);
    expect(Number(await page.getByTestId('dept-table-count').getAttribute('data-count'))).toBe(d.body.byDepartment.length);
    await screenshot('head-drg');
  });

  test('a hospital officer sees only their own institution, in English too', async () => {
    await logout();
    await login('officer');
    expect(await open('quality')).toBe('ok');
    const inst = await api<List<{ id: string }>>('officer', '/api/institutions');
    expect(inst.body.rows.length).toBe(1);
    expect(await page.getByTestId('institution-fixed').count()).toBe(1);
    await page.getByTestId('lang-toggle').click();
    expect(await text('page-title')).toBe('Data quality');
    await screenshot('officer-quality-en');
    await page.getByTestId('lang-toggle').click();
  });
});
