/**
 * Department cost allocation (科室成本分摊) of 《公立医院成本核算规范》 (国卫财务发〔2021〕4号):
 *
 * - step-down (分项逐级分步结转): 行政后勤 → 医疗辅助 → 医疗技术 → 临床服务, one direction, each cost item
 *   separately; centers of one level never allocate to each other and nothing flows back up;
 * - reciprocal (交互分配 / simultaneous equations): every non-clinical center allocates to every other
 *   center with a positive driver, including other support centers, solved as a linear system.
 *
 * Every split is a largest-remainder split of integer fen (allocateLargestRemainder), so the totals
 * per cost item reconcile to the fen before and after allocation (docs/formulas.md § 成本分摊).
 */
import { COST_ITEMS, allocateLargestRemainder, issue, roundFen } from '../domain/index.js';
import type { Fen, Issue } from '../domain/index.js';
import {
  CATEGORY_LEVEL,
  ITEM_COUNT,
  sumVector,
  zeroVector,
  type AllocationFlow,
  type AllocationInput,
  type AllocationMethod,
  type AllocationResult,
  type CenterResult,
  type CostCenter,
  type CostVector,
  type DriverKind,
} from './types.js';

interface Work {
  center: CostCenter;
  level: 1 | 2 | 3 | 4;
  direct: CostVector;
  current: CostVector;
  received: [CostVector, CostVector, CostVector];
  out: CostVector;
}

function prepare(input: AllocationInput, issues: Issue[]): { works: Work[]; importedFen: Fen; strayFen: Fen } {
  const seen = new Set<string>();
  const works: Work[] = [];
  for (const c of input.centers) {
    if (seen.has(c.id)) throw new RangeError(`duplicate cost center id: ${c.id}`);
    seen.add(c.id);
    const d = input.direct.get(c.id);
    const direct = zeroVector();
    if (d) {
      if (d.length !== ITEM_COUNT) {
        throw new RangeError(`direct cost of ${c.id}: expected ${ITEM_COUNT} cost items, got ${d.length}`);
      }
      for (let i = 0; i < ITEM_COUNT; i++) {
        const v = d[i]!;
        if (!Number.isSafeInteger(v) || v < 0) {
          throw new RangeError(`direct cost of ${c.id}.${COST_ITEMS[i]}: must be a non-negative integer fen, got ${v}`);
        }
        direct[i] = v;
      }
    }
    works.push({
      center: c,
      level: CATEGORY_LEVEL[c.category],
      direct,
      current: direct.slice(),
      received: [zeroVector(), zeroVector(), zeroVector()],
      out: zeroVector(),
    });
  }
  let importedFen = 0;
  let strayFen = 0;
  for (const [id, v] of input.direct) {
    const s = sumVector(v);
    importedFen += s;
    if (!seen.has(id)) {
      strayFen += s;
      issues.push(issue('unknown-cost-center', `direct.${id}`, `cost ${s} fen is booked to "${id}", which is not a cost center of this institution; it stays unallocated`));
    }
  }
  return { works, importedFen, strayFen };
}

function driverValue(input: AllocationInput, kind: DriverKind, centerId: string): number {
  const v = input.drivers[kind]?.get(centerId) ?? 0;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`driver ${kind} of ${centerId} must be finite and ≥ 0, got ${v}`);
  return v;
}

/**
 * Pick the first driver in the preference list with a positive total over the recipients.
 * Returns the weights or undefined when every driver is zero for every recipient.
 */
function chooseWeights(
  input: AllocationInput,
  choices: readonly DriverKind[],
  recipients: readonly Work[],
  cache: Map<string, number[]>,
  cacheKey: string,
): { kind: DriverKind; weights: number[] } | undefined {
  for (const kind of choices) {
    const key = `${cacheKey}|${kind}`;
    let weights = cache.get(key);
    if (!weights) {
      weights = recipients.map((r) => driverValue(input, kind, r.center.id));
      cache.set(key, weights);
    }
    let total = 0;
    for (const w of weights) total += w;
    if (total > 0) return { kind, weights };
  }
  return undefined;
}

function finish(
  method: AllocationMethod,
  works: readonly Work[],
  flows: AllocationFlow[],
  importedFen: Fen,
  strayFen: Fen,
  issues: Issue[],
  institutionId: string,
): AllocationResult {
  let finalFen = 0;
  let unallocatedFen = strayFen;
  const centers: CenterResult[] = works.map((w) => {
    const full = w.current;
    if (w.level === 4) finalFen += sumVector(full);
    else unallocatedFen += sumVector(full);
    return { center: w.center, direct: w.direct, receivedByLevel: w.received, allocatedOut: w.out, full };
  });
  if (finalFen + unallocatedFen !== importedFen) {
    // A broken invariant, not bad input: the engine lost or created fen.
    throw new RangeError(`allocation does not reconcile: imported ${importedFen}, final ${finalFen} + unallocated ${unallocatedFen}`);
  }
  return { method, institutionId, centers, flows, importedFen, finalFen, unallocatedFen, issues };
}

