/**
 * Service-item (医疗服务项目成本) and case / DRG / disease costing (病种成本) on top of an allocation.
 *
 * Three case methods of 《公立医院成本核算规范》 (note §3.8):
 * - top-down 自上而下法: each clinical center's full cost; its drug (药品费) and material (卫生材料费)
 *   cost goes to its patients by their drug / consumable charges, the rest by bed-days (inpatients) and
 *   visits (outpatients) after a split between the two by service revenue;
 * - ccr 成本收入比法: drug and material as above; every service unit (executing center) spreads its
 *   pre-level-3 cost by the patient's revenue there (patient cost = Σ revenue × CCR_unit);
 * - bottom-up 自下而上法: activity-based item costs (作业成本法 / TDABC: time standards × volumes over
 *   each executing center's pre-level-3 cost) summed per patient, plus drug and material cost.
 *
 * Every pool is split with allocateLargestRemainder, so Σ case cost + unassigned = the pools to the fen.
 */
import { MedfundError, allocateLargestRemainder, issue } from '../domain/index.js';
import type { EncounterKind, Fen, Issue } from '../domain/index.js';
import { ITEM_INDEX, sumVector, type AllocationResult, type CostVector } from './types.js';

export const CASE_COST_METHODS = ['top-down', 'ccr', 'bottom-up'] as const;
export type CaseCostMethod = (typeof CASE_COST_METHODS)[number];

/** One encounter with its charges summed by class (from settlement lines). */
export interface CaseRecord {
  readonly id: string;
  readonly departmentId: string;
  /** attending doctor 主诊医师 */
  readonly doctorId: string;
  readonly kind: EncounterKind;
  readonly losDays: number;
  readonly drugFen: Fen;
  readonly materialFen: Fen;
  /** service + facility charges (诊疗项目 + 服务设施) */
  readonly serviceFen: Fen;
  /** the part of serviceFen that is examinations / laboratory (检查检验) */
  readonly examFen: Fen;
}

/** Activity use of one case in one executing center (Σ minutes of its items there). */
export interface CaseActivity {
  readonly caseIndex: number;
  readonly centerId: string;
  readonly minutes: number;
  /** the case's service charges executed there */
  readonly revenueFen: Fen;
}

export interface CaseCost {
  drugFen: Fen;
  materialFen: Fen;
  /** everything else: staff, equipment, space, overhead (LOS- / activity-driven) */
  serviceFen: Fen;
  totalFen: Fen;
}

export interface CaseCostResult {
  readonly method: CaseCostMethod;
  readonly institutionId: string;
  /** aligned with the input cases */
  readonly costs: readonly CaseCost[];
  readonly caseCostFen: Fen;
  /** allocated cost no case carries (a center without patients or without activity) */
  readonly unassignedFen: Fen;
  readonly unassignedByCenter: ReadonlyMap<string, Fen>;
  readonly issues: readonly Issue[];
}

const DRUG = ITEM_INDEX.drugs;
const MATERIAL = ITEM_INDEX['medical-materials'];

/**
 * Cost of each center before the third level (三级分摊前): direct + received from levels 1 and 2.
 * For a medical-technical center this is what it passes on; for a clinical center it excludes what
 * the medical-technical centers passed on, so item costing counts every fen once.
 */
export function preTechCost(result: AllocationResult): Map<string, CostVector> {
  const out = new Map<string, CostVector>();
  for (const c of result.centers) {
    if (c.center.category === 'clinical') out.set(c.center.id, c.full.map((x, i) => x - c.receivedByLevel[2][i]!));
    else if (c.center.category === 'medical-technical') out.set(c.center.id, c.allocatedOut.slice());
  }
  return out;
}

function newCost(): CaseCost {
  return { drugFen: 0, materialFen: 0, serviceFen: 0, totalFen: 0 };
}

/** Spread `amount` over `idx` cases by `weights`; returns false when the weights are all zero. */
function spread(amount: Fen, idx: readonly number[], weights: readonly number[], costs: CaseCost[], field: 'drugFen' | 'materialFen' | 'serviceFen'): boolean {
  if (amount === 0) return true;
  let total = 0;
  for (const w of weights) total += w;
  if (!(total > 0)) return false;
  const parts = allocateLargestRemainder(amount, weights);
  for (let k = 0; k < idx.length; k++) costs[idx[k]!]![field] += parts[k]!;
  return true;
}

