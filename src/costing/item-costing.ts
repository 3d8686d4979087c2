/**
 * Service-item costing (医疗服务项目成本) by activity-based costing with time drivers (作业成本法 /
 * TDABC, note §3.7 and §4.1): each executing center's item pool (its pre-level-3 cost; for a clinical
 * center without drugs and separately charged materials) is the resource; activity time of an item
 * = quantity × standard minutes (longest code-prefix match in the time standards), or, without a
 * standard, charge-equivalent minutes (成本当量: minutes per 100 yuan). The pool is spread over items
 * by minutes (full absorption, largest remainder), and the TDABC practical-capacity rate
 * (pool / staff × practical minutes) shows the unused-capacity cost the items did not absorb.
 */
import { allocateLargestRemainder } from '../domain/index.js';
import type { Fen } from '../domain/index.js';
import { preTechCost } from './case-costing.js';
import type { CostingConfig } from './config.js';
import { ITEM_INDEX, sumVector, type AllocationResult, type CostCenter } from './types.js';

export type MinutesBasis = 'time-standard' | 'charge-equivalent';

export interface TimeStandards {
  /** activity minutes for `quantity` units of an item charged `amountFen` in total */
  minutes(itemCode: string, itemName: string, quantity: number, amountFen: Fen): { minutes: number; basis: MinutesBasis };
}

/** Time standards: the longest matching code prefix, else the first matching name pattern, else 成本当量. */
export function compileTimeStandards(cfg: CostingConfig['itemCosting']): TimeStandards {
  const byPrefix = new Map<string, number>();
  const byName: { re: RegExp; minutes: number }[] = [];
  for (const t of cfg.timeStandards) {
    if (t.prefix !== undefined) byPrefix.set(t.prefix, t.minutes);
    else if (t.itemNamePattern !== undefined) byName.push({ re: new RegExp(t.itemNamePattern), minutes: t.minutes });
  }
  const lengths = [...new Set([...byPrefix.keys()].map((p) => p.length))].sort((a, b) => b - a);
  const cache = new Map<string, number | null>();
  const per100Yuan = cfg.chargeEquivalentMinutesPer100Yuan;
  return {
    minutes(itemCode, itemName, quantity, amountFen) {
      const key = `${itemCode}\u0000${itemName}`;
      let std = cache.get(key);
      if (std === undefined) {
        std = null;
        for (const len of lengths) {
          const hit = byPrefix.get(itemCode.slice(0, len));
          if (hit !== undefined) {
            std = hit;
            break;
          }
        }
        if (std === null) std = byName.find((n) => n.re.test(itemName))?.minutes ?? null;
        cache.set(key, std);
      }
      return std === null
        ? { minutes: (amountFen / 10_000) * per100Yuan, basis: 'charge-equivalent' }
        : { minutes: quantity * std, basis: 'time-standard' };
    },
  };
}

/**
 * Which center executes an item: the first configured center whose name matches the item's rule
 * (code prefix, longest first, then item-name patterns — e.g. 检验 items in 检验科), else the
 * ordering center when it is clinical or medical-technical, else the case's own center.
 */
export function compileExecutingCenters(
  centers: readonly CostCenter[],
  cfg: CostingConfig['itemCosting'],
): (itemCode: string, itemName: string, orderingCenterId: string, caseCenterId: string) => string {
  const eligible = new Set(centers.filter((c) => c.category === 'clinical' || c.category === 'medical-technical').map((c) => c.id));
  const rules = cfg.executingCenters
    .map((r) => {
      const re = new RegExp(r.namePattern);
      const hit = centers.find((c) => c.category === 'medical-technical' && re.test(c.name)) ?? centers.find((c) => eligible.has(c.id) && re.test(c.name));
      return hit ? { prefix: r.prefix, item: r.itemNamePattern ? new RegExp(r.itemNamePattern) : undefined, centerId: hit.id } : undefined;
    })
    .filter((x): x is { prefix: string | undefined; item: RegExp | undefined; centerId: string } => x !== undefined);
  const prefixRules = rules.filter((r) => r.prefix !== undefined).sort((a, b) => b.prefix!.length - a.prefix!.length);
  const nameRules = rules.filter((r) => r.prefix === undefined);
  const cache = new Map<string, string | null>();
  return (itemCode, itemName, orderingCenterId, caseCenterId) => {
    const key = `${itemCode}\u0000${itemName}`;
    let exec = cache.get(key);
    if (exec === undefined) {
      exec = prefixRules.find((r) => itemCode.startsWith(r.prefix!))?.centerId ?? nameRules.find((r) => r.item!.test(itemName))?.centerId ?? null;
      cache.set(key, exec);
    }
    if (exec) return exec;
    return eligible.has(orderingCenterId) ? orderingCenterId : caseCenterId;
  };
}

