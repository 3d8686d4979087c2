/**
 * Supervision scores per hospital, department and doctor (机构/科室/医师 监管评分) and the composite
 * fund-safety index 基金安全指数. Pure: inputs are per-unit activity totals and the cases; the
 * store-backed loader lives in service.ts. Formulas and their rationale: docs/formulas.md § Casework scores.
 */
import type { Fen } from '../domain/index.js';
import type { CaseState, DecisionOutcome } from './machine.js';

export const SCORE_LEVELS = ['hospital', 'department', 'doctor'] as const;
export type ScoreLevel = (typeof SCORE_LEVELS)[number];

/** Activity of one (institution, department, doctor) cell: the denominators. */
export interface ActivityCell {
  readonly institutionId: string;
  readonly departmentId: string;
  readonly doctorId: string;
  /** encounters 就诊人次 */
  readonly encounters: number;
  /** total billed 医疗费用总额 of those encounters */
  readonly billedFen: Fen;
}

/** The part of a case the scores read. */
export interface ScoreCase {
  readonly encounterId: string;
  readonly institutionId: string;
  readonly departmentId: string;
  readonly doctorId: string;
  readonly amountFen: Fen;
  readonly state: CaseState;
  readonly appealed: boolean;
  readonly decisionOutcome: DecisionOutcome | null;
  readonly deductedFen: Fen;
  readonly rectificationRequired: boolean;
  readonly rectificationDueDate: string | null;
  readonly rectificationDoneDate: string | null;
}

export interface UnitScore {
  readonly level: ScoreLevel;
  /** institution id; `inst/dept`; `inst/dept/doctor` */
  readonly unitId: string;
  readonly institutionId: string;
  readonly departmentId: string | null;
  readonly doctorId: string | null;
  readonly encounters: number;
  readonly billedFen: Fen;
  readonly cases: number;
  /** distinct encounters with at least one case that was not cleared */
  readonly violatingEncounters: number;
  /** 违规率 = violatingEncounters / encounters */
  readonly violationRate: number;
  /** 涉及金额 = Σ amountFen of cases not cleared */
  readonly amountAtStakeFen: Fen;
  /** 违规金额占比 = amountAtStakeFen / billedFen */
  readonly amountRate: number;
  readonly deductedFen: Fen;
  readonly appealsDecided: number;
  /** 申诉成功率 = appeals cleared / appeals decided; null when none decided */
  readonly appealSuccessRate: number | null;
  readonly rectificationsDue: number;
  /** 整改及时率 = done on or before due / rectifications due by asOf (or done); null when none */
  readonly rectificationTimeliness: number | null;
  /** 基金安全指数 0–100 (higher is safer), one decimal */
  readonly fundSafetyIndex: number;
  readonly components: { readonly violation: number; readonly amount: number; readonly rectification: number | null };
}

/** Weights of the composite; the rectification weight is re-spread when a unit has nothing to rectify. */
export const FSI_WEIGHTS = { violation: 0.4, amount: 0.4, rectification: 0.2 } as const;

interface Acc {
  encounters: number;
  billedFen: number;
  cases: number;
  violating: Set<string>;
  amountAtStakeFen: number;
  deductedFen: number;
  appealsDecided: number;
  appealsCleared: number;
  rectDue: number;
  rectOnTime: number;
  institutionId: string;
  departmentId: string | null;
  doctorId: string | null;
}

function keyOf(level: ScoreLevel, inst: string, dept: string, doc: string): string {
  return level === 'hospital' ? inst : level === 'department' ? `${inst}/${dept}` : `${inst}/${dept}/${doc}`;
}

/**
 * Peer-relative sub-score (水位分析 "waterline"): 100 at a rate of zero, 50 at the region's
 * rate, 0 at twice the region's rate or more. With a region rate of zero every unit scores 100.
 */
export function peerSubScore(rate: number, regionRate: number): number {
  if (regionRate <= 0) return rate > 0 ? 0 : 100;
  return 100 * Math.max(0, 1 - rate / (2 * regionRate));
}

/**
 * Scores at one level. `asOf` (ISO date) decides which rectifications are due: a rectification
 * counts once it is done or its due date is before `asOf`.
 */
