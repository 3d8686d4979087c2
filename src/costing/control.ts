/**
 * Budget and control (事前预算—事中控制—事后评价): budgets per center and cost item split into
 * quarters and months, actual vs budget, rolling re-forecast from actuals, over-budget alerts;
 * consumable thresholds per procedure; equipment utilisation (hours used / available).
 */
import { allocateLargestRemainder, issue, roundFen } from '../domain/index.js';
import type { CostItem, Fen, Issue } from '../domain/index.js';

// ── budgets ──

export interface BudgetLine {
  readonly institutionId: string;
  readonly centerId: string;
  /** a standard cost item, or 'total' for the center's whole cost */
  readonly costItem: CostItem | 'total';
  readonly year: string;
  readonly annualFen: Fen;
  /** optional monthly profile (12 weights); equal months when absent */
  readonly monthlyWeights?: readonly number[];
  /** where the figure comes from, e.g. 'file', 'prior-year × 1.05', 'q1-annualised × 1.05' */
  readonly basis: string;
}

export interface ActualCost {
  readonly institutionId: string;
  readonly centerId: string;
  readonly costItem: CostItem;
  /** YYYY-MM */
  readonly month: string;
  readonly amountFen: Fen;
}

export type BudgetStatus = 'ok' | 'over' | 'forecast-over';

export interface BudgetRow {
  readonly institutionId: string;
  readonly centerId: string;
  readonly costItem: CostItem | 'total';
  /** YYYY-MM, YYYY-Qn, or YYYY (year to date) */
  readonly period: string;
  readonly granularity: 'month' | 'quarter' | 'year';
  /** budget of the elapsed part of the period */
  readonly budgetFen: Fen;
  readonly actualFen: Fen;
  readonly varianceFen: Fen;
  /** variance / budget × 100; null without budget */
  readonly variancePct: number | null;
  /** year rows only: actual to date + remaining months × run rate 滚动预测 */
  readonly forecastFen: Fen | null;
  readonly annualBudgetFen: Fen;
  readonly status: BudgetStatus;
  readonly basis: string;
}

export interface BudgetOptions {
  /** last month with actuals to evaluate, YYYY-MM */
  readonly asOfMonth: string;
  readonly overBudgetThresholdPct: number;
  readonly runRateMonths: number;
}

/**
 * Compare actuals with budgets. Monthly budgets are a largest-remainder split of the annual figure
 * (so the 12 months add up to it exactly); a row is `over` when actual > budget × (1 + threshold)
 * and the year row is `forecast-over` when the rolling forecast exceeds the annual budget likewise.
 */
