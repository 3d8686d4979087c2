/**
 * Settlement over the imported region: settles every encounter in date order with per-person
 * year-to-date accumulators (Store.streamEncounters + the lines of each batch), stores one row per
 * encounter in settlement_results, then clears the last year per institution (global budget with
 * monthly pre-payment), allocates each hospital's budget to departments from its history and raises
 * monitoring alerts. Used by the demo step and by `medfund clear` / `medfund stats`.
 */
import type { CatalogItem, Encounter, Fen, InstitutionLevel, PersonType } from '../../domain/index.js';
import type { SqlValue, Store } from '../../store/store.js';
import {
  allocateToDepartments, clearGlobalBudget, clearPerVisitQuota, monitorDepartments, selectPolicy, settle,
} from '../../settlement/index.js';
import type { Alert, CatalogEntry, LineInput, Policy, SharingRule, YearToDate } from '../../settlement/index.js';
import { loadPolicies } from '../../settlement/load.js';
import type { DemoStep } from './types.js';

import { STAND_IN_POLICIES } from '../../settlement/index.js';
/** unit price at or above which a drug line counts as expensive (高价药) for monitoring: 500 元 */
export const EXPENSIVE_DRUG_UNIT_PRICE_FEN = 50_000;

const RESULT_COLUMNS = [
  'run_id', 'encounter_id', 'person_id', 'institution_id', 'department_id', 'doctor_id', 'kind', 'scheme', 'person_type', 'policy_id', 'path',
  'discharge_date', 'month', 'los_days', 'discharge_type', 'total_fen', 'full_self_pay_fen', 'over_limit_fen', 'pre_self_pay_fen', 'in_scope_fen',
  'deductible_fen', 'co_pay_fen', 'above_cap_fen', 'fund_fen', 'tier2_fen', 'assistance_fen', 'fund_total_fen', 'patient_fen', 'account_fen',
  'cash_fen', 'drug_fen', 'consumable_fen', 'service_fen', 'facility_fen', 'expensive_drug_fen', 'issue_codes',
] as const;

export interface SettleStoreSummary {
  readonly runId: string;
  readonly encounters: number;
  readonly totalFen: Fen;
  readonly fundFen: Fen;
  readonly tier2Fen: Fen;
  readonly assistanceFen: Fen;
  readonly patientFen: Fen;
  readonly standIn: number;
  readonly issues: ReadonlyMap<string, number>;
  readonly policyIds: readonly string[];
}

/** Settle every encounter in the store (idempotent per runId). */
export async function settleStore(store: Store, opts: { runId?: string; policies?: readonly Policy[]; log?: (s: string) => void } = {}): Promise<SettleStoreSummary> {
  const runId = opts.runId ?? 'default';
  const policies = opts.policies ?? loadPolicies();
  const byId = new Map(policies.map((p) => [p.id, p]));
  const institutions = new Map((await store.listInstitutions()).map((i) => [i.id, i]));
  const personTypes = new Map((await store.query<{ id: string; person_type: string }>('SELECT id, person_type FROM persons')).map((r) => [r.id, r.person_type as PersonType]));
  const catalog = new Map<string, CatalogItem>((await store.listCatalog()).map((c) => [c.code, c]));
  const lookup = (code: string): CatalogEntry | undefined => catalog.get(code);
  await store.exec('DELETE FROM settlement_results WHERE run_id = $1', [runId]);
  await store.exec('DELETE FROM settlement_runs WHERE run_id = $1', [runId]);

  const ytd = new Map<string, YearToDate>();
  const issues = new Map<string, number>();
  const used = new Set<string>();
  let n = 0, total = 0, fund = 0, tier2 = 0, assist = 0, patient = 0, standIn = 0;
  for await (const batch of store.streamEncounters(undefined, 5000)) {
    const lines = await linesOf(store, batch);
    const rows: SqlValue[][] = [];
    for (const e of batch) {
      const inst = institutions.get(e.institutionId);
      const level: InstitutionLevel = inst?.level ?? '1';
      let policy = inst ? selectPolicy(policies, inst.regionCode, e.dischargeDate, e.scheme) : undefined;
      if (!policy) {
        policy = byId.get(STAND_IN_POLICIES[e.scheme]);
        standIn++;
      }
      if (!policy) throw new Error(`stand-in policy ${STAND_IN_POLICIES[e.scheme]} is missing from data/policies`);
      used.add(policy.id);
      const personType = personTypes.get(e.personId) ?? (e.scheme === 'employee' ? 'in-service' : 'adult');
      const ls = lines.get(e.id) ?? [];
      const r = settle({ encounter: e, lines: ls, institutionLevel: level, personType }, policy, ytd.get(e.personId), lookup);
      ytd.set(e.personId, r.ytd);
      for (const i of r.issues) issues.set(i.code, (issues.get(i.code) ?? 0) + 1);
      const cat = { drug: 0, consumable: 0, service: 0, facility: 0 };
      let expensive = 0;
      for (const l of ls) {
        cat[l.category] += l.amountFen;
        if (l.category === 'drug' && l.unitPriceFen >= EXPENSIVE_DRUG_UNIT_PRICE_FEN) expensive += l.amountFen;
      }
      rows.push([
        runId, e.id, e.personId, e.institutionId, e.departmentId, e.doctorId, e.kind, e.scheme, personType, policy.id, r.path,
        e.dischargeDate, e.dischargeDate.slice(0, 7), e.losDays, e.dischargeType, r.totalFen, r.fullSelfPayFen, r.overLimitFen, r.preSelfPayFen,
        r.inScopeFen, r.deductibleFen, r.coPayFen, r.aboveCapFen, r.fundFen, r.tier2Fen, r.assistanceFen, r.fundTotalFen, r.patientFen,
        r.accountFen, r.cashFen, cat.drug, cat.consumable, cat.service, cat.facility, expensive, [...new Set(r.issues.map((i) => i.code))].join('|'),
      ]);
      n++; total += r.totalFen; fund += r.fundFen; tier2 += r.tier2Fen; assist += r.assistanceFen; patient += r.patientFen;
    }
    await store.appendRows('settlement_results', RESULT_COLUMNS, rows);
    opts.log?.(`  结算 settled ${n.toLocaleString('en')} encounters`);
  }
  const fundTotal = fund + tier2 + assist;
  await store.exec(
    'INSERT INTO settlement_runs (run_id, created_at, policy_ids, encounters, total_fen, fund_total_fen, patient_fen, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [runId, new Date().toISOString(), [...used].join('|'), n, total, fundTotal, patient, standIn ? `${standIn} encounters settled under stand-in policies` : ''],
  );
  return { runId, encounters: n, totalFen: total, fundFen: fund, tier2Fen: tier2, assistanceFen: assist, patientFen: patient, standIn, issues, policyIds: [...used] };
}