/** Weights of the LOS / visit driver: outpatient vs inpatient split by service revenue, then visits / bed-days. */
function losVisitWeights(cases: readonly CaseRecord[], idx: readonly number[]): number[] {
  let inRev = 0;
  let outRev = 0;
  let inDays = 0;
  let outVisits = 0;
  for (const i of idx) {
    const c = cases[i]!;
    if (c.kind === 'inpatient') {
      inRev += c.serviceFen;
      inDays += Math.max(1, c.losDays);
    } else {
      outRev += c.serviceFen;
      outVisits += 1;
    }
  }
  // Without revenue on either side, fall back to counting a bed-day like a visit.
  if (inRev + outRev === 0) {
    inRev = inDays;
    outRev = outVisits;
  }
  const inShare = inDays > 0 ? inRev / (inRev + outRev) / inDays : 0;
  const outShare = outVisits > 0 ? outRev / (inRev + outRev) / outVisits : 0;
  return idx.map((i) => {
    const c = cases[i]!;
    return c.kind === 'inpatient' ? inShare * Math.max(1, c.losDays) : outShare;
  });
}

/**
 * Cost every case of one institution by `method`. `activities` (per case and executing center) are
 * needed for bottom-up and ccr, which also need a step-down allocation.
 */
export function costCases(
  allocation: AllocationResult,
  cases: readonly CaseRecord[],
  method: CaseCostMethod,
  activities: readonly CaseActivity[] = [],
): CaseCostResult {
  const issues: Issue[] = [];
  const costs = cases.map(newCost);
  const unassignedByCenter = new Map<string, Fen>();
  const byCenter = new Map<string, number[]>();
  const clinical = new Set(allocation.centers.filter((c) => c.center.category === 'clinical').map((c) => c.center.id));
  let stray = 0;
  cases.forEach((c, i) => {
    if (!clinical.has(c.departmentId)) {
      stray++;
      return;
    }
    let list = byCenter.get(c.departmentId);
    if (!list) byCenter.set(c.departmentId, (list = []));
    list.push(i);
  });
  if (stray > 0) {
    issues.push(issue('case-outside-clinical-center', 'cases.departmentId', `${stray} case(s) belong to a center that is not a clinical cost center of ${allocation.institutionId}; they carry no cost`, 'warning'));
  }
  const children = new Map<string, string[]>();
  for (const c of allocation.centers) {
    if (!clinical.has(c.center.id) || !c.center.parentId) continue;
    const l = children.get(c.center.parentId);
    if (l) l.push(c.center.id);
    else children.set(c.center.parentId, [c.center.id]);
  }
  const descendantCases = (id: string): number[] => {
    const out: number[] = [];
    const seen = new Set<string>([id]);
    const stack = [...(children.get(id) ?? [])];
    while (stack.length) {
      const k = stack.pop()!;
      if (seen.has(k)) continue;
      seen.add(k);
      for (const i of byCenter.get(k) ?? []) out.push(i);
      stack.push(...(children.get(k) ?? []));
    }
    return out.sort((a, b) => a - b);
  };
  const leave = (centerId: string, amount: Fen): void => {
    if (amount !== 0) unassignedByCenter.set(centerId, (unassignedByCenter.get(centerId) ?? 0) + amount);
  };

  if (method !== 'top-down' && allocation.method !== 'step-down') {
    // Under the reciprocal method tech centers also serve support centers, so their pre-level-3
    // cost is not what the clinical centers received; unit pools would count fen twice.
    throw new MedfundError([issue('method-needs-step-down', 'method', `${method} case costing needs a step-down allocation (医技科室成本 must reach clinical centers in one step); use top-down with the reciprocal method`)]);
  }
  const pools = method === 'top-down' ? undefined : preTechCost(allocation);
  for (const cr of allocation.centers) {
    const id = cr.center.id;
    if (!clinical.has(id)) continue;
    const v = pools ? pools.get(id)! : cr.full;
    const drug = v[DRUG]!;
    const material = v[MATERIAL]!;
    const rest = sumVector(v) - drug - material;
    // A parent center without patients of its own (e.g. 内科 above 呼吸内科, 消化内科 …) is carried
    // by the cases of its clinical descendants (cost-center hierarchy).
    const idx = byCenter.get(id) ?? descendantCases(id);
    if (idx.length === 0) {
      leave(id, drug + material + (pools ? 0 : rest));
      continue;
    }
    const fallback = losVisitWeights(cases, idx);
    if (!spread(drug, idx, idx.map((i) => cases[i]!.drugFen), costs, 'drugFen')) spread(drug, idx, fallback, costs, 'drugFen');
    if (!spread(material, idx, idx.map((i) => cases[i]!.materialFen), costs, 'materialFen')) spread(material, idx, fallback, costs, 'materialFen');
    if (!pools) spread(rest, idx, fallback, costs, 'serviceFen');
  }

  if (pools) {
    // Service units (服务单元): each executing center's item pool — all of a tech center, the
    // non-drug, non-material part of a clinical center — goes to cases by their activity minutes
    // there (bottom-up, 作业成本) or by their revenue there (ccr, 成本收入比 = pool / revenue).
    const actBy = new Map<string, { idx: number[]; w: number[] }>();
    for (const a of activities) {
      const w = method === 'ccr' ? a.revenueFen : a.minutes;
      if (!(w > 0)) continue;
      let e = actBy.get(a.centerId);
      if (!e) actBy.set(a.centerId, (e = { idx: [], w: [] }));
      e.idx.push(a.caseIndex);
      e.w.push(w);
    }
    for (const [id, v] of pools) {
      const pool = clinical.has(id) ? sumVector(v) - v[DRUG]! - v[MATERIAL]! : sumVector(v);
      const e = actBy.get(id);
      if (e && spread(pool, e.idx, e.w, costs, 'serviceFen')) continue;
      // No activity recorded here. A clinical center's pool falls back to its (or its descendants')
      // cases by LOS / visits; a tech center's pool follows its step-down (三级) flows to the
      // clinical centers, then their cases by LOS / visits.
      const carry = (centerId: string, amount: Fen): void => {
        const idx = byCenter.get(centerId) ?? descendantCases(centerId);
        if (idx.length === 0 || !spread(amount, idx, losVisitWeights(cases, idx), costs, 'serviceFen')) leave(centerId, amount);
      };
      if (clinical.has(id)) {
        carry(id, pool);
        continue;
      }
      const out = allocation.flows.filter((f) => f.fromId === id && clinical.has(f.toId));
      const w = out.map((f) => sumVector(f.amounts));
      if (pool === 0) continue;
      if (w.reduce((a, b) => a + b, 0) === 0) {
        leave(id, pool);
        continue;
      }
      allocateLargestRemainder(pool, w).forEach((part, k) => carry(out[k]!.toId, part));
    }
  }

  let caseCostFen = 0;
  for (const c of costs) {
    c.totalFen = c.drugFen + c.materialFen + c.serviceFen;
    caseCostFen += c.totalFen;
  }
  let unassignedFen = 0;
  for (const [id, x] of unassignedByCenter) {
    unassignedFen += x;
    issues.push(issue('cost-not-carried', `centers.${id}`, `${x} fen of ${id} reaches no case (no patients or no activity in the period)`, 'info'));
  }
  if (caseCostFen + unassignedFen !== allocation.finalFen) {
    throw new RangeError(`case costing does not reconcile: cases ${caseCostFen} + unassigned ${unassignedFen} ≠ allocated ${allocation.finalFen}`);
  }
  return { method, institutionId: allocation.institutionId, costs, caseCostFen, unassignedFen, unassignedByCenter, issues };
}

