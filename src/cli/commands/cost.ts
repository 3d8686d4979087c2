/**
 * `medfund cost --period YYYY [--json] [--out DIR]`: hospital cost accounting (医院成本核算) for one
 * year — department costs allocated (step-down or reciprocal), item costs, case / DRG / disease costs,
 * 诊次 / 床日 cost, doctor attribution, DRG cost-benefit with loss causes, budgets, consumable
 * thresholds, equipment utilisation. Reads the store, runs the pure engine in src/costing/, stores
 * the results (migration 400-costing) and writes CSV / JSON reports. docs/costing.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { COST_ITEMS, MedfundError, formatYuan, issue, roundFen } from '../../domain/index.js';
import type { CostItem, Department, DepartmentCost, Fen, Issue } from '../../domain/index.js';
import {
  CASE_COST_METHODS,
  ITEM_COUNT,
  ITEM_INDEX,
  allocate,
  checkConsumableThresholds,
  compileCostHints,
  compileExecutingCenters,
  compileTimeStandards,
  costCases,
  costItems,
  decomposeLosses,
  deniedByEncounter,
  deriveBudgets,
  drgCostBenefit,
  equipmentUtilisation,
  evaluateBudgets,
  groupCaseCosts,
  itemMatcher,
  parseCostingConfig,
  resolveDriverPlan,
  selectConfig,
  sumVector,
  unitCosts,
  zeroVector,
} from '../../costing/index.js';
import type {
  ActualCost,
  AllocationMethod,
  AllocationResult,
  BenefitCase,
  BenefitRow,
  BudgetLine,
  BudgetRow,
  CaseActivity,
  CaseCostMethod,
  CaseRecord,
  CostCenter,
  CostHint,
  CostingConfig,
  Denial,
  DriverKind,
  EquipmentUse,
  ItemCostRow,
  ItemUse,
  LossCauseRow,
  ThresholdCase,
  ThresholdFinding,
  UnitCostRow,
  UtilisationRow,
} from '../../costing/index.js';
import { listSchemes, loadScheme } from '../../drg/index.js';
import type { SqlValue, Store } from '../../store/index.js';
import { printJson, progressBar, withStore, withStoreOptions } from '../util.js';

export const COSTING_CONFIG_URL = new URL('../../../data/costing/costing-config.json', import.meta.url);

export interface CostRunOptions {
  /** YYYY */
  readonly period: string;
  readonly allocationMethod?: AllocationMethod;
  readonly caseMethod?: CaseCostMethod;
  /** DRG scheme in drg_results to use (default: the latest present) */
  readonly scheme?: string;
  /** CSV encounterId,amountFen,reason of denied payments 拒付 */
  readonly denialsFile?: string;
  /** CSV institutionId,departmentId,costItem,year,annualFen */
  readonly budgetFile?: string;
  readonly configFile?: string;
  /** ISO timestamp written on the run (the caller's clock) */
  readonly now: string;
  readonly log?: (line: string) => void;
}

export interface DepartmentReportRow {
  institutionId: string;
  departmentId: string;
  name: string;
  category: string;
  parentId: string;
  directFen: Fen;
  receivedL1Fen: Fen;
  receivedL2Fen: Fen;
  receivedL3Fen: Fen;
  allocatedOutFen: Fen;
  fullFen: Fen;
  fullByItem: Record<CostItem, Fen>;
  caseCostFen: Fen;
  unassignedFen: Fen;
  deniedFen: Fen;
  visits: number;
  bedDays: number;
  discharges: number;
  costPerVisitFen: number;
  costPerBedDayFen: number;
}

export interface CostRunResult {
  runId: string;
  period: string;
  configVersion: string;
  allocationMethod: AllocationMethod;
  caseMethod: CaseCostMethod;
  institutions: number;
  importedCostFen: Fen;
  allocatedCostFen: Fen;
  unallocatedCostFen: Fen;
  caseCostFen: Fen;
  unassignedCostFen: Fen;
  reconciles: boolean;
  cases: number;
  inpatientCases: number;
  drgSource: string;
  denialsSource: string;
  drgCases: number;
  drgPaymentFen: Fen;
  drgCostFen: Fen;
  deniedFen: Fen;
  lossMakingDrgs: number;
  overBudgetAlerts: number;
  consumableAlerts: number;
  issues: Issue[];
  reports: {
    departments: DepartmentReportRow[];
    items: ItemCostRow[];
    drgBenefit: BenefitRow[];
    departmentBenefit: BenefitRow[];
    doctorBenefit: BenefitRow[];
    diseases: { institutionId: string; diagnosis: string; cases: number; costFen: Fen; meanCostFen: number }[];
    doctors: { institutionId: string; doctorId: string; cases: number; costFen: Fen; drugFen: Fen; materialFen: Fen; serviceFen: Fen; meanCostFen: number }[];
    lossCauses: LossCauseRow[];
    budget: BudgetRow[];
    consumableAlerts: ThresholdFinding[];
    equipment: UtilisationRow[];
  };
}

function num(v: SqlValue | undefined): number {
  return typeof v === 'number' ? v : v === null || v === undefined ? 0 : Number(v);
}
function str(v: SqlValue | undefined): string {
  return v === null || v === undefined ? '' : String(v);
}

/** Load and select the costing configuration in force at the period start. */
export function loadCostingConfig(period: string, file?: string): CostingConfig {
  const text = readFileSync(file ?? COSTING_CONFIG_URL, 'utf8');
  return selectConfig(parseCostingConfig(JSON.parse(text) as unknown), `${period}-01-01`);
}

function parseCsv(path: string, columns: readonly string[]): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  for (const c of columns) {
    if (!header.includes(c)) throw new MedfundError([issue('missing-column', `${path}:1`, `column "${c}" is missing (expected ${columns.join(',')})`)]);
  }
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