export function evaluateBudgets(budgets: readonly BudgetLine[], actuals: readonly ActualCost[], opts: BudgetOptions): { rows: BudgetRow[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const m = /^(\d{4})-(\d{2})$/.exec(opts.asOfMonth);
  if (!m) throw new RangeError(`asOfMonth must be YYYY-MM, got "${opts.asOfMonth}"`);
  const year = m[1]!;
  const elapsed = Number(m[2]);
  const factor = 1 + opts.overBudgetThresholdPct / 100;
  // actual per (inst, center, item|total, month index)
  const act = new Map<string, number[]>();
  const add = (k: string, mi: number, v: number): void => {
    let a = act.get(k);
    if (!a) act.set(k, (a = new Array<number>(12).fill(0)));
    a[mi]! += v;
  };
  for (const a of actuals) {
    if (!a.month.startsWith(`${year}-`)) continue;
    const mi = Number(a.month.slice(5, 7)) - 1;
    add(`${a.institutionId}|${a.centerId}|${a.costItem}`, mi, a.amountFen);
    add(`${a.institutionId}|${a.centerId}|total`, mi, a.amountFen);
  }
  const rows: BudgetRow[] = [];
  for (const b of budgets) {
    if (b.year !== year) continue;
    const weights = b.monthlyWeights ?? new Array<number>(12).fill(1);
    if (weights.length !== 12) {
      issues.push(issue('bad-budget-profile', `budgets.${b.centerId}.${b.costItem}`, `monthly profile needs 12 weights, got ${weights.length}`));
      continue;
    }
    const monthly = b.annualFen > 0 ? allocateLargestRemainder(b.annualFen, weights) : new Array<number>(12).fill(0);
    const actual = act.get(`${b.institutionId}|${b.centerId}|${b.costItem}`) ?? new Array<number>(12).fill(0);
    const row = (period: string, granularity: BudgetRow['granularity'], from: number, to: number, forecast: Fen | null): BudgetRow => {
      let budgetFen = 0;
      let actualFen = 0;
      for (let i = from; i <= to; i++) {
        budgetFen += monthly[i]!;
        actualFen += actual[i]!;
      }
      const over = actualFen > budgetFen * factor;
      const fOver = forecast !== null && forecast > b.annualFen * factor;
      return {
        institutionId: b.institutionId,
        centerId: b.centerId,
        costItem: b.costItem,
        period,
        granularity,
        budgetFen,
        actualFen,
        varianceFen: actualFen - budgetFen,
        variancePct: budgetFen > 0 ? ((actualFen - budgetFen) / budgetFen) * 100 : null,
        forecastFen: forecast,
        annualBudgetFen: b.annualFen,
        status: over ? 'over' : fOver ? 'forecast-over' : 'ok',
        basis: b.basis,
      };
    };
    for (let i = 0; i < elapsed; i++) rows.push(row(`${year}-${String(i + 1).padStart(2, '0')}`, 'month', i, i, null));
    for (let q = 0; q * 3 < elapsed; q++) rows.push(row(`${year}-Q${q + 1}`, 'quarter', q * 3, Math.min(q * 3 + 2, elapsed - 1), null));
    const n = Math.min(opts.runRateMonths, elapsed);
    let recent = 0;
    for (let i = elapsed - n; i < elapsed; i++) recent += actual[i]!;
    let ytd = 0;
    for (let i = 0; i < elapsed; i++) ytd += actual[i]!;
    const forecast = ytd + roundFen(n > 0 ? (recent / n) * (12 - elapsed) : 0);
    rows.push(row(year, 'year', 0, elapsed - 1, forecast));
  }
  return { rows, issues };
}

/**
 * Baseline budgets when a hospital supplies none: the prior year's actual × (1 + growth) where the
 * prior year has data, else the first quarter of the year annualised × (1 + growth). The basis is
 * written on every line so reports never pass a derived baseline off as an approved budget.
 */
export function deriveBudgets(actuals: readonly ActualCost[], year: string, growthPct: number): BudgetLine[] {
  const prior = String(Number(year) - 1);
  const priorTotals = new Map<string, { inst: string; center: string; fen: number }>();
  const q1Totals = new Map<string, { inst: string; center: string; fen: number; months: Set<string> }>();
  for (const a of actuals) {
    const k = `${a.institutionId}|${a.centerId}`;
    if (a.month.startsWith(`${prior}-`)) {
      const t = priorTotals.get(k) ?? { inst: a.institutionId, center: a.centerId, fen: 0 };
      t.fen += a.amountFen;
      priorTotals.set(k, t);
    } else if (a.month >= `${year}-01` && a.month <= `${year}-03`) {
      const t = q1Totals.get(k) ?? { inst: a.institutionId, center: a.centerId, fen: 0, months: new Set<string>() };
      t.fen += a.amountFen;
      t.months.add(a.month);
      q1Totals.set(k, t);
    }
  }
  const g = 1 + growthPct / 100;
  const out: BudgetLine[] = [];
  for (const [k, t] of q1Totals) {
    const p = priorTotals.get(k);
    if (p) out.push({ institutionId: t.inst, centerId: t.center, costItem: 'total', year, annualFen: roundFen(p.fen * g), basis: `prior-year × ${g}` });
    else out.push({ institutionId: t.inst, centerId: t.center, costItem: 'total', year, annualFen: roundFen((t.fen / t.months.size) * 12 * g), basis: `q1-annualised × ${g}` });
  }
  for (const [k, p] of priorTotals) {
    if (!q1Totals.has(k)) out.push({ institutionId: p.inst, centerId: p.center, costItem: 'total', year, annualFen: roundFen(p.fen * g), basis: `prior-year × ${g}` });
  }
  return out.sort((a, b) => (a.institutionId + a.centerId < b.institutionId + b.centerId ? -1 : 1));
}

// ── consumable thresholds per procedure ──

export interface ConsumableThreshold {
  readonly procedurePrefix: string;
  readonly procedureName: string;
  readonly itemNamePattern: string;
  readonly maxQuantity: number;
}

export interface ThresholdCase {
  readonly id: string;
  readonly departmentId: string;
  readonly doctorId: string;
  readonly procedures: readonly string[];
  readonly consumables: readonly { readonly itemName: string; readonly quantity: number; readonly amountFen: Fen }[];
}

export interface ThresholdFinding {
  readonly caseId: string;
  readonly departmentId: string;
  readonly doctorId: string;
  readonly procedure: string;
  readonly procedureName: string;
  readonly itemNamePattern: string;
  readonly quantity: number;
  readonly maxQuantity: number;
  readonly excessQuantity: number;
  /** charges of the excess, pro rata to the matching lines' mean price */
  readonly excessFen: Fen;
}

/** Cases whose matching consumables exceed the per-procedure threshold (耗材使用阈值). */
export function checkConsumableThresholds(cases: readonly ThresholdCase[], thresholds: readonly ConsumableThreshold[]): ThresholdFinding[] {
  const compiled = thresholds.map((t) => ({ ...t, re: new RegExp(t.itemNamePattern) }));
  const out: ThresholdFinding[] = [];
  for (const c of cases) {
    for (const t of compiled) {
      const proc = c.procedures.find((p) => p.startsWith(t.procedurePrefix));
      if (!proc) continue;
      let qty = 0;
      let fen = 0;
      for (const l of c.consumables) {
        if (t.re.test(l.itemName)) {
          qty += l.quantity;
          fen += l.amountFen;
        }
      }
      if (qty > t.maxQuantity) {
        const excess = qty - t.maxQuantity;
        out.push({
          caseId: c.id,
          departmentId: c.departmentId,
          doctorId: c.doctorId,
          procedure: proc,
          procedureName: t.procedureName,
          itemNamePattern: t.itemNamePattern,
          quantity: qty,
          maxQuantity: t.maxQuantity,
          excessQuantity: excess,
          excessFen: roundFen((fen / qty) * excess),
        });
      }
    }
  }
  return out;
}

// ── equipment utilisation ──

export interface EquipmentClass {
  readonly equipmentClass: string;
  readonly name: string;
  readonly itemPrefixes: readonly string[];
  /** item-name pattern (RegExp source) for items without national codes */
  readonly itemNamePattern?: string;
  readonly minutesPerUse: number;
  readonly availableHoursPerUnitYear: number;
}

export interface EquipmentUse {
  readonly institutionId: string;
  readonly itemCode: string;
  readonly itemName: string;
  readonly quantity: number;
}

export interface EquipmentUnits {
  readonly institutionId: string;
  readonly equipmentClass: string;
  readonly units: number;
}

export interface UtilisationRow {
  readonly institutionId: string;
  readonly equipmentClass: string;
  readonly name: string;
  readonly units: number;
  readonly uses: number;
  readonly usedHours: number;
  readonly availableHours: number;
  /** used / available (0..; above 1 means the standard minutes or the unit count are wrong) */
  readonly utilisation: number;
}

/** Equipment utilisation 设备使用率 = uses × minutes per use / (units × available hours × months/12). */
export function equipmentUtilisation(classes: readonly EquipmentClass[], uses: readonly EquipmentUse[], units: readonly EquipmentUnits[], months = 12): UtilisationRow[] {
  const acc = new Map<string, number>();
  const compiled = classes.map((c) => ({ c, re: c.itemNamePattern ? new RegExp(c.itemNamePattern) : undefined }));
  for (const u of uses) {
    const cls = compiled.find(({ c, re }) => c.itemPrefixes.some((p) => u.itemCode.startsWith(p)) || (re !== undefined && re.test(u.itemName)))?.c;
    if (!cls) continue;
    const k = `${u.institutionId}|${cls.equipmentClass}`;
    acc.set(k, (acc.get(k) ?? 0) + u.quantity);
  }
  return units.map((un) => {
    const cls = classes.find((c) => c.equipmentClass === un.equipmentClass);
    if (!cls) throw new RangeError(`unknown equipment class "${un.equipmentClass}"`);
    const n = acc.get(`${un.institutionId}|${un.equipmentClass}`) ?? 0;
    const usedHours = (n * cls.minutesPerUse) / 60;
    const availableHours = un.units * cls.availableHoursPerUnitYear * (months / 12);
    return {
      institutionId: un.institutionId,
      equipmentClass: un.equipmentClass,
      name: cls.name,
      units: un.units,
      uses: n,
      usedHours,
      availableHours,
      utilisation: availableHours > 0 ? usedHours / availableHours : 0,
    };
  });
}