/** Per-center 诊次成本 and 床日成本 from case costs (note §3.6). Costs in fen, fractional. */
export interface UnitCostRow {
  readonly centerId: string;
  readonly visits: number;
  readonly outpatientCostFen: Fen;
  readonly costPerVisitFen: number;
  readonly bedDays: number;
  readonly discharges: number;
  readonly inpatientCostFen: Fen;
  readonly costPerBedDayFen: number;
}

export function unitCosts(cases: readonly CaseRecord[], result: CaseCostResult): UnitCostRow[] {
  const acc = new Map<string, { visits: number; out: number; days: number; dis: number; inp: number }>();
  cases.forEach((c, i) => {
    const cost = result.costs[i]!.totalFen;
    let a = acc.get(c.departmentId);
    if (!a) acc.set(c.departmentId, (a = { visits: 0, out: 0, days: 0, dis: 0, inp: 0 }));
    if (c.kind === 'inpatient') {
      a.days += Math.max(1, c.losDays);
      a.dis += 1;
      a.inp += cost;
    } else {
      a.visits += 1;
      a.out += cost;
    }
  });
  return [...acc].map(([centerId, a]) => ({
    centerId,
    visits: a.visits,
    outpatientCostFen: a.out,
    costPerVisitFen: a.visits ? a.out / a.visits : 0,
    bedDays: a.days,
    discharges: a.dis,
    inpatientCostFen: a.inp,
    costPerBedDayFen: a.days ? a.inp / a.days : 0,
  }));
}

/** Sum case costs by a key (DRG, principal diagnosis 病种, doctor …): cases, cost, mean cost. */
export interface GroupCostRow {
  readonly key: string;
  readonly cases: number;
  readonly costFen: Fen;
  readonly drugFen: Fen;
  readonly materialFen: Fen;
  readonly serviceFen: Fen;
  readonly meanCostFen: number;
}

export function groupCaseCosts(result: CaseCostResult, keyOf: (caseIndex: number) => string | undefined): GroupCostRow[] {
  const acc = new Map<string, { n: number; t: number; d: number; m: number; s: number }>();
  result.costs.forEach((c, i) => {
    const k = keyOf(i);
    if (k === undefined) return;
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { n: 0, t: 0, d: 0, m: 0, s: 0 }));
    a.n++;
    a.t += c.totalFen;
    a.d += c.drugFen;
    a.m += c.materialFen;
    a.s += c.serviceFen;
  });
  return [...acc]
    .map(([key, a]) => ({ key, cases: a.n, costFen: a.t, drugFen: a.d, materialFen: a.m, serviceFen: a.s, meanCostFen: a.t / a.n }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

