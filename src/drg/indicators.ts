/**
 * DRG performance indicators (DRG 绩效评价) — docs/formulas.md § DRG indicators. Only grouped
 * (入组) cases count. Sources: notes S11 (组数, 总权重, CMI, 费用/时间消耗指数 as Σ(k_i n_i)/Σ n_i),
 * S12 (低风险组死亡率, 低风险 = ln-mortality z-score below −1), S13 (CMI), S14 (能力/效率/安全).
 *
 *   DRG组数      = distinct DRGs with ≥ 1 grouped case
 *   总权重       = Σ RW(case)
 *   CMI          = 总权重 / grouped cases
 *   费用消耗指数 = Σ_i n_i · (e_i / E_i) / Σ_i n_i     e_i hospital mean cost in DRG i, E_i reference
 *   时间消耗指数 = Σ_i n_i · (t_i / T_i) / Σ_i n_i     t_i hospital mean LOS, T_i reference
 *   低风险组死亡率 = deaths in low-risk DRGs / cases in low-risk DRGs
 */
import type { Fen } from '../domain/index.js';
import type { DrgReference } from './payment.js';

/** One case for indicators. `groupKey` is the hospital / department / doctor / period being rated. */
export interface IndicatorCase {
  readonly groupKey: string;
  readonly status: string;
  readonly drg: string;
  readonly costFen: Fen;
  readonly losDays: number;
  /** in-hospital death (离院方式 5 死亡) */
  readonly died: boolean;
}

export interface Indicators {
  readonly groupKey: string;
  /** all cases and grouped (SUCCESS) cases */
  readonly cases: number;
  readonly groupedCases: number;
  readonly drgCount: number;
  readonly totalWeight: number;
  readonly cmi: number;
  readonly costIndex: number;
  readonly timeIndex: number;
  readonly lowRiskCases: number;
  readonly lowRiskDeaths: number;
  /** NaN when there is no low-risk case */
  readonly lowRiskMortality: number;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Indicators per group key (hospital, department, doctor or period — the caller picks the key).
 * DRGs without a reference (no weight) are left out of weight and index sums, as ungrouped cases are.
 *
 * @example
 * computeIndicators(cases.map((c) => ({ ...c, groupKey: c.institutionId })), weights, lowRiskDrgs);
 */
export function computeIndicators(
  cases: Iterable<IndicatorCase>,
  references: ReadonlyMap<string, DrgReference>,
  lowRiskDrgs: ReadonlySet<string> = new Set(),
  successStatus = 'SUCCESS',
): Indicators[] {
  type Acc = { cases: number; byDrg: Map<string, { n: number; cost: number; los: number }>; lowN: number; lowDeaths: number };
  const groups = new Map<string, Acc>();
  for (const c of cases) {
    let g = groups.get(c.groupKey);
    if (!g) groups.set(c.groupKey, (g = { cases: 0, byDrg: new Map(), lowN: 0, lowDeaths: 0 }));
    g.cases++;
    if (c.status !== successStatus || !references.has(c.drg)) continue;
    let d = g.byDrg.get(c.drg);
    if (!d) g.byDrg.set(c.drg, (d = { n: 0, cost: 0, los: 0 }));
    d.n++;
    d.cost += c.costFen;
    d.los += c.losDays;
    if (lowRiskDrgs.has(c.drg)) {
      g.lowN++;
      if (c.died) g.lowDeaths++;
    }
  }
  const out: Indicators[] = [];
  for (const [key, g] of [...groups.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    let n = 0;
    let w = 0;
    let k = 0;
    let t = 0;
    for (const [drg, d] of g.byDrg) {
      const ref = references.get(drg)!;
      n += d.n;
      w += d.n * ref.weight;
      if (ref.avgCostFen > 0) k += d.n * (d.cost / d.n / ref.avgCostFen);
      if (ref.avgLosDays > 0) t += d.n * (d.los / d.n / ref.avgLosDays);
    }
    out.push({
      groupKey: key,
      cases: g.cases,
      groupedCases: n,
      drgCount: g.byDrg.size,
      totalWeight: r4(w),
      cmi: n > 0 ? r4(w / n) : 0,
      costIndex: n > 0 ? r4(k / n) : 0,
      timeIndex: n > 0 ? r4(t / n) : 0,
      lowRiskCases: g.lowN,
      lowRiskDeaths: g.lowDeaths,
      lowRiskMortality: g.lowN > 0 ? g.lowDeaths / g.lowN : NaN,
    });
  }
  return out;
}

export type MortalityRisk = 'low' | 'medium-low' | 'medium-high' | 'high';

/**
 * Mortality-risk class of each DRG from reference mortality m_i (S12; BJ-DRG / HQMS method):
 * z_i = (ln m_i − mean(ln m)) / sd(ln m); z < −1 低风险, < 0 中低, < 1 中高, else 高. DRGs with
 * m_i = 0 have no logarithm and are classed low-risk (recorded decision, notes § 1.6 step 5).
 *
 * @example
 * classifyMortalityRisk(new Map([['A', 0.0005], ['B', 0.002]]), 'population');
 */
export function classifyMortalityRisk(
  mortality: ReadonlyMap<string, number>,
  sd: 'population' | 'sample' = 'population',
): Map<string, { risk: MortalityRisk; z: number }> {
  const logs = [...mortality.entries()].filter(([, m]) => m > 0).map(([d, m]) => [d, Math.log(m)] as const);
  const mean = logs.reduce((a, [, l]) => a + l, 0) / (logs.length || 1);
  const ss = logs.reduce((a, [, l]) => a + (l - mean) ** 2, 0);
  const div = sd === 'population' ? logs.length : logs.length - 1;
  const s = div > 0 ? Math.sqrt(ss / div) : 0;
  const out = new Map<string, { risk: MortalityRisk; z: number }>();
  for (const [drg, m] of mortality) {
    if (!(m > 0)) {
      out.set(drg, { risk: 'low', z: -Infinity });
      continue;
    }
    const z = s > 0 ? (Math.log(m) - mean) / s : 0;
    const risk: MortalityRisk = z < -1 ? 'low' : z < 0 ? 'medium-low' : z < 1 ? 'medium-high' : 'high';
    out.set(drg, { risk, z: r4(z) });
  }
  return out;
}