function parseFenCell(v: string, where: string): Fen {
  if (!/^\d+$/.test(v)) throw new MedfundError([issue('bad-amount', where, `amountFen must be a non-negative integer number of fen, got "${v}"`)]);
  return Number(v);
}

export function readDenials(path: string): Denial[] {
  return parseCsv(path, ['encounterId', 'amountFen']).map((r, i) => ({
    encounterId: r.encounterId!,
    amountFen: parseFenCell(r.amountFen!, `${path}:${i + 2}.amountFen`),
    reason: r.reason ?? '',
  }));
}

export function readBudgets(path: string): BudgetLine[] {
  return parseCsv(path, ['institutionId', 'departmentId', 'costItem', 'year', 'annualFen']).map((r, i) => {
    const item = r.costItem!;
    if (item !== 'total' && !(COST_ITEMS as readonly string[]).includes(item)) {
      throw new MedfundError([issue('bad-cost-item', `${path}:${i + 2}.costItem`, `"${item}" is not one of total, ${COST_ITEMS.join(', ')}`)]);
    }
    if (!/^\d{4}$/.test(r.year!)) throw new MedfundError([issue('bad-year', `${path}:${i + 2}.year`, `expected YYYY, got "${r.year}"`)]);
    return { institutionId: r.institutionId!, centerId: r.departmentId!, costItem: item as CostItem | 'total', year: r.year!, annualFen: parseFenCell(r.annualFen!, `${path}:${i + 2}.annualFen`), basis: 'file' };
  });
}

async function tableExists(store: Store, name: string): Promise<boolean> {
  const rows = await store.query(`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = $1`, [name]);
  return num(rows[0]?.n) > 0;
}

interface DrgInfo {
  drg: string;
  drgName: string;
  paymentFen: Fen;
}

/** DRG groups and payments from the DRG engine's table `drg_results`, when it exists. */
async function loadDrgResults(store: Store, from: string, to: string, scheme: string | undefined): Promise<{ source: string; byEncounter: Map<string, DrgInfo> }> {
  const byEncounter = new Map<string, DrgInfo>();
  if (!(await tableExists(store, 'drg_results'))) return { source: 'none (drg_results missing)', byEncounter };
  const schemes = (await store.query(`SELECT DISTINCT scheme FROM drg_results ORDER BY scheme`)).map((r) => str(r.scheme));
  if (schemes.length === 0) return { source: 'none (drg_results empty)', byEncounter };
  if (scheme && !schemes.includes(scheme)) {
    throw new MedfundError([issue('unknown-scheme', 'scheme', `drg_results has no rows for scheme "${scheme}" (present: ${schemes.join(', ')})`)]);
  }
  // Without --scheme, each encounter takes its latest scheme (the one in force for it when the DRG
  // engine grouped by discharge date; the newest when it grouped under several).
  const rows = await store.query(
    `SELECT r.encounter_id, r.scheme, r.status, r.drg, CAST(r.payment_fen AS BIGINT) AS payment_fen
       FROM drg_results r JOIN encounters e ON e.id = r.encounter_id
      WHERE e.discharge_date >= $1 AND e.discharge_date <= $2 ${scheme ? 'AND r.scheme = $3' : ''}
      ORDER BY r.scheme`,
    scheme ? [from, to, scheme] : [from, to],
  );
  const used = new Set<string>();
  for (const r of rows) {
    // 入组 and 歧义组 (QY) results carry a DRG; 未入组 / failed checks have none and form the '' group.
    const failed = /FAIL|ERROR/i.test(str(r.status));
    byEncounter.set(str(r.encounter_id), { drg: failed ? '' : str(r.drg), drgName: str(r.scheme), paymentFen: num(r.payment_fen) });
    used.add(str(r.scheme));
  }
  // DRG names from the scheme tables (src/drg); drgName held the scheme until here
  const names = new Map<string, ReadonlyMap<string, { readonly name: string }>>();
  for (const sc of used) {
    if (listSchemes().some((x) => x.name === sc)) names.set(sc, loadScheme(sc, { names: false }).drgInfo);
  }
  for (const info of byEncounter.values()) info.drgName = info.drg ? names.get(info.drgName)?.get(info.drg)?.name ?? '' : '未入组';
  const use = [...used].join(', ') || 'no rows in period';
  return { source: `drg_results (${use})`, byEncounter };
}

/**
 * Denied payments (拒付) from the audit engine: definite findings with action `deduct` (扣款) of the
 * latest audit run, summed per encounter and capped at the encounter's charges (one line may break
 * several rules).
 */
async function loadAuditDenials(store: Store, from: string, to: string): Promise<{ source: string; denials: Map<string, Fen> }> {
  const denials = new Map<string, Fen>();
  if (!(await tableExists(store, 'violations')) || !(await tableExists(store, 'audit_runs'))) return { source: 'none', denials };
  const [run] = await store.query(`SELECT run_id FROM audit_runs ORDER BY finished_at DESC, run_id DESC LIMIT 1`);
  if (!run) return { source: 'none', denials };
  const rows = await store.query(
    `SELECT v.encounter_id, CAST(SUM(v.amount_fen) AS BIGINT) AS denied,
            CAST((SELECT COALESCE(SUM(l.amount_fen), 0) FROM settlement_lines l WHERE l.encounter_id = v.encounter_id) AS BIGINT) AS charged
       FROM violations v JOIN encounters e ON e.id = v.encounter_id
      WHERE v.run_id = $1 AND v.action = 'deduct' AND v.result_type = 'definite'
        AND e.discharge_date >= $2 AND e.discharge_date <= $3
      GROUP BY v.encounter_id`,
    [str(run.run_id), from, to],
  );
  for (const r of rows) denials.set(str(r.encounter_id), Math.min(num(r.denied), num(r.charged)));
  return { source: `audit run ${str(run.run_id)} (deduct, definite)`, denials };
}

