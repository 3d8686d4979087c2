/**
 * In-year monitoring (事中监控) per department: projected quota over-run, drug share (药占比),
 * consumable share (耗占比), expensive-drug share, average length of stay and transfer share.
 * Thresholds are parameters (defaults below, each with its basis); the engine only compares.
 */
import type { Fen } from '../domain/index.js';

export interface DepartmentActivity {
  readonly departmentId: string;
  /** allocated yearly budget of the fund (科室预算/定额) */
  readonly allocatedFen: Fen;
  /** the fund's claims so far this year */
  readonly ytdClaimsFen: Fen;
  readonly totalFen: Fen;
  readonly drugFen: Fen;
  readonly consumableFen: Fen;
  /** drug lines whose unit price is at or above the expensive-drug threshold */
  readonly expensiveDrugFen: Fen;
  readonly inpatientStays: number;
  readonly losDaysSum: number;
  /** stays ending in 医嘱转院 (discharge type 2) */
  readonly transfers: number;
}

export interface MonitoringThresholds {
  /** alert when the straight-line projection of claims exceeds the allocation by more than this, bp */
  readonly overrunBp: number;
  /** 药占比 (drug share of revenue) above this, bp — default 30%, the public-hospital reform target of 2015 (background knowledge, not verified in our sources) */
  readonly drugShareBp: number;
  /** 耗占比 above this, bp — default 20% (百元医疗收入卫生材料消耗 20 元, a common hospital-performance target; background knowledge) */
  readonly consumableShareBp: number;
  /** expensive drugs' share of the drug amount above this, bp */
  readonly expensiveDrugShareBp: number;
  readonly averageLosDays: number;
  readonly transferShareBp: number;
}

/** Defaults; regions and hospitals set their own (docs/settlement.md § Monitoring). */
export const DEFAULT_THRESHOLDS: MonitoringThresholds = {
  overrunBp: 500,
  drugShareBp: 3000,
  consumableShareBp: 2000,
  expensiveDrugShareBp: 3000,
  averageLosDays: 9,
  transferShareBp: 500,
};

export const ALERT_KINDS = ['quota-overrun', 'drug-share', 'consumable-share', 'expensive-drug', 'average-los', 'transfer-share'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  readonly departmentId: string;
  readonly kind: AlertKind;
  readonly value: number;
  readonly threshold: number;
  readonly message: string;
}

/**
 * Straight-line projection: claims × daysInYear ÷ daysElapsed (the simplest projection, no
 * seasonality; the dashboard can replace it).
 */
export function projectYear(ytdFen: Fen, daysElapsed: number, daysInYear: number): Fen {
  if (daysElapsed <= 0) return 0;
  return Math.round((ytdFen * daysInYear) / daysElapsed);
}

export function monitorDepartments(
  depts: readonly DepartmentActivity[],
  clock: { daysElapsed: number; daysInYear: number },
  t: MonitoringThresholds = DEFAULT_THRESHOLDS,
): Alert[] {
  const out: Alert[] = [];
  const pct = (bp: number) => `${(bp / 100).toFixed(1)}%`;
  for (const d of depts) {
    const projected = projectYear(d.ytdClaimsFen, clock.daysElapsed, clock.daysInYear);
    if (d.allocatedFen > 0 && projected > d.allocatedFen * (1 + t.overrunBp / 10000)) {
      const bp = Math.round(((projected - d.allocatedFen) / d.allocatedFen) * 10000);
      out.push({ departmentId: d.departmentId, kind: 'quota-overrun', value: bp, threshold: t.overrunBp, message: `预计超定额 ${pct(bp)} projected over-run of the allocation` });
    }
    if (d.totalFen > 0) {
      const drug = Math.round((d.drugFen / d.totalFen) * 10000);
      if (drug > t.drugShareBp) out.push({ departmentId: d.departmentId, kind: 'drug-share', value: drug, threshold: t.drugShareBp, message: `药占比 ${pct(drug)} 超过 ${pct(t.drugShareBp)} drug share` });
      const cons = Math.round((d.consumableFen / d.totalFen) * 10000);
      if (cons > t.consumableShareBp) out.push({ departmentId: d.departmentId, kind: 'consumable-share', value: cons, threshold: t.consumableShareBp, message: `耗占比 ${pct(cons)} 超过 ${pct(t.consumableShareBp)} consumable share` });
    }
    if (d.drugFen > 0) {
      const exp = Math.round((d.expensiveDrugFen / d.drugFen) * 10000);
      if (exp > t.expensiveDrugShareBp) out.push({ departmentId: d.departmentId, kind: 'expensive-drug', value: exp, threshold: t.expensiveDrugShareBp, message: `高价药占药品费 ${pct(exp)} expensive-drug share` });
    }
    if (d.inpatientStays > 0) {
      const alos = d.losDaysSum / d.inpatientStays;
      if (alos > t.averageLosDays) out.push({ departmentId: d.departmentId, kind: 'average-los', value: Math.round(alos * 100) / 100, threshold: t.averageLosDays, message: `平均住院日 ${alos.toFixed(2)} 天 超过 ${t.averageLosDays} average length of stay` });
      const tr = Math.round((d.transfers / d.inpatientStays) * 10000);
      if (tr > t.transferShareBp) out.push({ departmentId: d.departmentId, kind: 'transfer-share', value: tr, threshold: t.transferShareBp, message: `转院率 ${pct(tr)} 超过 ${pct(t.transferShareBp)} transfer share` });
    }
  }
  return out;
}
