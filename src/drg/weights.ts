/**
 * Relative weights (相对权重 RW) from historical cases — docs/formulas.md § DRG weights.
 *
 *   RW_i = ē_i / ē      ē_i = mean cost of the trimmed cases of DRG i, ē = mean of all trimmed cases
 *
 * Source: CHS-DRG 分组与付费技术规范 (历史数据法), 病组权重 = 本病组次均住院费用 ÷ 统筹区所有病例次均住院费用
 * (notes S1, S2). Outliers are trimmed inside each DRG before averaging (IQR fences by default,
 * k = 3 as in PHC4's charge trimming, S24; log-SD and percentile fences are alternatives), then an
 * optional policy adjustment RW'_i = RW_i·a_i·k keeps the total weight unchanged.
 */
import { roundFen, type Fen } from '../domain/index.js';

/** One historical case: a grouped DRG, its total cost (charges) and length of stay. */
export interface WeightCase {
  readonly drg: string;
  readonly costFen: Fen;
  readonly losDays: number;
}

export type TrimRule =
  | { readonly method: 'none' }
  /** keep Q1 − k·IQR ≤ cost ≤ Q3 + k·IQR (linear-interpolated quartiles) */
  | { readonly method: 'iqr'; readonly k: number }
  /** keep exp(μ − a·σ) ≤ cost ≤ exp(μ + a·σ), μ/σ of ln(cost) (population SD) */
  | { readonly method: 'log-sd'; readonly a: number }
  /** keep the [lower, upper] percentile range, e.g. 0.025–0.975 */
  | { readonly method: 'percentile'; readonly lower: number; readonly upper: number };

export interface WeightOptions {
  readonly trim?: TrimRule;
  /** decimals RW is rounded to (half-up), default 4 */
  readonly decimals?: number;
  /** policy factors a_i per DRG (default 1); total weight is renormalised (权重调整) */
  readonly policyFactors?: Readonly<Record<string, number>>;
  /** DRGs with fewer cases than this are flagged `lowVolume` (their weight is less reliable) */
  readonly minCases?: number;
}

export interface DrgWeight {
  readonly drg: string;
  /** cases before and after trimming */
  readonly cases: number;
  readonly casesKept: number;
  /** mean cost of the kept cases, rounded half-to-even (statistical aggregate) */
  readonly avgCostFen: Fen;
  readonly avgLosDays: number;
  /** relative weight, rounded to `decimals` */
  readonly weight: number;
  /** coefficient of variation of the kept cases' cost (SD / mean) */
  readonly cv: number;
  readonly lowVolume: boolean;
}

export interface WeightTable {
  /** overall mean cost ē of the kept cases */
  readonly overallAvgCostFen: Fen;
  readonly overallAvgLosDays: number;
  readonly cases: number;
  readonly casesKept: number;
  /** reduction in variance RIV over the kept cases */
  readonly riv: number;
  readonly drgs: readonly DrgWeight[];
  readonly trim: TrimRule;
}

/** Linear-interpolated quantile of sorted values (numpy's default, "type 7"). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Fences [low, high] of a trim rule over one DRG's costs. */
export function trimFences(costs: readonly number[], rule: TrimRule): [number, number] {
  const sorted = [...costs].sort((a, b) => a - b);
  switch (rule.method) {
    case 'none':
      return [-Infinity, Infinity];
    case 'iqr': {
      const q1 = quantile(sorted, 0.25);
      const q3 = quantile(sorted, 0.75);
      const iqr = q3 - q1;
      return [q1 - rule.k * iqr, q3 + rule.k * iqr];
    }
    case 'log-sd': {
      const logs = sorted.filter((c) => c > 0).map(Math.log);
      if (logs.length === 0) return [-Infinity, Infinity];
      const mu = logs.reduce((a, b) => a + b, 0) / logs.length;
      const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mu) ** 2, 0) / logs.length);
      return [Math.exp(mu - rule.a * sd), Math.exp(mu + rule.a * sd)];
    }
    case 'percentile':
      return [quantile(sorted, rule.lower), quantile(sorted, rule.upper)];
  }
}