interface InstitutionData {
  centers: CostCenter[];
  departments: Department[];
  costs: DepartmentCost[];
  cases: (CaseRecord & { procedures: string[]; principalDiagnosis: string; lineCount: number })[];
  uses: { caseIndex: number; orderingId: string; itemCode: string; itemName: string; quantity: number; amountFen: Fen }[];
  consumables: Map<number, { itemName: string; quantity: number; amountFen: Fen }[]>;
}

async function loadInstitution(store: Store, institutionId: string, from: string, to: string, cfg: CostingConfig): Promise<InstitutionData> {
  const departments = await store.listDepartments(institutionId);
  const year = from.slice(0, 4);
  const costs = await store.listDepartmentCosts({ institutionId, monthFrom: `${Number(year) - 1}-01`, monthTo: `${year}-12` });
  const encRows = await store.query(
    `SELECT e.id, e.department_id, e.doctor_id, e.kind, e.los_days, e.procedures, e.diagnoses,
            CAST(COALESCE(SUM(CASE WHEN l.category = 'drug' THEN l.amount_fen ELSE 0 END), 0) AS BIGINT) AS drug_fen,
            CAST(COALESCE(SUM(CASE WHEN l.category = 'consumable' THEN l.amount_fen ELSE 0 END), 0) AS BIGINT) AS material_fen,
            CAST(COALESCE(SUM(CASE WHEN l.category IN ('service', 'facility') THEN l.amount_fen ELSE 0 END), 0) AS BIGINT) AS service_fen,
            CAST(COUNT(l.id) AS BIGINT) AS line_count
       FROM encounters e LEFT JOIN settlement_lines l ON l.encounter_id = e.id
      WHERE e.institution_id = $1 AND e.discharge_date >= $2 AND e.discharge_date <= $3
      GROUP BY e.id, e.department_id, e.doctor_id, e.kind, e.los_days, e.procedures, e.diagnoses
      ORDER BY e.id`,
    [institutionId, from, to],
  );
  const index = new Map<string, number>();
  const cases = encRows.map((r, i) => {
    index.set(str(r.id), i);
    const kind = str(r.kind) as CaseRecord['kind'];
    return {
      id: str(r.id),
      departmentId: str(r.department_id),
      doctorId: str(r.doctor_id),
      kind,
      losDays: num(r.los_days),
      drugFen: num(r.drug_fen),
      materialFen: num(r.material_fen),
      serviceFen: num(r.service_fen),
      examFen: 0,
      procedures: str(r.procedures) ? str(r.procedures).split('|') : [],
      principalDiagnosis: str(r.diagnoses).split('|')[0] ?? '',
      lineCount: num(r.line_count),
    };
  });
  const useRows = await store.query(
    `SELECT l.encounter_id, l.department_id, l.item_code, MIN(l.item_name) AS item_name,
            CAST(SUM(l.quantity) AS DOUBLE PRECISION) AS quantity, CAST(SUM(l.amount_fen) AS BIGINT) AS amount_fen
       FROM settlement_lines l JOIN encounters e ON e.id = l.encounter_id
      WHERE e.institution_id = $1 AND e.discharge_date >= $2 AND e.discharge_date <= $3
        AND l.category IN ('service', 'facility')
      GROUP BY l.encounter_id, l.department_id, l.item_code`,
    [institutionId, from, to],
  );
  const isExam = itemMatcher(cfg.itemCosting.examPrefixes, cfg.itemCosting.examNamePattern);
  const uses = useRows.map((r) => {
    const caseIndex = index.get(str(r.encounter_id))!;
    const itemCode = str(r.item_code);
    const amountFen = num(r.amount_fen);
    if (isExam(itemCode, str(r.item_name))) {
      const c = cases[caseIndex]!;
      cases[caseIndex] = { ...c, examFen: c.examFen + amountFen };
    }
    return { caseIndex, orderingId: str(r.department_id), itemCode, itemName: str(r.item_name), quantity: num(r.quantity), amountFen };
  });
  const consRows = await store.query(
    `SELECT l.encounter_id, l.item_name, CAST(SUM(l.quantity) AS DOUBLE PRECISION) AS quantity, CAST(SUM(l.amount_fen) AS BIGINT) AS amount_fen
       FROM settlement_lines l JOIN encounters e ON e.id = l.encounter_id
      WHERE e.institution_id = $1 AND e.discharge_date >= $2 AND e.discharge_date <= $3
        AND l.category = 'consumable' AND e.procedures <> ''
      GROUP BY l.encounter_id, l.item_name`,
    [institutionId, from, to],
  );
  const consumables = new Map<number, { itemName: string; quantity: number; amountFen: Fen }[]>();
  for (const r of consRows) {
    const i = index.get(str(r.encounter_id))!;
    let l = consumables.get(i);
    if (!l) consumables.set(i, (l = []));
    l.push({ itemName: str(r.item_name), quantity: num(r.quantity), amountFen: num(r.amount_fen) });
  }
  const centers = departments.map((d) => ({ id: d.id, institutionId: d.institutionId, name: d.name, category: d.costCategory, parentId: d.parentId }));
  return { centers, departments, costs, cases, uses, consumables };
}

