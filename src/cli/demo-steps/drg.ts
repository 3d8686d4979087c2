/**
 * DRG over the imported history: group every inpatient encounter, compute weights and the rate
 * from that history, price every case and store drg_results / drg_weights / drg_rates. Used by
 * `medfund demo`, `medfund drg run` and `medfund group --compare` (store mode). Only the Store
 * interface is used, so it runs on DuckDB and PostgreSQL alike.
 */
import type { Encounter } from '../../domain/index.js';
import {
  caseFromEncounter,
  chooseScheme,
  classifyMortalityRisk,
  compareSchemes,
  computeIndicators,
  computeRate,
  computeWeights,
  group,
  listSchemes,
  loadPaymentParams,
  loadScheme,
  priceCase,
  type CasePayment,
  type CompareReport,
  type DrgPaymentParams,
  type DrgReference,
  type GroupResult,
  type Indicators,
  type RateResult,
  type WeightTable,
} from '../../drg/index.js';
import type { Store } from '../../store/store.js';
import { DRG_RATE_COLUMNS, DRG_RESULT_COLUMNS, DRG_WEIGHT_COLUMNS } from '../../store/migrations/100-drg.js';
import type { DemoStep } from './types.js';

/** The few encounter fields kept in memory per stay. */
interface Stay {
  readonly enc: Pick<
    Encounter,
    'id' | 'institutionId' | 'departmentId' | 'doctorId' | 'dischargeDate' | 'sex' | 'ageYears' | 'ageDays' | 'birthWeightGrams' | 'losDays' | 'dischargeType' | 'diagnoses' | 'procedures'
  >;
  readonly deptCode: string;
  readonly costFen: number;
}

export interface SchemeRun {
  readonly scheme: string;
  readonly params: DrgPaymentParams;
  readonly groups: GroupResult[];
  readonly weights: WeightTable;
  readonly references: Map<string, DrgReference>;
  readonly rate: RateResult;
  readonly payments: CasePayment[];
  readonly historyCostFen: number;
  readonly indicatorsByInstitution: Indicators[];
}

export interface DrgHistoryRun {
  readonly stays: number;
  readonly primary: SchemeRun;
  readonly other?: SchemeRun;
  readonly compare?: CompareReport;
}

/** Read inpatient stays with their total charges. */
export async function loadStays(store: Store, log: (l: string) => void = () => undefined): Promise<Stay[]> {
  const depts = new Map((await store.listDepartments()).map((d) => [d.id, d.deptCode]));
  const costRows = await store.query<{ encounter_id: string; cost_fen: number }>(
    'SELECT encounter_id, SUM(amount_fen) AS cost_fen FROM settlement_lines GROUP BY encounter_id',
  );
  const cost = new Map(costRows.map((r) => [r.encounter_id, Number(r.cost_fen)]));
  const stays: Stay[] = [];
  for await (const batch of store.streamEncounters({ kind: 'inpatient' }, 5000)) {
    for (const e of batch) {
      stays.push({
        enc: {
          id: e.id, institutionId: e.institutionId, departmentId: e.departmentId, doctorId: e.doctorId, dischargeDate: e.dischargeDate,
          sex: e.sex, ageYears: e.ageYears, ageDays: e.ageDays, birthWeightGrams: e.birthWeightGrams, losDays: e.losDays,
          dischargeType: e.dischargeType, diagnoses: e.diagnoses, procedures: e.procedures,
        },
        deptCode: depts.get(e.departmentId) ?? '',
        costFen: cost.get(e.id) ?? 0,
      });
    }
    log(`DRG: 已读取 read ${stays.length} 住院病例 inpatient stays`);
  }
  return stays;
}