/** Cases of one DRG kept by the rule. */
export function trimCosts(costs: readonly number[], rule: TrimRule): number[] {
  const [lo, hi] = trimFences(costs, rule);
  return costs.filter((c) => c >= lo && c <= hi);
}

function roundTo(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f + Math.sign(x) * 1e-9) / f;
}

/**
 * Compute relative weights per DRG from historical grouped cases.
 *
 * @example
 * const table = computeWeights(cases.filter((c) => c.status === 'SUCCESS'), { trim: { method: 'iqr', k: 3 } });
 * table.drgs.find((d) => d.drg === 'FR23')?.weight; // e.g. 0.8123
 */
export function computeWeights(cases: Iterable<WeightCase>, options: WeightOptions = {}): WeightTable {
  const trim = options.trim ?? { method: 'iqr', k: 3 };
  const decimals = options.decimals ?? 4;
  const minCases = options.minCases ?? 5;
  const by = new Map<string, { costs: number[]; los: number[] }>();
  let total = 0;
  for (const c of cases) {
    if (!Number.isFinite(c.costFen) || c.costFen < 0) throw new RangeError(`case cost must be a non-negative number of fen: ${c.costFen} (DRG ${c.drg})`);
    let g = by.get(c.drg);
    if (!g) by.set(c.drg, (g = { costs: [], los: [] }));
    g.costs.push(c.costFen);
    g.los.push(c.losDays);
    total++;
  }
  const kept = new Map<string, { costs: number[]; los: number[]; n: number }>();
  let sumCost = 0;
  let sumLos = 0;
  let nKept = 0;
  for (const [drg, g] of [...by.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [lo, hi] = trimFences(g.costs, trim);
    const costs: number[] = [];
    const los: number[] = [];
    g.costs.forEach((c, i) => {
      if (c >= lo && c <= hi) {
        costs.push(c);
        los.push(g.los[i]!);
      }
    });
    kept.set(drg, { costs, los, n: g.costs.length });
    for (const c of costs) sumCost += c;
    for (const l of los) sumLos += l;
    nKept += costs.length;
  }
  const overall = nKept > 0 ? sumCost / nKept : 0;
  const raw = new Map<string, { mean: number; rw: number }>();
  for (const [drg, k] of kept) {
    const mean = k.costs.length > 0 ? k.costs.reduce((a, b) => a + b, 0) / k.costs.length : 0;
    raw.set(drg, { mean, rw: overall > 0 ? mean / overall : 0 });
  }
  // 权重调整: RW'_i = RW_i · a_i · k with k = Σ n_i RW_i / Σ n_i RW_i a_i (total weight unchanged)
  const factors = options.policyFactors ?? {};
  let num = 0;
  let den = 0;
  for (const [drg, r] of raw) {
    const n = kept.get(drg)!.costs.length;
    num += n * r.rw;
    den += n * r.rw * (factors[drg] ?? 1);
  }
  const k = den > 0 ? num / den : 1;
  let between = 0;
  let within = 0;
  const drgs: DrgWeight[] = [];
  for (const [drg, kk] of kept) {
    const r = raw.get(drg)!;
    const n = kk.costs.length;
    const sd = n > 0 ? Math.sqrt(kk.costs.reduce((a, b) => a + (b - r.mean) ** 2, 0) / n) : 0;
    between += n * (r.mean - overall) ** 2;
    for (const c of kk.costs) within += (c - overall) ** 2;
    drgs.push({
      drg,
      cases: kk.n,
      casesKept: n,
      avgCostFen: roundFen(r.mean, 'bankers'),
      avgLosDays: n > 0 ? roundTo(kk.los.reduce((a, b) => a + b, 0) / n, 2) : 0,
      weight: roundTo(r.rw * (factors[drg] ?? 1) * k, decimals),
      cv: r.mean > 0 ? roundTo(sd / r.mean, 4) : 0,
      lowVolume: kk.n < minCases,
    });
  }
  return {
    overallAvgCostFen: roundFen(overall, 'bankers'),
    overallAvgLosDays: nKept > 0 ? roundTo(sumLos / nKept, 2) : 0,
    cases: total,
    casesKept: nKept,
    riv: within > 0 ? roundTo(between / within, 4) : 0,
    drgs,
    trim,
  };
}