/** Run one period over every institution in the store and persist the results. */
export async function runCostPeriod(store: Store, opts: CostRunOptions): Promise<CostRunResult> {
  if (!/^\d{4}$/.test(opts.period)) throw new MedfundError([issue('bad-period', 'period', `expected a year YYYY, got "${opts.period}"`)]);
  const log = opts.log ?? (() => undefined);
  const cfg = loadCostingConfig(opts.period, opts.configFile);
  const allocationMethod = opts.allocationMethod ?? cfg.allocation.method;
  const caseMethod = opts.caseMethod ?? 'top-down';
  const from = `${opts.period}-01-01`;
  const to = `${opts.period}-12-31`;
  const runId = `${opts.period}:${allocationMethod}:${caseMethod}`;
  const issues: Issue[] = [];
  const denialSource = opts.denialsFile
    ? { source: `file ${opts.denialsFile}`, denials: deniedByEncounter(readDenials(opts.denialsFile)) }
    : await loadAuditDenials(store, from, to);
  const denials = denialSource.denials;
  const fileBudgets = opts.budgetFile ? readBudgets(opts.budgetFile) : undefined;
  const drg = await loadDrgResults(store, from, to, opts.scheme);
  const standards = compileTimeStandards(cfg.itemCosting);
  const equipmentClasses = cfg.equipment.map((e) => ({ ...e, match: itemMatcher(e.itemPrefixes, e.itemNamePattern) }));
  const institutions = await store.listInstitutions();

  const departments: DepartmentReportRow[] = [];
  const items: ItemCostRow[] = [];
  const benefitCases: BenefitCase[] = [];
  const diseases: CostRunResult['reports']['diseases'] = [];
  const doctors: CostRunResult['reports']['doctors'] = [];
  const actuals: ActualCost[] = [];
  const thresholdFindings: ThresholdFinding[] = [];
  const equipmentUses: EquipmentUse[] = [];
  const equipmentUnits: { institutionId: string; equipmentClass: string; units: number }[] = [];
  const runRows: SqlValue[][] = [];
  const deptRows: SqlValue[][] = [];
  const flowRows: SqlValue[][] = [];
  const itemRows: SqlValue[][] = [];
  const caseRows: SqlValue[][] = [];
  let deniedTotal = 0;
  let deniedMatched = 0;
  let imported = 0, allocated = 0, unallocated = 0, caseCost = 0, unassigned = 0, nCases = 0, nInpatient = 0, lastMonth = '';

  const bar = progressBar('成本核算 costing', institutions.length, ' hospitals');
  for (const [n, inst] of institutions.entries()) {
    const data = await loadInstitution(store, inst.id, from, to, cfg);
    const { centers, cases } = data;
    // direct cost of the year per center and item; actuals for budgets (this and the prior year)
    const direct = new Map<string, number[]>();
    for (const c of data.costs) {
      actuals.push({ institutionId: c.institutionId, centerId: c.departmentId, costItem: c.costItem, month: c.month, amountFen: c.amountFen });
      if (!c.month.startsWith(opts.period)) continue;
      if (c.month > lastMonth) lastMonth = c.month;
      let v = direct.get(c.departmentId);
      if (!v) direct.set(c.departmentId, (v = zeroVector()));
      v[ITEM_INDEX[c.costItem]]! += c.amountFen;
    }
    if (centers.length === 0) {
      if (direct.size > 0) issues.push(issue('no-cost-centers', `institutions.${inst.id}`, `${inst.name}: department costs imported but no departments`));
      bar.update(n + 1);
      continue;
    }

    // activities: executing center per service item, minutes by time standard
    const execOf = compileExecutingCenters(centers, cfg.itemCosting);
    const activityKey = new Map<string, CaseActivity & { minutes: number; revenueFen: number }>();
    const itemUse = new Map<string, ItemUse & { quantity: number; revenueFen: number; minutes: number }>();
    const orderedElsewhere = new Map<string, number>();
    const sterilisation = new Map<string, number>();
    const equipmentMinutes = new Map<string, number>();
    const isSurgery = itemMatcher(cfg.itemCosting.surgeryPrefixes, cfg.itemCosting.surgeryNamePattern);
    for (const u of data.uses) {
      const c = cases[u.caseIndex]!;
      const exec = execOf(u.itemCode, u.itemName, u.orderingId, c.departmentId);
      const m = standards.minutes(u.itemCode, u.itemName, u.quantity, u.amountFen);
      const ak = `${u.caseIndex}|${exec}`;
      const a = activityKey.get(ak);
      if (a) {
        a.minutes += m.minutes;
        a.revenueFen += u.amountFen;
      } else activityKey.set(ak, { caseIndex: u.caseIndex, centerId: exec, minutes: m.minutes, revenueFen: u.amountFen });
      const ik = `${exec}|${u.itemCode}`;
      const it = itemUse.get(ik);
      if (it) {
        it.quantity += u.quantity;
        it.revenueFen += u.amountFen;
        it.minutes += m.minutes;
      } else itemUse.set(ik, { centerId: exec, itemCode: u.itemCode, itemName: u.itemName, quantity: u.quantity, revenueFen: u.amountFen, minutes: m.minutes, basis: m.basis });
      if (exec !== u.orderingId) orderedElsewhere.set(u.orderingId, (orderedElsewhere.get(u.orderingId) ?? 0) + u.amountFen);
      if (isSurgery(u.itemCode, u.itemName)) sterilisation.set(c.departmentId, (sterilisation.get(c.departmentId) ?? 0) + u.quantity);
      const eq = equipmentClasses.find((e) => e.match(u.itemCode, u.itemName));
      if (eq) {
        equipmentMinutes.set(exec, (equipmentMinutes.get(exec) ?? 0) + u.quantity * eq.minutesPerUse);
        equipmentUses.push({ institutionId: inst.id, itemCode: u.itemCode, itemName: u.itemName, quantity: u.quantity });
      }
    }
    for (const e of cfg.equipment) {
      const re = new RegExp(e.centerNamePattern);
      if (centers.some((c) => re.test(c.name))) equipmentUnits.push({ institutionId: inst.id, equipmentClass: e.equipmentClass, units: 1 });
    }

    // drivers
    const put = (m: Map<string, number>, k: string, v: number): void => {
      m.set(k, (m.get(k) ?? 0) + v);
    };
    const visits = new Map<string, number>(), bedDays = new Map<string, number>(), discharges = new Map<string, number>();
    const revenue = new Map<string, number>(), workload = new Map<string, number>();
    for (const c of cases) {
      if (c.kind === 'inpatient') {
        put(bedDays, c.departmentId, Math.max(1, c.losDays));
        put(discharges, c.departmentId, 1);
      } else put(visits, c.departmentId, 1);
      put(revenue, c.departmentId, c.drugFen + c.materialFen + c.serviceFen);
      put(workload, c.departmentId, c.lineCount);
    }
    const drivers: Partial<Record<DriverKind, Map<string, number>>> = {
      staff: new Map(data.departments.map((d) => [d.id, d.staffCount])),
      'floor-area': new Map(data.departments.map((d) => [d.id, d.floorAreaM2])),
      beds: new Map(data.departments.map((d) => [d.id, d.beds])),
      visits,
      'bed-days': bedDays,
      discharges,
      workload,
      revenue,
      'ordered-revenue': orderedElsewhere,
      'equipment-hours': new Map([...equipmentMinutes].map(([k, v]) => [k, v / 60])),
      sterilisation,
    };

    const alloc: AllocationResult = allocate({ centers, direct, drivers, plan: resolveDriverPlan(centers, cfg) }, allocationMethod);
    issues.push(...alloc.issues.map((i) => ({ ...i, path: `${inst.id}.${i.path}` })));
    const activities = [...activityKey.values()];
    const cc = costCases(alloc, cases, caseMethod, activities);
    issues.push(...cc.issues.map((i) => ({ ...i, path: `${inst.id}.${i.path}` })));
    const ic = allocationMethod === 'step-down'
      ? costItems(alloc, [...itemUse.values()], drivers.staff!, cfg.itemCosting.practicalMinutesPerStaffYear, 12)
      : { items: [], centers: [] };
    items.push(...ic.items.map((r) => ({ ...r, institutionId: inst.id })));
    imported += alloc.importedFen;
    allocated += alloc.finalFen;
    unallocated += alloc.unallocatedFen;
    caseCost += cc.caseCostFen;
    unassigned += cc.unassignedFen;
    nCases += cases.length;

    // department report
    const unit = new Map<string, UnitCostRow>(unitCosts(cases, cc).map((u) => [u.centerId, u]));
    const caseCostBy = new Map<string, number>();
    const deniedBy = new Map<string, number>();
    cases.forEach((c, i) => {
      put(caseCostBy, c.departmentId, cc.costs[i]!.totalFen);
      put(deniedBy, c.departmentId, denials.get(c.id) ?? 0);
    });
    for (const r of alloc.centers) {
      const u = unit.get(r.center.id);
      const row: DepartmentReportRow = {
        institutionId: inst.id,
        departmentId: r.center.id,
        name: r.center.name,
        category: r.center.category,
        parentId: r.center.parentId,
        directFen: sumVector(r.direct),
        receivedL1Fen: sumVector(r.receivedByLevel[0]),
        receivedL2Fen: sumVector(r.receivedByLevel[1]),
        receivedL3Fen: sumVector(r.receivedByLevel[2]),
        allocatedOutFen: sumVector(r.allocatedOut),
        fullFen: sumVector(r.full),
        fullByItem: Object.fromEntries(COST_ITEMS.map((it, i) => [it, r.full[i]!])) as Record<CostItem, Fen>,
        caseCostFen: caseCostBy.get(r.center.id) ?? 0,
        unassignedFen: cc.unassignedByCenter.get(r.center.id) ?? 0,
        deniedFen: deniedBy.get(r.center.id) ?? 0,
        visits: u?.visits ?? 0,
        bedDays: u?.bedDays ?? 0,
        discharges: u?.discharges ?? 0,
        costPerVisitFen: u?.costPerVisitFen ?? 0,
        costPerBedDayFen: u?.costPerBedDayFen ?? 0,
      };
      departments.push(row);
      for (let i = 0; i < ITEM_COUNT; i++) {
        deptRows.push([runId, inst.id, r.center.id, r.center.category, COST_ITEMS[i]!, r.direct[i]!, r.receivedByLevel[0][i]!, r.receivedByLevel[1][i]!, r.receivedByLevel[2][i]!, r.allocatedOut[i]!, r.full[i]!]);
      }
    }
    for (const f of alloc.flows) {
      for (let i = 0; i < ITEM_COUNT; i++) if (f.amounts[i]! !== 0) flowRows.push([runId, inst.id, f.fromId, f.toId, f.level, COST_ITEMS[i]!, f.drivers[i]!, f.amounts[i]!]);
    }
    for (const r of ic.items) {
      itemRows.push([runId, inst.id, r.centerId, r.itemCode, r.itemName, r.quantity, r.revenueFen, r.minutes, r.basis, r.costFen, r.unitCostFen, Number.isFinite(r.costToChargeRatio) ? r.costToChargeRatio : null]);
    }

    // cases, DRG cost-benefit input, diseases, thresholds
    const thresholdCases: ThresholdCase[] = [];
    cases.forEach((c, i) => {
      const cost = cc.costs[i]!;
      const d = drg.byEncounter.get(c.id);
      const denied = denials.get(c.id) ?? 0;
      if (denied) deniedMatched++;
      deniedTotal += denied;
      caseRows.push([runId, c.id, inst.id, c.departmentId, c.doctorId, c.kind, d?.drg ?? '', cost.drugFen, cost.materialFen, cost.serviceFen, cost.totalFen, d?.paymentFen ?? 0, denied]);
      if (c.kind !== 'inpatient') return;
      nInpatient++;
      if (d) {
        benefitCases.push({
          institutionId: inst.id, departmentId: c.departmentId, doctorId: c.doctorId, drg: d.drg, drgName: d.drgName,
          losDays: c.losDays, drugChargeFen: c.drugFen, materialChargeFen: c.materialFen, examChargeFen: c.examFen,
          serviceChargeFen: c.serviceFen, costFen: cost.totalFen, drugCostFen: cost.drugFen, materialCostFen: cost.materialFen,
          serviceCostFen: cost.serviceFen, paymentFen: d.paymentFen, deniedFen: denied,
        });
      }
      const cons = data.consumables.get(i);
      if (cons && c.procedures.length) thresholdCases.push({ id: c.id, departmentId: c.departmentId, doctorId: c.doctorId, procedures: c.procedures, consumables: cons });
    });
    for (const g of groupCaseCosts(cc, (i) => (cases[i]!.kind === 'inpatient' ? cases[i]!.principalDiagnosis : undefined))) {
      diseases.push({ institutionId: inst.id, diagnosis: g.key, cases: g.cases, costFen: g.costFen, meanCostFen: g.meanCostFen });
    }
    // attribution to the attending doctor 主诊医师 (all encounters, all cost)
    for (const g of groupCaseCosts(cc, (i) => cases[i]!.doctorId)) {
      doctors.push({ institutionId: inst.id, doctorId: g.key, cases: g.cases, costFen: g.costFen, drugFen: g.drugFen, materialFen: g.materialFen, serviceFen: g.serviceFen, meanCostFen: g.meanCostFen });
    }
    thresholdFindings.push(...checkConsumableThresholds(thresholdCases, cfg.consumableThresholds));
    runRows.push([runId, inst.id, opts.period, allocationMethod, caseMethod, cfg.version, alloc.importedFen, alloc.finalFen, alloc.unallocatedFen, cc.caseCostFen, cc.unassignedFen, cases.length, opts.now]);
    log(`  ${inst.name}: 科室 ${centers.length} · 病例 cases ${cases.length} · 成本 ${formatYuan(alloc.importedFen)} 元`);
    bar.update(n + 1);
  }
  bar.stop();

  if (deniedMatched < denials.size) {
    issues.push(issue('denial-outside-period', 'denials', `${denials.size - deniedMatched} denied encounter(s) of ${denialSource.source} are not encounters discharged in ${opts.period}; they are not booked`, 'warning'));
  }
  // budgets (as of the last month with cost data), DRG cost-benefit, loss causes, utilisation
  const asOf = lastMonth || `${opts.period}-12`;
  const months = Number(asOf.slice(5, 7));
  const budgets = fileBudgets ?? deriveBudgets(actuals, opts.period, cfg.budget.defaultGrowthPct);
  const budget = evaluateBudgets(budgets, actuals, { asOfMonth: asOf, overBudgetThresholdPct: cfg.budget.overBudgetThresholdPct, runRateMonths: cfg.budget.runRateMonths });
  issues.push(...budget.issues);
  const drgBenefit = drgCostBenefit(benefitCases, 'drg');
  const departmentBenefit = drgCostBenefit(benefitCases, 'department');
  const doctorBenefit = drgCostBenefit(benefitCases, 'doctor');
  const lossCauses = decomposeLosses(benefitCases);
  const equipment = equipmentUtilisation(cfg.equipment, equipmentUses, equipmentUnits, months);
  const grouped = benefitCases.filter((c) => c.drg !== '');

  const benefitRows: SqlValue[][] = [];
  for (const [dim, rows] of [['drg', drgBenefit], ['department', departmentBenefit], ['doctor', doctorBenefit]] as const) {
    for (const r of rows) benefitRows.push([runId, dim, r.institutionId, r.key, r.drg, r.cases, r.costFen, r.paymentFen, r.deniedFen, r.marginFen, r.marginRate]);
  }
  const budgetRows: SqlValue[][] = budget.rows.map((r) => [runId, r.institutionId, r.centerId, r.costItem, r.period, r.granularity, r.budgetFen, r.actualFen, r.varianceFen, r.forecastFen, r.status, r.basis]);

  await store.withTransaction(async (tx) => {
    for (const t of ['cost_runs', 'cost_department_results', 'cost_allocation_flows', 'cost_item_results', 'cost_case_results', 'cost_drg_benefit', 'cost_budget_results']) {
      await tx.exec(`DELETE FROM ${t} WHERE run_id = $1`, [runId]);
    }
    await tx.appendRows('cost_runs', ['run_id', 'institution_id', 'period', 'allocation_method', 'case_method', 'config_version', 'imported_fen', 'allocated_fen', 'unallocated_fen', 'case_cost_fen', 'unassigned_fen', 'cases', 'created_at'], runRows);
    await tx.appendRows('cost_department_results', ['run_id', 'institution_id', 'department_id', 'cost_category', 'cost_item', 'direct_fen', 'received_l1_fen', 'received_l2_fen', 'received_l3_fen', 'allocated_out_fen', 'full_fen'], deptRows);
    await tx.appendRows('cost_allocation_flows', ['run_id', 'institution_id', 'from_id', 'to_id', 'level', 'cost_item', 'driver', 'amount_fen'], flowRows);
    await tx.appendRows('cost_item_results', ['run_id', 'institution_id', 'center_id', 'item_code', 'item_name', 'quantity', 'revenue_fen', 'minutes', 'basis', 'cost_fen', 'unit_cost_fen', 'cost_to_charge'], itemRows);
    await tx.appendRows('cost_case_results', ['run_id', 'encounter_id', 'institution_id', 'department_id', 'doctor_id', 'kind', 'drg', 'drug_fen', 'material_fen', 'service_fen', 'total_fen', 'payment_fen', 'denied_fen'], caseRows);
    await tx.appendRows('cost_drg_benefit', ['run_id', 'dimension', 'institution_id', 'key', 'drg', 'cases', 'cost_fen', 'payment_fen', 'denied_fen', 'margin_fen', 'margin_rate'], benefitRows);
    await tx.appendRows('cost_budget_results', ['run_id', 'institution_id', 'center_id', 'cost_item', 'period', 'granularity', 'budget_fen', 'actual_fen', 'variance_fen', 'forecast_fen', 'status', 'basis'], budgetRows);
  });

  return {
    runId,
    period: opts.period,
    configVersion: cfg.version,
    allocationMethod,
    caseMethod,
    institutions: institutions.length,
    importedCostFen: imported,
    allocatedCostFen: allocated,
    unallocatedCostFen: unallocated,
    caseCostFen: caseCost,
    unassignedCostFen: unassigned,
    reconciles: imported === allocated + unallocated && allocated === caseCost + unassigned,
    cases: nCases,
    inpatientCases: nInpatient,
    drgSource: drg.source,
    denialsSource: denialSource.source,
    drgCases: grouped.length,
    drgPaymentFen: grouped.reduce((s, c) => s + c.paymentFen, 0),
    drgCostFen: grouped.reduce((s, c) => s + c.costFen, 0),
    deniedFen: deniedTotal,
    lossMakingDrgs: drgBenefit.filter((r) => r.drg !== '' && r.marginFen < 0).length,
    overBudgetAlerts: budget.rows.filter((r) => r.status !== 'ok').length,
    consumableAlerts: thresholdFindings.length,
    issues,
    reports: { departments, items, drgBenefit, departmentBenefit, doctorBenefit, diseases, doctors, lossCauses, budget: budget.rows, consumableAlerts: thresholdFindings, equipment },
  };
}