/**
 * Lines of a batch of encounters. The batch is ordered by admission date, so the lines are fetched
 * with a semi-join on the batch's admission-date range (two parameters, a hash join in both
 * databases — a 2000-value IN list was ~0.5 s per batch on DuckDB); encounters of the range outside
 * the batch are simply not looked up.
 */
async function linesOf(store: Store, batch: readonly Pick<Encounter, 'id' | 'admitDate'>[]): Promise<Map<string, LineInput[]>> {
  const out = new Map<string, LineInput[]>();
  if (!batch.length) return out;
  let from = batch[0]!.admitDate, to = from;
  for (const e of batch) {
    if (e.admitDate < from) from = e.admitDate;
    if (e.admitDate > to) to = e.admitDate;
  }
  const rows = await store.query<{ encounter_id: string; id: string; item_code: string; category: string; pay_class: string; quantity: number; unit_price_fen: number; amount_fen: number }>(
    `SELECT l.encounter_id, l.id, l.item_code, l.category, l.pay_class, l.quantity, l.unit_price_fen, l.amount_fen FROM settlement_lines l
     WHERE l.encounter_id IN (SELECT id FROM encounters WHERE admit_date >= $1 AND admit_date <= $2) ORDER BY l.encounter_id, l.charged_at, l.id`,
    [from, to],
  );
  for (const r of rows) {
    let a = out.get(r.encounter_id);
    if (!a) out.set(r.encounter_id, (a = []));
    a.push({ id: r.id, itemCode: r.item_code, category: r.category as LineInput['category'], payClass: r.pay_class as LineInput['payClass'], quantity: Number(r.quantity), unitPriceFen: Number(r.unit_price_fen), amountFen: Number(r.amount_fen) });
  }
  return out;
}

/** Demo clearing parameters (a modelling choice for the synthetic region; docs/settlement.md § Clearing). */
export const DEMO_CLEARING = {
  /** next year's budget = last year's fund claims × (1 + growth) */
  budgetGrowthBp: 300,
  monthlyPrepayBp: 9000,
  sharing: { surplusKeepBp: 5000, surplusKeepCapBp: 300, overspendToleranceBp: 1000, overspendFundShareBp: 5000 } satisfies SharingRule,
  /** outpatient per-visit quota (人次定额): last year's mean cost per visit; Taiyuan-type sharing (S62) */
  perVisit: { overrunToleranceBp: 2000, overrunFundShareBp: 5000, savingRewardBp: 3000, rewardCapBp: 300 },
};