/** Group, weight, rate and price a history under one scheme (pure apart from loading data files). */
export function runScheme(stays: readonly Stay[], schemeName: string, asOfDate: string): SchemeRun {
  const scheme = loadScheme(schemeName);
  const params = loadPaymentParams({ scheme: schemeName, date: asOfDate });
  const success = scheme.profile.results.successStatus;
  const groups = stays.map((s) => group(caseFromEncounter(s.enc, s.deptCode), scheme, { severityTrace: false }));
  const weightCases = [];
  let historyCostFen = 0;
  for (let i = 0; i < stays.length; i++) {
    if (groups[i]!.status !== success) continue;
    weightCases.push({ drg: groups[i]!.drg, costFen: stays[i]!.costFen, losDays: stays[i]!.enc.losDays });
    historyCostFen += stays[i]!.costFen;
  }
  const weights = computeWeights(weightCases, { trim: params.weights.trim, decimals: params.weights.decimals, minCases: params.weights.minCases });
  const references = new Map(weights.drgs.map((d) => [d.drg, { weight: d.weight, avgCostFen: d.avgCostFen, avgLosDays: d.avgLosDays }]));
  const rate = computeRate(params.rate, weights.drgs.map((d) => ({ weight: d.weight, cases: d.cases })), historyCostFen);
  const payments = stays.map((s, i) =>
    priceCase({ status: groups[i]!.status, drg: groups[i]!.drg, costFen: s.costFen, losDays: s.enc.losDays }, references.get(groups[i]!.drg), rate.ratePerWeightFen, params),
  );
  // low-risk DRGs from this history's own mortality (the region is the reference population)
  const deaths = new Map<string, [number, number]>();
  groups.forEach((g, i) => {
    if (g.status !== success) return;
    const d = deaths.get(g.drg) ?? [0, 0];
    d[0] += stays[i]!.enc.dischargeType === '5' ? 1 : 0;
    d[1] += 1;
    deaths.set(g.drg, d);
  });
  const risk = classifyMortalityRisk(new Map([...deaths].map(([drg, [dead, n]]) => [drg, dead / n])));
  const lowRisk = new Set([...risk].filter(([, r]) => r.risk === 'low').map(([d]) => d));
  const indicatorsByInstitution = computeIndicators(
    stays.map((s, i) => ({ groupKey: s.enc.institutionId, status: groups[i]!.status, drg: groups[i]!.drg, costFen: s.costFen, losDays: s.enc.losDays, died: s.enc.dischargeType === '5' })),
    references,
    lowRisk,
    success,
  );
  return { scheme: schemeName, params, groups, weights, references, rate, payments, historyCostFen, indicatorsByInstitution };
}

/** Write one scheme's results, replacing the previous run's rows for that scheme. */
export async function storeSchemeRun(store: Store, stays: readonly Stay[], run: SchemeRun): Promise<void> {
  await store.withTransaction(async (tx) => {
    await tx.exec('DELETE FROM drg_results WHERE scheme = $1', [run.scheme]);
    await tx.exec('DELETE FROM drg_weights WHERE scheme = $1', [run.scheme]);
    await tx.exec('DELETE FROM drg_rates WHERE scheme = $1', [run.scheme]);
    const rows = stays.map((s, i) => {
      const g = run.groups[i]!;
      const p = run.payments[i]!;
      return [
        s.enc.id, run.scheme, s.enc.institutionId, s.enc.departmentId, s.enc.doctorId, s.enc.dischargeDate, g.status, g.mdc, g.adrg, g.drg,
        p.weight, p.standardPaymentFen, p.paymentFen, p.caseType, s.costFen, p.marginFen, s.enc.losDays, run.params.id,
      ];
    });
    for (let i = 0; i < rows.length; i += 10_000) await tx.appendRows('drg_results', DRG_RESULT_COLUMNS, rows.slice(i, i + 10_000));
    await tx.appendRows(
      'drg_weights',
      DRG_WEIGHT_COLUMNS,
      run.weights.drgs.map((d) => [run.scheme, d.drg, d.weight, d.cases, d.casesKept, d.avgCostFen, d.avgLosDays, d.cv, run.params.id]),
    );
    await tx.appendRows('drg_rates', DRG_RATE_COLUMNS, [
      [run.scheme, run.params.id, run.rate.ratePerWeightFen, run.rate.forecastTotalFen, run.rate.totalWeight, run.weights.cases, run.historyCostFen],
    ]);
  });
}

/**
 * The whole history under `scheme` (default: the scheme in force at the latest discharge), stored;
 * optionally regrouped under `compareWith` too for the version impact (not stored).
 */
export async function runDrgHistory(
  store: Store,
  opts: {
    scheme?: string;
    /** a scheme name, or a function of the primary scheme's name */
    compareWith?: string | ((primary: string) => string | undefined);
    store?: boolean;
    log?: (l: string) => void;
  } = {},
): Promise<DrgHistoryRun> {
  const log = opts.log ?? (() => undefined);
  const stays = await loadStays(store, log);
  const asOf = stays.reduce((m, s) => (s.enc.dischargeDate > m ? s.enc.dischargeDate : m), '0000-00-00');
  const schemeName = opts.scheme ?? chooseScheme(stays.length > 0 ? asOf : '2025-01-01');
  log(`DRG: 按 ${schemeName} 分组 grouping ${stays.length} stays under ${schemeName}`);
  const primary = runScheme(stays, schemeName, stays.length > 0 ? asOf : '2025-01-01');
  if (opts.store !== false) await storeSchemeRun(store, stays, primary);
  const otherName = typeof opts.compareWith === 'function' ? opts.compareWith(schemeName) : opts.compareWith;
  if (!otherName) return { stays: stays.length, primary };
  log(`DRG: 按 ${otherName} 重新分组 regrouping under ${otherName}`);
  const other = runScheme(stays, otherName, stays.length > 0 ? asOf : '2025-01-01');
  const cmp = compareSchemes(other.scheme, primary.scheme);
  stays.forEach((s, i) =>
    cmp.add({
      institutionId: s.enc.institutionId,
      departmentId: s.enc.departmentId,
      a: other.groups[i]!,
      b: primary.groups[i]!,
      paymentAFen: other.payments[i]!.paymentFen,
      paymentBFen: primary.payments[i]!.paymentFen,
    }),
  );
  return { stays: stays.length, primary, other, compare: cmp.report() };
}