// ── report files ──

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(Number.isInteger(v) ? v : Number(v.toFixed(4))) : '') : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCsv(rows: readonly object[], columns?: readonly string[]): string {
  const first = rows[0] as Record<string, unknown> | undefined;
  const cols = columns ?? (first ? Object.keys(first).filter((k) => typeof first[k] !== 'object' || first[k] === null) : []);
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell((r as Record<string, unknown>)[c])).join(','))].join('\n') + '\n';
}

/** Write the reports (CSV per table + report.json) into `dir`; returns the file names. */
export function writeCostReports(result: CostRunResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const r = result.reports;
  const flatDept = r.departments.map(({ fullByItem, ...d }) => ({ ...d, ...Object.fromEntries(COST_ITEMS.map((it) => [`full_${it}`, fullByItem[it]])) }));
  const flatLoss = r.lossCauses.map((l) => ({
    institutionId: l.institutionId, drg: l.drg, cases: l.cases, peerCases: l.peerCases, meanMarginFen: l.meanMarginFen, mainCause: l.mainCause,
    ownLosDays: l.own.los, peerLosDays: l.peer.los, losEffectFen: l.effectFen.los,
    ownDrugFen: l.own.drugs, peerDrugFen: l.peer.drugs, drugEffectFen: l.effectFen.drugs,
    ownConsumableFen: l.own.consumables, peerConsumableFen: l.peer.consumables, consumableEffectFen: l.effectFen.consumables,
    ownExamFen: l.own.examinations, peerExamFen: l.peer.examinations, examEffectFen: l.effectFen.examinations,
  }));
  const files: [string, string][] = [
    ['departments.csv', toCsv(flatDept)],
    ['drg-benefit.csv', toCsv(r.drgBenefit)],
    ['drg-benefit-departments.csv', toCsv(r.departmentBenefit)],
    ['drg-benefit-doctors.csv', toCsv(r.doctorBenefit)],
    ['drg-loss-causes.csv', toCsv(flatLoss)],
    ['budget.csv', toCsv(r.budget)],
    ['items.csv', toCsv(r.items)],
    ['diseases.csv', toCsv(r.diseases)],
    ['doctors.csv', toCsv(r.doctors)],
    ['consumable-alerts.csv', toCsv(r.consumableAlerts)],
    ['equipment.csv', toCsv(r.equipment)],
    ['report.json', JSON.stringify(result, null, 1)],
  ];
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  return files.map(([n]) => n);
}