/**
 * Step-down allocation (分项逐级分步结转). Deterministic: sources of a level are processed in input
 * order, recipients are all centers of later levels in input order.
 */
export function allocateStepDown(input: AllocationInput): AllocationResult {
  const issues: Issue[] = [];
  const { works, importedFen, strayFen } = prepare(input, issues);
  const flows: AllocationFlow[] = [];
  const cache = new Map<string, number[]>();
  for (const level of [1, 2, 3] as const) {
    const recipients = works.filter((w) => w.level > level);
    for (const src of works) {
      if (src.level !== level) continue;
      if (sumVector(src.current) === 0) continue;
      const plan = input.plan.get(src.center.id);
      const amountsTo = recipients.map(() => zeroVector());
      const used: (DriverKind | '')[] = new Array<DriverKind | ''>(ITEM_COUNT).fill('');
      for (let i = 0; i < ITEM_COUNT; i++) {
        const amount = src.current[i]!;
        if (amount === 0) continue;
        const choices = plan?.[i];
        if (!choices || choices.length === 0) {
          issues.push(issue('no-driver', `plan.${src.center.id}.${COST_ITEMS[i]}`, `${src.center.name} (${src.center.id}) has no allocation driver for ${COST_ITEMS[i]}; ${amount} fen stays unallocated`));
          continue;
        }
        const chosen = chooseWeights(input, choices, recipients, cache, `L${level}`);
        if (!chosen) {
          issues.push(issue('driver-zero', `drivers.${choices.join('/')}`, `${src.center.name} (${src.center.id}): drivers ${choices.join(', ')} are zero for every lower-level center; ${amount} fen of ${COST_ITEMS[i]} stays unallocated`));
          continue;
        }
        used[i] = chosen.kind;
        const parts = allocateLargestRemainder(amount, chosen.weights);
        for (let r = 0; r < recipients.length; r++) {
          const p = parts[r]!;
          if (p === 0) continue;
          const rec = recipients[r]!;
          rec.current[i]! += p;
          rec.received[level - 1]![i]! += p;
          amountsTo[r]![i] = p;
        }
        src.out[i] = amount;
        src.current[i] = 0;
      }
      for (let r = 0; r < recipients.length; r++) {
        if (sumVector(amountsTo[r]!) > 0) {
          flows.push({ fromId: src.center.id, toId: recipients[r]!.center.id, level, drivers: used, amounts: amountsTo[r]! });
        }
      }
    }
  }
  return finish('step-down', works, flows, importedFen, strayFen, issues, input.centers[0]?.institutionId ?? '');
}