const pct = (n: number, d: number) => (d > 0 ? `${((n / d) * 100).toFixed(1)}%` : '—');
const yuan = (fen: number) => `¥${(fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Summary lines of a run (Chinese first, figures included). */
export function summarise(run: DrgHistoryRun): string[] {
  const p = run.primary;
  const count = (st: string) => p.groups.filter((g) => g.status === st).length;
  const types = new Map<string, number>();
  for (const x of p.payments) types.set(x.caseType, (types.get(x.caseType) ?? 0) + 1);
  const totalWeight = p.weights.drgs.reduce((a, d) => a + d.weight * d.cases, 0);
  const grouped = count(loadScheme(p.scheme).profile.results.successStatus);
  const paid = p.payments.reduce((a, x) => a + x.paymentFen, 0);
  const margin = p.payments.reduce((a, x) => a + x.marginFen, 0);
  const review = types.get('special-review') ?? 0;
  const quota = Math.floor(grouped * p.params.specialReview.quotaShare);
  const lines = [
    `DRG 分组 grouping (${p.scheme}): ${run.stays} 例住院 inpatient stays, 入组 grouped ${grouped} (${pct(grouped, run.stays)}), 歧义 ambiguous ${count('QY')}, 未入组 FAIL ${count('FAIL')}, 校验不通过 CHECK_FAILED ${count('CHECK_FAILED')}; ${p.weights.drgs.length} 个 DRG 组 DRGs used`,
    `权重与费率 weights & rate: 参数 params ${p.params.id}, 费率 rate ${yuan(p.rate.ratePerWeightFen)}/RW, 总权重 total weight ${totalWeight.toFixed(2)}, CMI ${(grouped > 0 ? totalWeight / grouped : 0).toFixed(4)}, RIV ${p.weights.riv}`,
    `病例类型 case types: ${[...types].sort().map(([t, n]) => `${t} ${n}`).join(', ')}; DRG 支付 payment ${yuan(paid)}, 结余 margin ${yuan(margin)}; 特例单议 special review ${review} / 限额 quota ${quota} (${(p.params.specialReview.quotaShare * 100).toFixed(0)}%)${review > quota ? ' 超出限额 over quota' : ''}`,
  ];
  for (const ind of p.indicatorsByInstitution.slice(0, 5)) {
    lines.push(`  ${ind.groupKey}: DRG组数 ${ind.drgCount}, CMI ${ind.cmi}, 费用消耗指数 ${ind.costIndex}, 时间消耗指数 ${ind.timeIndex}, 低风险组死亡率 ${Number.isNaN(ind.lowRiskMortality) ? '—' : pct(ind.lowRiskDeaths, ind.lowRiskCases)}`);
  }
  if (run.compare) {
    const c = run.compare;
    const moved = c.moves.filter((m) => m.from !== m.to).reduce((a, m) => a + m.cases, 0);
    lines.push(
      `版本对比 version impact ${c.schemeA} → ${c.schemeB}: 换组 changed DRG ${moved} (${pct(moved, c.cases)}), 状态变化 status changed ${c.statusChanged}; 支付 payment ${yuan(c.payment?.totalAFen ?? 0)} → ${yuan(c.payment?.totalBFen ?? 0)}`,
    );
  }
  return lines;
}

export const drgDemoStep: DemoStep = {
  name: 'drg',
  async run(store, ctx) {
    // primary scheme by the latest discharge date; the other national scheme for the version
    // impact (computed in memory: stored results stay one scheme per encounter)
    const names = listSchemes().map((x) => x.name);
    const run = await runDrgHistory(store, {
      log: (l) => ctx.log(l),
      compareWith: (primary) => names.filter((n) => n !== primary).at(-1),
    });
    return summarise(run);
  },
};