/** Volume of one item in one executing center over the period. */
export interface ItemUse {
  readonly centerId: string;
  readonly itemCode: string;
  readonly itemName: string;
  readonly quantity: number;
  readonly revenueFen: Fen;
  readonly minutes: number;
  readonly basis: MinutesBasis;
}

export interface ItemCostRow extends ItemUse {
  readonly costFen: Fen;
  /** cost of one unit, fractional fen */
  readonly unitCostFen: number;
  /** cost-to-charge ratio 成本收入比 (cost / revenue); NaN without revenue */
  readonly costToChargeRatio: number;
}

export interface CenterCapacityRow {
  readonly centerId: string;
  readonly poolFen: Fen;
  readonly usedMinutes: number;
  readonly practicalMinutes: number;
  /** TDABC capacity cost rate 容量成本率, fen per minute of practical capacity */
  readonly capacityRateFenPerMin: number;
  /** pool − rate × used minutes: positive = idle capacity, negative = work beyond practical capacity */
  readonly unusedCapacityFen: number;
  /** pool that no item absorbed (a center with cost but no items) */
  readonly unabsorbedFen: Fen;
}

export interface ItemCostResult {
  readonly items: readonly ItemCostRow[];
  readonly centers: readonly CenterCapacityRow[];
}

/**
 * Cost items of one institution. `staff` is the head count per center, `months` the period length
 * (practical capacity scales with it).
 */
export function costItems(
  allocation: AllocationResult,
  uses: readonly ItemUse[],
  staff: ReadonlyMap<string, number>,
  practicalMinutesPerStaffYear: number,
  months = 12,
): ItemCostResult {
  const pools = preTechCost(allocation);
  const clinical = new Set(allocation.centers.filter((c) => c.center.category === 'clinical').map((c) => c.center.id));
  const byCenter = new Map<string, ItemUse[]>();
  for (const u of uses) {
    let l = byCenter.get(u.centerId);
    if (!l) byCenter.set(u.centerId, (l = []));
    l.push(u);
  }
  const items: ItemCostRow[] = [];
  const centers: CenterCapacityRow[] = [];
  for (const [id, v] of pools) {
    const pool = clinical.has(id) ? sumVector(v) - v[ITEM_INDEX.drugs]! - v[ITEM_INDEX['medical-materials']]! : sumVector(v);
    const list = (byCenter.get(id) ?? []).filter((u) => u.minutes > 0);
    let used = 0;
    const weights = new Array<number>(list.length);
    for (let k = 0; k < list.length; k++) used += weights[k] = list[k]!.minutes;
    const practical = (staff.get(id) ?? 0) * practicalMinutesPerStaffYear * (months / 12);
    const rate = practical > 0 ? pool / practical : 0;
    const parts = used > 0 && pool > 0 ? allocateLargestRemainder(pool, weights) : weights.map(() => 0);
    for (let k = 0; k < list.length; k++) {
      const u = list[k]!;
      const costFen = parts[k]!;
      items.push({
        centerId: u.centerId,
        itemCode: u.itemCode,
        itemName: u.itemName,
        quantity: u.quantity,
        revenueFen: u.revenueFen,
        minutes: u.minutes,
        basis: u.basis,
        costFen,
        unitCostFen: costFen / u.quantity,
        costToChargeRatio: u.revenueFen > 0 ? costFen / u.revenueFen : Number.NaN,
      });
    }
    centers.push({
      centerId: id,
      poolFen: pool,
      usedMinutes: used,
      practicalMinutes: practical,
      capacityRateFenPerMin: rate,
      unusedCapacityFen: practical > 0 ? pool - rate * used : 0,
      unabsorbedFen: used > 0 ? 0 : pool,
    });
  }
  return { items, centers };
}

/** Unit cost per item code over all centers (Σ cost / Σ quantity), for cost hints and bottom-up checks. */
export function unitCostByItem(result: ItemCostResult): Map<string, { unitCostFen: number; quantity: number; revenueFen: Fen; costFen: Fen }> {
  const acc = new Map<string, { unitCostFen: number; quantity: number; revenueFen: Fen; costFen: Fen }>();
  for (const r of result.items) {
    const a = acc.get(r.itemCode) ?? { unitCostFen: 0, quantity: 0, revenueFen: 0, costFen: 0 };
    a.quantity += r.quantity;
    a.revenueFen += r.revenueFen;
    a.costFen += r.costFen;
    a.unitCostFen = a.costFen / a.quantity;
    acc.set(r.itemCode, a);
  }
  return acc;
}
