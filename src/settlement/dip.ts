/**
 * DIP 病种分值 from the region's own history (DIP technical spec as summarised in
 * shared/notes/drg-payment-costing.md §2.2–2.4): a 病种 is principal diagnosis × principal procedure
 * (保守治疗 when there is none); groups with at least `minCases` cases are 核心病种, the rest fall into
 * 综合病种 keyed by diagnosis 类目 (3 characters) and treatment type. 分值_i = m_i / M × scale, where m_i
 * and M are the 1:2:7-weighted mean costs of the three years (oldest → newest).
 */
import { roundFen } from '../domain/index.js';
import type { Fen } from '../domain/index.js';

export interface DipHistoryCase {
  readonly diagnoses: readonly string[];
  readonly procedures: readonly string[];
  readonly year: number;
  readonly costFen: Fen;
}

export interface DipGroupScore {
  readonly key: string;
  /** core 核心病种 or comprehensive 综合病种 */
  readonly kind: 'core' | 'comprehensive';
  readonly cases: number;
  /** weighted mean cost m_i (fen, rounded half-up for display) */
  readonly meanCostFen: Fen;
  readonly score: number;
}

export interface DipScoreTable {
  readonly overallMeanCostFen: Fen;
  readonly groups: ReadonlyMap<string, DipGroupScore>;
  /** key of a case: its core group when present, else its comprehensive group, else undefined */
  groupOf(diagnoses: readonly string[], procedures: readonly string[]): DipGroupScore | undefined;
}

/** 亚目 of an ICD-10 code (e.g. K35.800 → K35.8) and the procedure's first five characters (47.0100 → 47.01). */
export function dipCoreKey(diagnoses: readonly string[], procedures: readonly string[]): string {
  const dx = (diagnoses[0] ?? '').slice(0, 5);
  const px = procedures[0];
  return px ? `${dx}|${px.slice(0, 5)}` : `${dx}|保守`;
}

export function dipComprehensiveKey(diagnoses: readonly string[], procedures: readonly string[]): string {
  return `${(diagnoses[0] ?? '').slice(0, 3)}|${procedures.length ? '手术操作' : '保守治疗'}`;
}

/** Scores for `year` from the cases of the three years before it. */
export function computeDipScores(
  cases: readonly DipHistoryCase[],
  year: number,
  opts: { weights?: readonly [number, number, number]; scale?: number; minCases?: number } = {},
): DipScoreTable {
  const weights = opts.weights ?? [1, 2, 7];
  const scale = opts.scale ?? 1000;
  const minCases = opts.minCases ?? 15;
  const w = (y: number) => (y === year - 3 ? weights[0] : y === year - 2 ? weights[1] : y === year - 1 ? weights[2] : 0);
  interface Acc { n: number; wCost: number; wN: number }
  const core = new Map<string, Acc>();
  let allCost = 0, allN = 0;
  const add = (m: Map<string, Acc>, k: string, wt: number, cost: number) => {
    const a = m.get(k) ?? { n: 0, wCost: 0, wN: 0 };
    a.n++; a.wCost += wt * cost; a.wN += wt;
    m.set(k, a);
  };
  for (const c of cases) {
    const wt = w(c.year);
    if (!wt) continue;
    add(core, dipCoreKey(c.diagnoses, c.procedures), wt, c.costFen);
    allCost += wt * c.costFen;
    allN += wt;
  }
  if (allN === 0) throw new RangeError(`computeDipScores: no cases in ${year - 3}..${year - 1}`);
  const M = allCost / allN;
  const comp = new Map<string, Acc>();
  for (const c of cases) {
    const wt = w(c.year);
    if (!wt) continue;
    if ((core.get(dipCoreKey(c.diagnoses, c.procedures))?.n ?? 0) < minCases) add(comp, dipComprehensiveKey(c.diagnoses, c.procedures), wt, c.costFen);
  }
  const groups = new Map<string, DipGroupScore>();
  const put = (m: Map<string, Acc>, kind: DipGroupScore['kind'], keep: (a: Acc) => boolean) => {
    for (const [key, a] of m) {
      if (!keep(a)) continue;
      const mean = a.wCost / a.wN;
      groups.set(key, { key, kind, cases: a.n, meanCostFen: roundFen(mean), score: (mean / M) * scale });
    }
  };
  put(core, 'core', (a) => a.n >= minCases);
  put(comp, 'comprehensive', () => true);
  return {
    overallMeanCostFen: roundFen(M),
    groups,
    groupOf: (dx, px) => groups.get(dipCoreKey(dx, px)) ?? groups.get(dipComprehensiveKey(dx, px)),
  };
}
