/**
 * Department secondary allocation (科室二次分配) of a hospital's budget or quota from the last three
 * years of data, and per-visit quotas per department.
 *
 * Method: each department's share is its fund claims weighted 1:2:7 over the three years (oldest →
 * newest, the DIP technical spec's weighting of history, shared/notes/drg-payment-costing.md §2.3);
 * share_d = Σ_y w_y·claims_{d,y} / Σ_d Σ_y w_y·claims_{d,y}; the budget is split by largest remainder so
 * the department budgets add up to the fen. A department missing in a year counts 0 for that year.
 */
import { allocateLargestRemainder, roundFen } from '../domain/index.js';
import type { Fen } from '../domain/index.js';

export interface DepartmentYear {
  readonly departmentId: string;
  readonly year: number;
  /** the fund's share of the department's claims that year */
  readonly claimsFen: Fen;
  readonly visits: number;
  /** total cost (for per-visit quotas) */
  readonly costFen: Fen;
}

export interface DepartmentAllocation {
  readonly departmentId: string;
  readonly weightedClaimsFen: number;
  /** share of the hospital total, basis points (rounded, display only) */
  readonly shareBp: number;
  readonly budgetFen: Fen;
  /** weighted mean cost per visit (人次定额), fen; 0 when the department had no visits */
  readonly quotaPerVisitFen: Fen;
}

export const HISTORY_WEIGHTS: readonly [number, number, number] = [1, 2, 7];

/** Allocate `totalFen` over departments from the three years before `year`. */
export function allocateToDepartments(totalFen: Fen, history: readonly DepartmentYear[], year: number, weights: readonly [number, number, number] = HISTORY_WEIGHTS): DepartmentAllocation[] {
  const years = [year - 3, year - 2, year - 1];
  const acc = new Map<string, { claims: number; cost: number; visits: number }>();
  for (const h of history) {
    const k = years.indexOf(h.year);
    if (k < 0) continue;
    const w = weights[k]!;
    const a = acc.get(h.departmentId) ?? { claims: 0, cost: 0, visits: 0 };
    a.claims += w * h.claimsFen;
    a.cost += w * h.costFen;
    a.visits += w * h.visits;
    acc.set(h.departmentId, a);
  }
  const ids = [...acc.keys()].sort();
  if (ids.length === 0) return [];
  const weightsByDept = ids.map((id) => acc.get(id)!.claims);
  const sum = weightsByDept.reduce((s, w) => s + w, 0);
  const budgets = sum > 0 ? allocateLargestRemainder(totalFen, weightsByDept) : allocateLargestRemainder(totalFen, ids.map(() => 1));
  return ids.map((id, i) => {
    const a = acc.get(id)!;
    return {
      departmentId: id,
      weightedClaimsFen: a.claims,
      shareBp: sum > 0 ? roundFen((a.claims / sum) * 10000) : roundFen(10000 / ids.length),
      budgetFen: budgets[i]!,
      quotaPerVisitFen: a.visits > 0 ? roundFen(a.cost / a.visits) : 0,
    };
  });
}
