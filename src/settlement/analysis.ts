/**
 * Post-hoc statistics (事后统计) of settled encounters by insurance type, person type, department,
 * doctor, month or charge category: totals, self-paid, Class B self-pay-first, deductible, co-pay,
 * quota (定额), over-quota ratio, over-4×-quota cost, average LOS and cost.
 *
 * Quota of a group: the caller's per-visit quota when given (e.g. from allocateToDepartments), else
 * the group's own mean cost per encounter of the same kind. Over-quota: an encounter whose total
 * exceeds the quota; over-4×: total > 4 × quota (the 4-fold line used for high-cost case review).
 */
import type { ChargeCategory, EncounterKind, Fen } from '../domain/index.js';

export const ANALYSIS_DIMENSIONS = ['scheme', 'personType', 'department', 'doctor', 'month', 'category', 'institution'] as const;
export type AnalysisDimension = (typeof ANALYSIS_DIMENSIONS)[number];

export interface AnalysisRow {
  readonly kind: EncounterKind;
  readonly scheme: string;
  readonly personType: string;
  readonly institutionId: string;
  readonly departmentId: string;
  readonly doctorId: string;
  /** YYYY-MM of discharge */
  readonly month: string;
  readonly losDays: number;
  readonly totalFen: Fen;
  readonly fullSelfPayFen: Fen;
  readonly overLimitFen: Fen;
  readonly preSelfPayFen: Fen;
  readonly deductibleFen: Fen;
  readonly coPayFen: Fen;
  readonly fundTotalFen: Fen;
  readonly patientFen: Fen;
  readonly byCategory: Readonly<Record<ChargeCategory, Fen>>;
}

export interface AnalysisGroup {
  readonly key: string;
  readonly kind: EncounterKind;
  readonly encounters: number;
  readonly totalFen: Fen;
  /** 自费: 全自费 + 超限价 */
  readonly selfPaidFen: Fen;
  readonly preSelfPayFen: Fen;
  readonly deductibleFen: Fen;
  readonly coPayFen: Fen;
  readonly fundFen: Fen;
  readonly patientFen: Fen;
  readonly averageCostFen: number;
  readonly averageLosDays: number;
  readonly quotaFen: number;
  readonly overQuotaEncounters: number;
  readonly overQuotaRatio: number;
  readonly over4xQuotaCostFen: Fen;
}

const CATS: readonly ChargeCategory[] = ['drug', 'consumable', 'service', 'facility'];

function keyOf(r: AnalysisRow, by: AnalysisDimension): string {
  switch (by) {
    case 'scheme': return r.scheme;
    case 'personType': return r.personType;
    case 'department': return r.departmentId;
    case 'doctor': return r.doctorId;
    case 'month': return r.month;
    case 'institution': return r.institutionId;
    case 'category': return '';
  }
}

/**
 * Aggregate rows by one dimension, separately for outpatient (incl. online) and inpatient encounters.
 * For `category`, each charge category is a group holding its amounts (encounter-level splits such as
 * the deductible are not attributed to categories and stay 0 there).
 */
export function analyse(rows: Iterable<AnalysisRow>, by: AnalysisDimension, quotas?: ReadonlyMap<string, Fen>): AnalysisGroup[] {
  interface Acc { kind: EncounterKind; key: string; n: number; total: number; self: number; pre: number; ded: number; co: number; fund: number; patient: number; los: number; totals: number[] }
  const acc = new Map<string, Acc>();
  const get = (kind: EncounterKind, key: string): Acc => {
    const k = `${kind}\u0000${key}`;
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { kind, key, n: 0, total: 0, self: 0, pre: 0, ded: 0, co: 0, fund: 0, patient: 0, los: 0, totals: [] }));
    return a;
  };
  for (const r of rows) {
    const kind: EncounterKind = r.kind === 'inpatient' ? 'inpatient' : 'outpatient';
    if (by === 'category') {
      for (const c of CATS) {
        const amt = r.byCategory[c];
        if (!amt) continue;
        const a = get(kind, c);
        a.n++; a.total += amt; a.totals.push(amt); a.los += r.losDays;
      }
      continue;
    }
    const a = get(kind, keyOf(r, by));
    a.n++;
    a.total += r.totalFen;
    a.self += r.fullSelfPayFen + r.overLimitFen;
    a.pre += r.preSelfPayFen;
    a.ded += r.deductibleFen;
    a.co += r.coPayFen;
    a.fund += r.fundTotalFen;
    a.patient += r.patientFen;
    a.los += r.losDays;
    a.totals.push(r.totalFen);
  }
  const out: AnalysisGroup[] = [];
  for (const a of acc.values()) {
    const mean = a.n ? a.total / a.n : 0;
    const quota = quotas?.get(a.key) ?? mean;
    let over = 0, over4 = 0;
    for (const t of a.totals) {
      if (t > quota) over++;
      if (t > 4 * quota) over4 += t;
    }
    out.push({
      key: a.key, kind: a.kind, encounters: a.n, totalFen: a.total, selfPaidFen: a.self, preSelfPayFen: a.pre, deductibleFen: a.ded, coPayFen: a.co,
      fundFen: a.fund, patientFen: a.patient, averageCostFen: Math.round(mean), averageLosDays: a.kind === 'inpatient' && a.n ? Math.round((a.los / a.n) * 100) / 100 : 0,
      quotaFen: Math.round(quota), overQuotaEncounters: over, overQuotaRatio: a.n ? Math.round((over / a.n) * 10000) / 10000 : 0, over4xQuotaCostFen: over4,
    });
  }
  return out.sort((x, y) => (x.kind === y.kind ? x.key.localeCompare(y.key) : x.kind.localeCompare(y.kind)));
}