/** The one-object summary printed by `--json` (reports go to files). */
export function costSummary(r: CostRunResult): Omit<CostRunResult, 'reports' | 'issues'> & { issues: number; errors: Issue[] } {
  const { reports: _reports, issues, ...rest } = r;
  return { ...rest, issues: issues.length, errors: issues.filter((i) => i.severity === 'error') };
}

export function register(program: Command): void {
  withStoreOptions(
    program
      .command('cost')
      .description('成本核算: department, item, case and DRG costs, budgets, DRG cost-benefit for a year · hospital cost accounting')
      .requiredOption('--period <YYYY>', 'year to cost (discharges and department costs of that year)')
      .option('--method <method>', 'allocation method 分摊方法: step-down | reciprocal (default: from the config)')
      .option('--case-method <method>', `case costing method 病种成本方法: ${CASE_COST_METHODS.join(' | ')}`, 'top-down')
      .option('--scheme <scheme>', 'DRG scheme in drg_results (default: the latest present)')
      .option('--denials <file>', 'denied payments 拒付 CSV: encounterId,amountFen,reason (default: deductions of the latest audit run)')
      .option('--budget <file>', 'budgets CSV: institutionId,departmentId,costItem,year,annualFen (default: derived baseline)')
      .option('--config <file>', 'costing configuration JSON (default: data/costing/costing-config.json)')
      .option('--out <dir>', 'write department, DRG cost-benefit and budget reports (CSV + report.json) here')
      .option('--hint <itemCode>', '成本提示 cost hint for an order: the item\'s cost and cheaper equivalents (uses the stored run of --period)')
      .option('--quantity <n>', 'quantity ordered, with --hint', '1')
      .option('--json', 'print one JSON object with the totals'),
  ).action(async (opts: { period: string; method?: string; caseMethod: string; scheme?: string; denials?: string; budget?: string; config?: string; out?: string; json?: boolean; db?: string; databaseUrl?: string; hint?: string; quantity: string }) => {
    if (opts.hint) {
      const qty = Number(opts.quantity);
      if (!(qty > 0)) throw new MedfundError([issue('bad-option', '--quantity', `must be a positive number, got "${opts.quantity}"`)]);
      const hint = await withStore(opts, (store) => costHintFromStore(store, opts.period, opts.hint!, qty, opts.config));
      if (opts.json) printJson(hint);
      else {
        process.stdout.write(`成本提示 cost hint ${hint.code} ${hint.name}: 单位成本 unit cost ${hint.unitCostFen === null ? '未知 unknown' : `${formatYuan(roundFen(hint.unitCostFen))} 元 (${hint.basis})`}` +
          `${hint.orderCostFen === null ? '' : ` · 本次 order ${formatYuan(hint.orderCostFen)} 元`}\n`);
        for (const c of hint.cheaper) process.stdout.write(`  更低成本等效 cheaper: ${c.code} ${c.name} ${formatYuan(roundFen(c.unitCostFen))} 元 (省 saves ${formatYuan(roundFen(c.savingPerUnitFen))} 元/单位)\n`);
        if (hint.cheaper.length === 0) process.stdout.write('  无更低成本的等效项目 no cheaper equivalent in the catalog\n');
      }
      return;
    }
    if (opts.method && opts.method !== 'step-down' && opts.method !== 'reciprocal') {
      throw new MedfundError([issue('bad-option', '--method', `expected step-down or reciprocal, got "${opts.method}"`)]);
    }
    if (!(CASE_COST_METHODS as readonly string[]).includes(opts.caseMethod)) {
      throw new MedfundError([issue('bad-option', '--case-method', `expected ${CASE_COST_METHODS.join(', ')}, got "${opts.caseMethod}"`)]);
    }
    await withStore(opts, async (store) => {
      const result = await runCostPeriod(store, {
        period: opts.period,
        allocationMethod: opts.method as AllocationMethod | undefined,
        caseMethod: opts.caseMethod as CaseCostMethod,
        scheme: opts.scheme,
        denialsFile: opts.denials,
        budgetFile: opts.budget,
        configFile: opts.config,
        now: new Date().toISOString().slice(0, 19),
        log: opts.json ? undefined : (l) => process.stderr.write(l + '\n'),
      });
      const files = opts.out ? writeCostReports(result, opts.out) : [];
      if (opts.json) printJson({ ...costSummary(result), out: opts.out ?? null, files });
      else {
        for (const l of costSummaryLines(result)) process.stdout.write(l + '\n');
        if (opts.out) process.stdout.write(`报表 reports → ${opts.out}: ${files.join(', ')}\n`);
      }
      if (!result.reconciles) process.exitCode = 3;
    });
  });
}