export interface ClearStoreSummary {
  readonly period: string;
  readonly institutions: number;
  readonly budgetFen: Fen;
  readonly claimsFen: Fen;
  readonly yearEndPaymentFen: Fen;
  readonly departments: number;
  readonly alerts: readonly Alert[];
  /** outpatient per-visit quota clearing per institution (institutions with visits in both years) */
  readonly perVisit: readonly { institutionId: string; visits: number; quotaPerVisitFen: Fen; actualFen: Fen; payableFen: Fen }[];
}

/**
 * Global-budget clearing of `period` (a year) for every institution from stored settlement results,
 * department allocation of each budget from the three years before, and monitoring alerts.
 */
export async function clearStore(store: Store, period: string, opts: { runId?: string } = {}): Promise<ClearStoreSummary> {
  const runId = opts.runId ?? 'default';
  const year = Number(period);
  if (!/^\d{4}$/.test(period)) throw new Error(`--period must be a year YYYY, got "${period}"`);
  await store.exec(`DELETE FROM clearing_results WHERE run_id = $1 AND period = $2 AND method IN ('global-budget', 'per-visit-quota')`, [runId, period]);
  await store.exec('DELETE FROM department_allocations WHERE run_id = $1 AND period = $2', [runId, period]);
  // fund claims per institution and month for the period and the year before (budget basis)
  const monthly = await store.query<{ institution_id: string; month: string; fund: number }>(
    `SELECT institution_id, month, SUM(fund_total_fen) AS fund FROM settlement_results WHERE run_id = $1 AND month >= $2 AND month <= $3 GROUP BY institution_id, month ORDER BY institution_id, month`,
    [runId, `${year - 1}-01`, `${year}-12`],
  );
  const insts = [...new Set(monthly.map((r) => r.institution_id))].sort();
  const history = await store.query<{ institution_id: string; department_id: string; y: string; fund: number; cost: number; visits: number }>(
    `SELECT institution_id, department_id, SUBSTR(month, 1, 4) AS y, SUM(fund_total_fen) AS fund, SUM(total_fen) AS cost, COUNT(*) AS visits
     FROM settlement_results WHERE run_id = $1 AND month >= $2 AND month <= $3 GROUP BY institution_id, department_id, SUBSTR(month, 1, 4)`,
    [runId, `${year - 3}-01`, `${year}-12`],
  );
  const activity = await store.query<{ institution_id: string; department_id: string; fund: number; total: number; drug: number; cons: number; exp: number; stays: number; los: number; transfers: number }>(
    `SELECT institution_id, department_id, SUM(fund_total_fen) AS fund, SUM(total_fen) AS total, SUM(drug_fen) AS drug, SUM(consumable_fen) AS cons,
       SUM(expensive_drug_fen) AS exp, SUM(CASE WHEN kind = 'inpatient' THEN 1 ELSE 0 END) AS stays,
       SUM(CASE WHEN kind = 'inpatient' THEN los_days ELSE 0 END) AS los, SUM(CASE WHEN kind = 'inpatient' AND discharge_type = '2' THEN 1 ELSE 0 END) AS transfers
     FROM settlement_results WHERE run_id = $1 AND month >= $2 AND month <= $3 GROUP BY institution_id, department_id`,
    [runId, `${year}-01`, `${year}-12`],
  );
  const visits = await store.query<{ institution_id: string; y: string; n: number; total: number }>(
    `SELECT institution_id, SUBSTR(month, 1, 4) AS y, COUNT(*) AS n, SUM(total_fen) AS total FROM settlement_results
     WHERE run_id = $1 AND kind <> 'inpatient' AND month >= $2 AND month <= $3 GROUP BY institution_id, SUBSTR(month, 1, 4)`,
    [runId, `${year - 1}-01`, `${year}-12`],
  );
  const perVisit: { institutionId: string; visits: number; quotaPerVisitFen: Fen; actualFen: Fen; payableFen: Fen }[] = [];
  let budgetSum = 0, claimsSum = 0, yearEndSum = 0, deptCount = 0;
  const alerts: Alert[] = [];
  const clearRows: SqlValue[][] = [];
  const allocRows: SqlValue[][] = [];
  for (const inst of insts) {
    const rows = monthly.filter((r) => r.institution_id === inst);
    const prev = rows.filter((r) => r.month.startsWith(`${year - 1}-`)).reduce((s, r) => s + Number(r.fund), 0);
    const cur = Array.from({ length: 12 }, (_, m) => Number(rows.find((r) => r.month === `${year}-${String(m + 1).padStart(2, '0')}`)?.fund ?? 0));
    // without a previous year the budget is this year's claims (nothing to clear against)
    const basis = prev > 0 ? prev : cur.reduce((s, x) => s + x, 0);
    const budget = Math.round((basis * (10000 + DEMO_CLEARING.budgetGrowthBp)) / 10000);
    const r = clearGlobalBudget({ annualBudgetFen: budget, monthlyClaimsFen: cur, monthlyPrepayBp: DEMO_CLEARING.monthlyPrepayBp, sharing: DEMO_CLEARING.sharing });
    const a = r.annual;
    clearRows.push([runId, period, inst, 'global-budget', budget, a.costFen, a.dueFen, a.prepaidFen, a.yearEndPaymentFen, a.retainedSurplusFen, a.fundSharedOverspendFen, a.hospitalBorneOverspendFen, JSON.stringify({ months: r.months, budgetBasisFen: basis, ...DEMO_CLEARING })]);
    budgetSum += budget; claimsSum += a.costFen; yearEndSum += a.yearEndPaymentFen;
    const vPrev = visits.find((v) => v.institution_id === inst && v.y === String(year - 1));
    const vCur = visits.find((v) => v.institution_id === inst && v.y === period);
    if (vPrev && vCur && Number(vPrev.n) > 0) {
      const quotaPerVisitFen = Math.round(Number(vPrev.total) / Number(vPrev.n));
      const q = clearPerVisitQuota({ quotaPerVisitFen, visits: Number(vCur.n), actualFen: Number(vCur.total), ...DEMO_CLEARING.perVisit });
      perVisit.push({ institutionId: inst, visits: Number(vCur.n), quotaPerVisitFen, actualFen: q.actualFen, payableFen: q.payableFen });
      clearRows.push([runId, period, inst, 'per-visit-quota', q.quotaTotalFen, q.actualFen, q.payableFen, 0, q.payableFen, q.rewardFen, q.fundSharedOverrunFen, q.unpaidOverrunFen, JSON.stringify({ quotaPerVisitFen, visits: Number(vCur.n), ...DEMO_CLEARING.perVisit })]);
    }
    const hist = history.filter((h) => h.institution_id === inst).map((h) => ({ departmentId: h.department_id, year: Number(h.y), claimsFen: Number(h.fund), costFen: Number(h.cost), visits: Number(h.visits) }));
    // allocate from the three years before; with less history, from what exists including the period itself
    const before = hist.filter((h) => h.year < year);
    const alloc = before.length ? allocateToDepartments(budget, before, year) : allocateToDepartments(budget, hist, year + 1);
    for (const d of alloc) allocRows.push([runId, period, inst, d.departmentId, d.shareBp, d.budgetFen, d.quotaPerVisitFen, before.length ? 'claims-1:2:7' : 'claims-current-year']);
    deptCount += alloc.length;
    const allocated = new Map(alloc.map((d) => [d.departmentId, d.budgetFen]));
    alerts.push(
      ...monitorDepartments(
        activity.filter((x) => x.institution_id === inst).map((x) => ({
          departmentId: `${inst}/${x.department_id}`, allocatedFen: allocated.get(x.department_id) ?? 0, ytdClaimsFen: Number(x.fund), totalFen: Number(x.total), drugFen: Number(x.drug),
          consumableFen: Number(x.cons), expensiveDrugFen: Number(x.exp), inpatientStays: Number(x.stays), losDaysSum: Number(x.los), transfers: Number(x.transfers),
        })),
        { daysElapsed: 365, daysInYear: 365 },
      ),
    );
  }
  if (clearRows.length) await store.appendRows('clearing_results', ['run_id', 'period', 'institution_id', 'method', 'budget_fen', 'claims_fen', 'due_fen', 'prepaid_fen', 'year_end_payment_fen', 'retained_surplus_fen', 'fund_shared_overspend_fen', 'hospital_borne_overspend_fen', 'detail'], clearRows);
  if (allocRows.length) await store.appendRows('department_allocations', ['run_id', 'period', 'institution_id', 'department_id', 'share_bp', 'budget_fen', 'quota_per_visit_fen', 'method'], allocRows);
  return { period, institutions: insts.length, budgetFen: budgetSum, claimsFen: claimsSum, yearEndPaymentFen: yearEndSum, departments: deptCount, alerts, perVisit };
}