/** Solve M x = b in place by Gaussian elimination with partial pivoting; undefined when singular. */
function solve(m: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      if (f === 0) continue;
      for (let k = col; k < n; k++) m[r]![k]! -= f * m[col]![k]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * Reciprocal allocation (交互分配法, simultaneous equations). For each cost item, the total cost of
 * every non-clinical center k solves T_k = D_k + Σ_j a_jk·T_j, where a_jk is k's share of j's driver
 * over all centers other than j. Clinical center c ends with D_c + Σ_k a_kc·T_k. The exact final
 * amounts are turned into fen by one largest-remainder split of what the support centers pass on
 * (clinical centers keep their direct cost whole), so the item total is conserved to the fen and no
 * center ends below its direct cost; flows are the exact a_kj·T_k rounded half-up, for display.
 */
export function allocateReciprocal(input: AllocationInput): AllocationResult {
  const issues: Issue[] = [];
  const { works, importedFen, strayFen } = prepare(input, issues);
  const support = works.filter((w) => w.level < 4);
  const supportIndex = new Map(support.map((w, i) => [w.center.id, i]));
  const cache = new Map<string, number[]>();
  const flowAmounts = new Map<string, { from: Work; to: Work; amounts: CostVector; drivers: (DriverKind | '')[] }>();
  for (let i = 0; i < ITEM_COUNT; i++) {
    const itemTotal = works.reduce((s, w) => s + w.direct[i]!, 0);
    if (itemTotal === 0) continue;
    // share[k] = weights of support center k over every other center (or undefined: a sink)
    const shares: ({ kind: DriverKind; share: number[]; recipients: Work[] } | undefined)[] = support.map((src) => {
      const choices = input.plan.get(src.center.id)?.[i];
      const recipients = works.filter((w) => w !== src);
      if (!choices || choices.length === 0) return undefined;
      const chosen = chooseWeights(input, choices, recipients, cache, `R${src.center.id}`);
      if (!chosen) return undefined;
      const total = chosen.weights.reduce((a, b) => a + b, 0);
      return { kind: chosen.kind, share: chosen.weights.map((w) => w / total), recipients };
    });
    const n = support.length;
    const m = support.map((_, r) => support.map((__, c) => (r === c ? 1 : 0)));
    const b = support.map((w) => w.direct[i]!);
    shares.forEach((s, k) => {
      if (!s) return;
      s.recipients.forEach((rec, r) => {
        const j = supportIndex.get(rec.center.id);
        if (j !== undefined) m[j]![k]! -= s.share[r]!;
      });
    });
    const t = n > 0 ? solve(m, b) : [];
    if (!t) {
      throw new RangeError(`reciprocal allocation of ${COST_ITEMS[i]}: the support centers only serve each other (singular system); give some a driver towards clinical centers`);
    }
    // exact final amounts: clinical centers and sinks (support centers with no usable driver)
    const exact = new Map<Work, number>();
    const receivedExact = new Map<Work, [number, number, number]>();
    for (const w of works) {
      exact.set(w, w.level === 4 ? w.direct[i]! : 0);
      receivedExact.set(w, [0, 0, 0]);
    }
    shares.forEach((s, k) => {
      const src = support[k]!;
      const tk = t[k]!;
      if (!s) {
        if (tk > 0) {
          exact.set(src, tk);
          const choices = input.plan.get(src.center.id)?.[i];
          issues.push(issue(choices ? 'driver-zero' : 'no-driver', `plan.${src.center.id}.${COST_ITEMS[i]}`, `${src.center.name} (${src.center.id}): no usable driver for ${COST_ITEMS[i]}; its cost stays unallocated`));
        }
        return;
      }
      s.recipients.forEach((rec, r) => {
        const amt = s.share[r]! * tk;
        if (amt <= 0) return;
        const lv = receivedExact.get(rec)!;
        lv[src.level - 1] = lv[src.level - 1]! + amt;
        if (rec.level === 4) exact.set(rec, exact.get(rec)! + amt);
        const key = `${src.center.id}\u0000${rec.center.id}`;
        let f = flowAmounts.get(key);
        if (!f) {
          f = { from: src, to: rec, amounts: zeroVector(), drivers: new Array<DriverKind | ''>(ITEM_COUNT).fill('') };
          flowAmounts.set(key, f);
        }
        f.amounts[i] = roundFen(amt);
        f.drivers[i] = s.kind;
      });
      src.out[i] = roundFen(tk);
    });
    // Split only what moves: clinical centers keep their direct cost whole and share the support
    // total by their exact receipts (sinks by their exact totals), so no center ends below its direct cost.
    let moving = itemTotal;
    const weights = works.map((w) => {
      if (w.level === 4) {
        moving -= w.direct[i]!;
        return Math.max(0, exact.get(w)! - w.direct[i]!);
      }
      return Math.max(0, exact.get(w)!);
    });
    const parts = moving > 0 ? allocateLargestRemainder(moving, weights) : weights.map(() => 0);
    works.forEach((w, idx) => {
      const full = (w.level === 4 ? w.direct[i]! : 0) + parts[idx]!;
      w.current[i] = full;
      if (w.level === 4) {
        const rec = full - w.direct[i]!;
        const lv = receivedExact.get(w)!;
        const split = rec > 0 && lv[0] + lv[1] + lv[2] > 0 ? allocateLargestRemainder(rec, lv) : [0, 0, 0];
        for (let l = 0; l < 3; l++) w.received[l]![i] = split[l]!;
      } else {
        const lv = receivedExact.get(w)!;
        for (let l = 0; l < 3; l++) w.received[l]![i] = roundFen(lv[l]!);
        // display identity for support centers: direct + received − out = full
        const rec = w.received[0]![i]! + w.received[1]![i]! + w.received[2]![i]!;
        w.out[i] = w.direct[i]! + rec - full;
      }
    });
  }
  const flows: AllocationFlow[] = [];
  for (const f of flowAmounts.values()) {
    if (sumVector(f.amounts) > 0) {
      flows.push({ fromId: f.from.center.id, toId: f.to.center.id, level: f.from.level as 1 | 2 | 3, drivers: f.drivers, amounts: f.amounts });
    }
  }
  return finish('reciprocal', works, flows, importedFen, strayFen, issues, input.centers[0]?.institutionId ?? '');
}

/** Run the chosen method. */
export function allocate(input: AllocationInput, method: AllocationMethod = 'step-down'): AllocationResult {
  return method === 'reciprocal' ? allocateReciprocal(input) : allocateStepDown(input);
}

/** Roll full cost up the cost-center hierarchy (parentId): each center's own cost plus its descendants'. */
export function rollUp(result: AllocationResult): Map<string, CostVector> {
  const byId = new Map(result.centers.map((c) => [c.center.id, c]));
  const totals = new Map<string, CostVector>();
  for (const c of result.centers) {
    const seen = new Set<string>();
    let node: CenterResult | undefined = c;
    while (node && !seen.has(node.center.id)) {
      seen.add(node.center.id);
      const acc = totals.get(node.center.id) ?? zeroVector();
      for (let i = 0; i < ITEM_COUNT; i++) acc[i]! += c.full[i]!;
      totals.set(node.center.id, acc);
      node = node.center.parentId ? byId.get(node.center.parentId) : undefined;
    }
  }
  return totals;
}