/**
 * Cost hint for an order from the stored item costs of a period (any stored run of it) and the
 * catalog: `compileCostHints` over Σ cost / Σ quantity per item code.
 */
export async function costHintFromStore(store: Store, period: string, itemCode: string, quantity: number, configFile?: string): Promise<CostHint> {
  const cfg = loadCostingConfig(period, configFile);
  const rows = await store.query(
    `SELECT item_code, CAST(SUM(cost_fen) AS BIGINT) AS cost_fen, CAST(SUM(quantity) AS DOUBLE PRECISION) AS quantity
       FROM cost_item_results WHERE run_id = (SELECT MAX(run_id) FROM cost_runs WHERE period = $1 AND allocation_method = 'step-down')
      GROUP BY item_code`,
    [period],
  );
  const unit = new Map(rows.filter((r) => num(r.quantity) > 0).map((r) => [str(r.item_code), { unitCostFen: num(r.cost_fen) / num(r.quantity) }]));
  const hinter = compileCostHints(await store.listCatalog(), unit, cfg.equivalenceKeyLength);
  const h = hinter(itemCode, quantity, `${period}-12-31`);
  if (!h) throw new MedfundError([issue('unknown-item', '--hint', `item ${itemCode} is not in the catalog`)]);
  return h;
}

/** Human summary, Chinese first. */
export function costSummaryLines(r: CostRunResult): string[] {
  const y = (f: number) => `${formatYuan(f)} 元`;
  const errors = r.issues.filter((i) => i.severity === 'error');
  return [
    `成本核算 ${r.period} (${r.allocationMethod} / ${r.caseMethod}, 配置 ${r.configVersion}): ${r.institutions} 家医院, ${r.cases} 例就诊 (住院 ${r.inpatientCases})`,
    `  科室成本 imported ${y(r.importedCostFen)} = 分摊后 allocated ${y(r.allocatedCostFen)} + 未分摊 unallocated ${y(r.unallocatedCostFen)}`,
    `  分摊后 allocated = 病例成本 case ${y(r.caseCostFen)} + 未归集 unassigned ${y(r.unassignedCostFen)} — ${r.reconciles ? '对账一致 reconciles to the fen' : '对账不一致 DOES NOT RECONCILE'}`,
    `  DRG 成本效益 (${r.drgSource}): ${r.drgCases} 例入组, 支付 payment ${y(r.drgPaymentFen)}, 成本 cost ${y(r.drgCostFen)}, 亏损病组 loss-making DRGs ${r.lossMakingDrgs}; 拒付 denied ${y(r.deniedFen)}`,
    `  预算预警 budget alerts ${r.overBudgetAlerts} · 耗材超阈值 consumable alerts ${r.consumableAlerts} · 问题 issues ${r.issues.length} (错误 errors ${errors.length})`,
  ];
}