export function computeScores(level: ScoreLevel, activity: readonly ActivityCell[], cases: readonly ScoreCase[], asOf: string): UnitScore[] {
  const units = new Map<string, Acc>();
  const unit = (inst: string, dept: string, doc: string): Acc => {
    const k = keyOf(level, inst, dept, doc);
    let a = units.get(k);
    if (!a) {
      a = {
        encounters: 0, billedFen: 0, cases: 0, violating: new Set(), amountAtStakeFen: 0, deductedFen: 0,
        appealsDecided: 0, appealsCleared: 0, rectDue: 0, rectOnTime: 0,
        institutionId: inst,
        departmentId: level === 'hospital' ? null : dept,
        doctorId: level === 'doctor' ? doc : null,
      };
      units.set(k, a);
    }
    return a;
  };
  for (const cell of activity) {
    const a = unit(cell.institutionId, cell.departmentId, cell.doctorId);
    a.encounters += cell.encounters;
    a.billedFen += cell.billedFen;
  }
  for (const c of cases) {
    const a = unit(c.institutionId, c.departmentId, c.doctorId);
    a.cases++;
    if (c.state !== 'cleared') {
      a.violating.add(c.encounterId);
      a.amountAtStakeFen += c.amountFen;
    }
    a.deductedFen += c.deductedFen;
    if (c.appealed && c.decisionOutcome !== null) {
      a.appealsDecided++;
      if (c.decisionOutcome === 'clear') a.appealsCleared++;
    }
    if (c.rectificationRequired && c.rectificationDueDate !== null) {
      const done = c.rectificationDoneDate;
      if (done !== null || c.rectificationDueDate < asOf) {
        a.rectDue++;
        if (done !== null && done <= c.rectificationDueDate) a.rectOnTime++;
      }
    }
  }
  // region rates: the peer reference for the sub-scores
  let encTotal = 0;
  let violTotal = 0;
  let billedTotal = 0;
  let stakeTotal = 0;
  for (const a of units.values()) {
    encTotal += a.encounters;
    violTotal += a.violating.size;
    billedTotal += a.billedFen;
    stakeTotal += a.amountAtStakeFen;
  }
  const regionViolationRate = encTotal > 0 ? violTotal / encTotal : 0;
  const regionAmountRate = billedTotal > 0 ? stakeTotal / billedTotal : 0;

  const out: UnitScore[] = [];
  for (const [unitId, a] of units) {
    const violationRate = a.encounters > 0 ? Math.min(1, a.violating.size / a.encounters) : a.violating.size > 0 ? 1 : 0;
    const amountRate = a.billedFen > 0 ? Math.min(1, a.amountAtStakeFen / a.billedFen) : a.amountAtStakeFen > 0 ? 1 : 0;
    const sv = peerSubScore(violationRate, regionViolationRate);
    const sa = peerSubScore(amountRate, regionAmountRate);
    const timeliness = a.rectDue > 0 ? a.rectOnTime / a.rectDue : null;
    const sr = timeliness === null ? null : 100 * timeliness;
    const fsi =
      sr === null
        ? (FSI_WEIGHTS.violation * sv + FSI_WEIGHTS.amount * sa) / (FSI_WEIGHTS.violation + FSI_WEIGHTS.amount)
        : FSI_WEIGHTS.violation * sv + FSI_WEIGHTS.amount * sa + FSI_WEIGHTS.rectification * sr;
    out.push({
      level,
      unitId,
      institutionId: a.institutionId,
      departmentId: a.departmentId,
      doctorId: a.doctorId,
      encounters: a.encounters,
      billedFen: a.billedFen,
      cases: a.cases,
      violatingEncounters: a.violating.size,
      violationRate,
      amountAtStakeFen: a.amountAtStakeFen,
      amountRate,
      deductedFen: a.deductedFen,
      appealsDecided: a.appealsDecided,
      appealSuccessRate: a.appealsDecided > 0 ? a.appealsCleared / a.appealsDecided : null,
      rectificationsDue: a.rectDue,
      rectificationTimeliness: timeliness,
      // one decimal for display; the index is a score, not money, so no roundFen here
      fundSafetyIndex: Math.round(fsi * 10) / 10,
      components: { violation: round1(sv), amount: round1(sa), rectification: sr === null ? null : round1(sr) },
    });
  }
  // lowest index first (the units needing attention), then by id for determinism
  out.sort((x, y) => x.fundSafetyIndex - y.fundSafetyIndex || (x.unitId < y.unitId ? -1 : x.unitId > y.unitId ? 1 : 0));
  return out;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Region totals for the report header. */
export function summarizeScores(scores: readonly UnitScore[]): { encounters: number; billedFen: Fen; amountAtStakeFen: Fen; deductedFen: Fen; cases: number } {
  let encounters = 0;
  let billedFen = 0;
  let amountAtStakeFen = 0;
  let deductedFen = 0;
  let cases = 0;
  for (const s of scores) {
    encounters += s.encounters;
    billedFen += s.billedFen;
    amountAtStakeFen += s.amountAtStakeFen;
    deductedFen += s.deductedFen;
    cases += s.cases;
  }
  return { encounters, billedFen, amountAtStakeFen, deductedFen, cases };
}