const y = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const settlementDemoStep: DemoStep = {
  name: 'settlement',
  async run(store, ctx) {
    const t0 = performance.now();
    const s = await settleStore(store, { runId: 'demo', log: ctx.log });
    const secs = (performance.now() - t0) / 1000;
    const lines = [
      `结算 settlement: ${s.encounters.toLocaleString('en')} 人次 encounters in ${secs.toFixed(1)} s · 总额 total ${y(s.totalFen)} 元 · 统筹 basic fund ${y(s.fundFen)} · 大病/大额 tier 2 ${y(s.tier2Fen)} · 救助 assistance ${y(s.assistanceFen)} · 个人 patients ${y(s.patientFen)}`,
      `  政策 policies ${s.policyIds.join(', ')}${s.standIn ? ` (演示区无本地政策, 以真实政策代用 stand-in real policy sets for ${s.standIn.toLocaleString('en')} encounters)` : ''}`,
    ];
    const last = await store.query<{ y: string | null }>(`SELECT MAX(SUBSTR(month, 1, 4)) AS y FROM settlement_results WHERE run_id = 'demo'`);
    const period = last[0]?.y;
    if (period) {
      const c = await clearStore(store, period, { runId: 'demo' });
      lines.push(
        `清算 clearing ${period}: ${c.institutions} 家医院 hospitals · 总额预算 budget ${y(c.budgetFen)} 元 vs 申报 claims ${y(c.claimsFen)} · 年终结算 year-end payment ${y(c.yearEndPaymentFen)} · 科室分配 ${c.departments} departments · 预警 alerts ${c.alerts.length}`,
      );
      try {
        const d = await clearDrgStore(store, period, { runId: 'demo' });
        const pay = d.institutions.reduce((s2, i) => s2 + i.paymentFen, 0);
        const chg = d.institutions.reduce((s2, i) => s2 + i.chargesFen, 0);
        lines.push(`  DRG ${d.scheme} (${d.paramsId}): ${d.cases} 例 stays, 入组 grouped ${d.grouped} · 费率 rate ${y(d.ratePerWeightFen)} 元/RW · DRG 支付 ${y(pay)} vs 费用 charges ${y(chg)}`);
      } catch (err) {
        lines.push(`  DRG 清算未完成 DRG clearing skipped: ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        const dp = await clearDipStore(store, period, { runId: 'demo' });
        const pay = dp.institutions.reduce((s2, i) => s2 + i.paymentFen, 0);
        lines.push(`  DIP 点数法: ${dp.groups} 病种 groups · 预算点值 ${(dp.estimatedPointValueFen / 100).toFixed(4)} 元 vs 结算点值 ${(dp.settlementPointValueFen / 100).toFixed(4)} 元/分 · ${dp.cases} 例 (未入组 unscored ${dp.unscored}) · DIP 支付 ${y(pay)} 元`);
      } catch (err) {
        lines.push(`  DIP 清算未完成 DIP clearing skipped: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const top = [...s.issues.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    if (top.length) lines.push(`  提示 notes: ${top.map(([k, v]) => `${k} ×${v}`).join(', ')}`);
    return lines;
  },
};

export type { Encounter };

export interface DrgClearSummary {
  readonly period: string;
  readonly scheme: string;
  readonly paramsId: string;
  readonly ratePerWeightFen: Fen;
  readonly cases: number;
  readonly grouped: number;
  readonly institutions: readonly { institutionId: string; cases: number; paymentFen: Fen; chargesFen: Fen; fundFen: Fen; finalPaymentFen: Fen; retainedSurplusFen: Fen; fundShareOfOverspendFen: Fen; hospitalBearsFen: Fen }[];
}

/**
 * DRG clearing of `period` through the DRG engine (src/drg): weights from the previous year's grouped
 * stays (computeWeights with the payment parameters' trimming), the rate by the parameters' method,
 * each stay priced with priceCase (high/low multiple, 特例单议) against the patient's item-based part
 * from settlement_results, and each hospital's year by settleHospital (结余留用/超支分担).
 */
export async function clearDrgStore(store: Store, period: string, opts: { runId?: string } = {}): Promise<DrgClearSummary> {
  const drg = await import('../../drg/index.js');
  const { history, current, scheme, schemeName, params } = await drgCases(store, drg, period, opts.runId ?? 'default');
  const { refs, rate } = drgRates(drg, scheme, params, history, current);
  const runId = opts.runId ?? 'default';
  const byInst = new Map<string, { cases: number; payment: number; charges: number; fund: number }>();
  let grouped = 0;
  for (const c of current) {
    const pay = drg.priceCase({ status: c.status, drg: c.drg, costFen: c.cost, losDays: c.los, ...(c.patient !== undefined ? { patientPaidFen: c.patient } : {}) }, refs.get(c.drg), rate.ratePerWeightFen, params);
    if (c.status === scheme.profile.results.successStatus) grouped++;
    const a = byInst.get(c.inst) ?? { cases: 0, payment: 0, charges: 0, fund: 0 };
    a.cases++; a.payment += pay.paymentFen; a.charges += c.cost; a.fund += pay.fundPaymentFen;
    byInst.set(c.inst, a);
  }
  const institutions = [...byInst.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([institutionId, a]) => {
    const h = drg.settleHospital(a.payment, a.charges, params.settlement);
    return { institutionId, cases: a.cases, paymentFen: a.payment, chargesFen: a.charges, fundFen: a.fund, finalPaymentFen: h.finalPaymentFen, retainedSurplusFen: h.retainedSurplusFen, fundShareOfOverspendFen: h.fundShareOfOverspendFen, hospitalBearsFen: h.hospitalBearsFen };
  });
  await store.exec(`DELETE FROM clearing_results WHERE run_id = $1 AND period = $2 AND method = 'drg'`, [runId, period]);
  if (institutions.length) {
    await store.appendRows('clearing_results', ['run_id', 'period', 'institution_id', 'method', 'budget_fen', 'claims_fen', 'due_fen', 'prepaid_fen', 'year_end_payment_fen', 'retained_surplus_fen', 'fund_shared_overspend_fen', 'hospital_borne_overspend_fen', 'detail'],
      institutions.map((i) => [runId, period, i.institutionId, 'drg', i.paymentFen, i.chargesFen, i.finalPaymentFen, 0, i.finalPaymentFen, i.retainedSurplusFen, i.fundShareOfOverspendFen, i.hospitalBearsFen, JSON.stringify({ scheme: schemeName, params: params.id, ratePerWeightFen: rate.ratePerWeightFen, cases: i.cases, fundFen: i.fundFen, weightsFrom: history.length ? `${Number(period) - 1}` : period })]));
  }
  return { period, scheme: schemeName, paramsId: params.id, ratePerWeightFen: rate.ratePerWeightFen, cases: current.length, grouped, institutions };
}

type DrgModule = typeof import('../../drg/index.js');
type StayRow = { id: string; inst: string; status: string; drg: string; cost: number; los: number; patient: number | undefined };

/** Group the previous year's and the period's inpatient stays (history for weights, current to price). */
async function drgCases(store: Store, drg: DrgModule, period: string, runId: string) {
  const year = Number(period);
  const schemeName = drg.chooseScheme(`${period}-12-31`);
  const scheme = drg.loadScheme(schemeName);
  const params = drg.loadPaymentParams({ scheme: schemeName, date: `${period}-12-31` });
  const patientPart = new Map(
    (await store.query<{ encounter_id: string; patient_fen: number }>(`SELECT encounter_id, patient_fen FROM settlement_results WHERE run_id = $1 AND kind = 'inpatient' AND month >= $2 AND month <= $3`, [runId, `${year}-01`, `${year}-12`]))
      .map((r) => [r.encounter_id, Number(r.patient_fen)]),
  );
  const charges = new Map(
    (await store.query<{ encounter_id: string; total: number }>(`SELECT encounter_id, SUM(amount_fen) AS total FROM settlement_lines l JOIN encounters e ON e.id = l.encounter_id WHERE e.kind = 'inpatient' AND e.discharge_date >= $1 AND e.discharge_date <= $2 GROUP BY encounter_id`, [`${year - 1}-01-01`, `${year}-12-31`]))
      .map((r) => [r.encounter_id, Number(r.total)]),
  );
  const history: { drg: string; costFen: number; losDays: number }[] = [];
  const current: StayRow[] = [];
  for await (const batch of store.streamEncounters({ kind: 'inpatient', dischargeFrom: `${year - 1}-01-01`, dischargeTo: `${year}-12-31` }, 5000)) {
    for (const e of batch) {
      const g = drg.group(drg.caseFromEncounter(e), scheme);
      const cost = charges.get(e.id) ?? 0;
      if (e.dischargeDate < `${year}-01-01`) {
        if (g.status === scheme.profile.results.successStatus) history.push({ drg: g.drg, costFen: cost, losDays: e.losDays });
      } else current.push({ id: e.id, inst: e.institutionId, status: g.status, drg: g.drg, cost, los: e.losDays, patient: patientPart.get(e.id) });
    }
  }
  return { history, current, scheme, schemeName, params };
}

/** Weights (previous year, else the period itself) and the rate per weight of the payment parameters. */
function drgRates(drg: DrgModule, scheme: ReturnType<DrgModule['loadScheme']>, params: ReturnType<DrgModule['loadPaymentParams']>, history: { drg: string; costFen: number; losDays: number }[], current: readonly StayRow[]) {
  const base = history.length ? history : current.filter((c) => c.status === scheme.profile.results.successStatus).map((c) => ({ drg: c.drg, costFen: c.cost, losDays: c.los }));
  const weights = drg.computeWeights(base, { trim: params.weights.trim, decimals: params.weights.decimals, minCases: params.weights.minCases });
  const refs = new Map(weights.drgs.map((d) => [d.drg, { weight: d.weight, avgCostFen: d.avgCostFen, avgLosDays: d.avgLosDays }]));
  const historyTotal = base.reduce((s2, c) => s2 + c.costFen, 0);
  const rate = drg.computeRate(params.rate, weights.drgs.map((d) => ({ weight: d.weight, cases: d.cases })), historyTotal);
  return { refs, rate, weightsFromHistory: history.length > 0 };
}

/**
 * Best payment method for one stored stay (出院前支付方式比较): settle() by item (fresh accumulators),
 * DRG via predictStay with the region's weights and rate for the stay's year, optional single disease.
 */
export async function compareStoredStay(store: Store, encounterId: string, opts: { runId?: string; policies?: readonly Policy[]; singleDisease?: import('../../settlement/index.js').SingleDiseaseRule } = {}) {
  const { compareMethods } = await import('../../settlement/index.js');
  const drg = await import('../../drg/index.js');
  const e = await store.getEncounter(encounterId);
  if (!e) throw new Error(`no encounter ${encounterId} in ${store.location}`);
  const policies = opts.policies ?? loadPolicies();
  const inst = (await store.listInstitutions()).find((i) => i.id === e.institutionId);
  const policy = (inst && selectPolicy(policies, inst.regionCode, e.dischargeDate, e.scheme)) ?? policies.find((p) => p.id === STAND_IN_POLICIES[e.scheme]);
  if (!policy) throw new Error(`no policy for ${encounterId}`);
  const person = await store.getPerson(e.personId);
  const catalog = new Map((await store.listCatalog()).map((c) => [c.code, c]));
  const lines = (await linesOf(store, [e])).get(e.id) ?? [];
  const item = settle({ encounter: e, lines, institutionLevel: inst?.level ?? '1', personType: person?.personType ?? (e.scheme === 'employee' ? 'in-service' : 'adult') }, policy, undefined, (c) => catalog.get(c));
  let drgPos: { paymentFen: number; group: string; caseType: string } | undefined;
  let advice = '';
  let projected: number | undefined;
  if (e.kind === 'inpatient') {
    const period = e.dischargeDate.slice(0, 4);
    const { history, current, scheme, params } = await drgCases(store, drg, period, opts.runId ?? 'default');
    const { refs, rate } = drgRates(drg, scheme, params, history, current);
    const p = drg.predictStay({ case: drg.caseFromEncounter(e), costSoFarFen: item.totalFen, daysSoFar: Math.max(1, e.losDays) }, scheme, refs, rate.ratePerWeightFen, params);
    drgPos = { paymentFen: p.payment.paymentFen, group: p.group.drg, caseType: p.payment.caseType };
    advice = p.advice;
    projected = p.projectedCostFen;
  }
  return { encounterId, policyId: policy.id, projectedChargesFen: projected, comparison: compareMethods({ item, drg: drgPos, singleDisease: opts.singleDisease, projectedChargesFen: projected }), drgAdvice: advice };
}

export interface DipClearSummary {
  readonly period: string;
  readonly groups: number;
  readonly estimatedPointValueFen: number;
  readonly settlementPointValueFen: number;
  readonly cases: number;
  /** stays of the period whose group had no score (paid by item, not by DIP) */
  readonly unscored: number;
  readonly institutions: readonly { institutionId: string; cases: number; paymentFen: Fen; fundDueFen: Fen; prepaidFen: Fen; yearEndPaymentFen: Fen; reviewCases: number }[];
}

/**
 * DIP clearing of `period` (点数法): 病种分值 from the three previous years' stays (computeDipScores,
 * 1:2:7), 预算点值 from the same history (monthly pre-settlement at 90%), 结算点值 = (last year's
 * inpatient fund claims × (1 + growth) ÷ last year's fund share) ÷ the period's total points, every
 * stay scored with its 超低/超高 rule, institution coefficient 1 (the demo has no 等级系数 table).
 */
export async function clearDipStore(store: Store, period: string, opts: { runId?: string } = {}): Promise<DipClearSummary> {
  const { computeDipScores, clearDip, dipBudgetPointValue, dipSettlementPointValue, dipCasePoints } = await import('../../settlement/index.js');
  const runId = opts.runId ?? 'default';
  const year = Number(period);
  const settled = new Map(
    (await store.query<{ encounter_id: string; total_fen: number; patient_fen: number; fund_total_fen: number }>(
      `SELECT encounter_id, total_fen, patient_fen, fund_total_fen FROM settlement_results WHERE run_id = $1 AND kind = 'inpatient' AND month >= $2 AND month <= $3`,
      [runId, `${year - 3}-01`, `${year}-12`],
    )).map((r) => [r.encounter_id, { total: Number(r.total_fen), patient: Number(r.patient_fen), fund: Number(r.fund_total_fen) }]),
  );
  const history: { diagnoses: string[]; procedures: string[]; year: number; costFen: number }[] = [];
  const current: { inst: string; diagnoses: string[]; procedures: string[]; cost: number; patient: number; month: number; id: string }[] = [];
  let prevCost = 0, prevFund = 0;
  for await (const batch of store.streamEncounters({ kind: 'inpatient', dischargeFrom: `${year - 3}-01-01`, dischargeTo: `${year}-12-31` }, 5000)) {
    for (const e of batch) {
      const s = settled.get(e.id);
      if (!s) continue;
      const y = Number(e.dischargeDate.slice(0, 4));
      if (y < year) {
        history.push({ diagnoses: e.diagnoses, procedures: e.procedures, year: y, costFen: s.total });
        if (y === year - 1) { prevCost += s.total; prevFund += s.fund; }
      } else current.push({ inst: e.institutionId, diagnoses: e.diagnoses, procedures: e.procedures, cost: s.total, patient: s.patient, month: Number(e.dischargeDate.slice(5, 7)), id: e.id });
    }
  }
  if (!history.length || prevCost === 0) throw new Error(`DIP clearing of ${period} needs settled inpatient stays of ${year - 1} (and up to ${year - 3}) for the group scores`);
  const scores = computeDipScores(history, year);
  // 预算点值 from the weighted history: Σ w·cost ÷ Σ w·points per year
  const yearly = [year - 3, year - 2, year - 1].map((y) => history.filter((h) => h.year === y));
  const yCost = yearly.map((hs) => hs.reduce((s2, h) => s2 + h.costFen, 0)) as [number, number, number];
  const yPts = yearly.map((hs) => hs.reduce((s2, h) => s2 + (scores.groupOf(h.diagnoses, h.procedures)?.score ?? 0), 0)) as [number, number, number];
  const present = [0, 1, 2].filter((i) => yPts[i]! > 0);
  const wts: [number, number, number] = [present.includes(0) ? 1 : 0, present.includes(1) ? 2 : 0, present.includes(2) ? 7 : 0];
  const estimated = dipBudgetPointValue(yCost, yPts, wts);
  const scored = current.map((c) => ({ c, g: scores.groupOf(c.diagnoses, c.procedures) }));
  // the period's total points at the estimated value decide the settlement value (budget ÷ points)
  let totalPoints = 0;
  for (const { c, g } of scored) {
    if (!g) continue;
    totalPoints += dipCasePoints({ id: c.id, groupScore: g.score, costFen: c.cost, sameLevelMeanCostFen: g.meanCostFen, patientFen: c.patient, month: c.month }, 1, estimated).points;
  }
  const fundBudget = Math.round((prevFund * (10000 + DEMO_CLEARING.budgetGrowthBp)) / 10000);
  const ratioBp = Math.max(1, Math.round((prevFund / prevCost) * 10000));
  const settlement = totalPoints > 0 ? dipSettlementPointValue(fundBudget, ratioBp, totalPoints) : estimated;
  const byInst = new Map<string, { id: string; groupScore: number; costFen: number; sameLevelMeanCostFen: number; patientFen: number; month: number }[]>();
  let unscored = 0;
  for (const { c, g } of scored) {
    if (!g) { unscored++; continue; }
    const list = byInst.get(c.inst) ?? [];
    list.push({ id: c.id, groupScore: g.score, costFen: c.cost, sameLevelMeanCostFen: g.meanCostFen, patientFen: c.patient, month: c.month });
    byInst.set(c.inst, list);
  }
  const institutions = [...byInst.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([institutionId, cases]) => {
    const r = clearDip({ cases, institutionCoeff: 1, estimatedPointValueFen: estimated, settlementPointValueFen: settlement, monthlyPrepayBp: DEMO_CLEARING.monthlyPrepayBp });
    return { institutionId, cases: cases.length, paymentFen: r.paymentFen, fundDueFen: r.fundDueFen, prepaidFen: r.prepaidFen, yearEndPaymentFen: r.yearEndPaymentFen, reviewCases: r.reviewCaseIds.length };
  });
  await store.exec(`DELETE FROM clearing_results WHERE run_id = $1 AND period = $2 AND method = 'dip'`, [runId, period]);
  if (institutions.length) {
    await store.appendRows('clearing_results', ['run_id', 'period', 'institution_id', 'method', 'budget_fen', 'claims_fen', 'due_fen', 'prepaid_fen', 'year_end_payment_fen', 'retained_surplus_fen', 'fund_shared_overspend_fen', 'hospital_borne_overspend_fen', 'detail'],
      institutions.map((i) => [runId, period, i.institutionId, 'dip', i.paymentFen, i.paymentFen, i.fundDueFen, i.prepaidFen, i.yearEndPaymentFen, 0, 0, 0, JSON.stringify({ cases: i.cases, reviewCases: i.reviewCases, estimatedPointValueFen: estimated, settlementPointValueFen: settlement, groups: scores.groups.size })]));
  }
  return { period, groups: scores.groups.size, estimatedPointValueFen: estimated, settlementPointValueFen: settlement, cases: current.length, unscored, institutions };
}
