/**
 * Types of the costing engine (医院成本核算). Money is integer fen; per-item cost vectors are arrays
 * indexed like {@link COST_ITEMS} (人员经费 … 其他运行费用) so the hot loops stay on plain arrays.
 */
import type { CostCenterCategory, CostItem, Fen, Issue } from '../domain/index.js';
import { COST_ITEMS } from '../domain/index.js';

/** Number of standard cost items (成本项目). */
export const ITEM_COUNT = COST_ITEMS.length;

/** Index of each cost item in a {@link CostVector}. */
export const ITEM_INDEX: Readonly<Record<CostItem, number>> = Object.fromEntries(
  COST_ITEMS.map((item, i) => [item, i]),
) as Record<CostItem, number>;

/** Cost per standard cost item, in COST_ITEMS order (integer fen). */
export type CostVector = Fen[];

/**
 * Allocation drivers (分摊参数). `staff` 人员数, `floor-area` 面积, `beds` 床位, `visits` 门急诊人次,
 * `bed-days` 实际占用床日, `discharges` 出院人次, `workload` 工作量 (charge lines executed / ordered),
 * `revenue` 收入 (own patients' charges), `ordered-revenue` 开单收入 (charges the center ordered for
 * items executed elsewhere), `equipment-hours` 设备使用时长, `sterilisation` 消毒工作量.
 */
export const DRIVER_KINDS = [
  'staff',
  'floor-area',
  'beds',
  'visits',
  'bed-days',
  'discharges',
  'workload',
  'revenue',
  'ordered-revenue',
  'equipment-hours',
  'sterilisation',
] as const;
export type DriverKind = (typeof DRIVER_KINDS)[number];

/** A cost center (成本中心 / 核算单元) as the engine needs it. */
export interface CostCenter {
  readonly id: string;
  readonly institutionId: string;
  readonly name: string;
  readonly category: CostCenterCategory;
  /** parent center for roll-up reports; '' at the top */
  readonly parentId: string;
}

/** Driver quantities per driver kind and center id; a missing value counts as 0. */
export type DriverTable = Readonly<Partial<Record<DriverKind, ReadonlyMap<string, number>>>>;

/**
 * The drivers a source center uses, per cost item, as a preference list: the first driver with a
 * positive total over the recipients is used (e.g. `['ordered-revenue', 'staff']`).
 */
export type DriverChoice = readonly (readonly DriverKind[])[];

export type AllocationMethod = 'step-down' | 'reciprocal';

export interface AllocationInput {
  /** the centers of one institution */
  readonly centers: readonly CostCenter[];
  /** direct cost per center (科室直接成本), imported; centers without an entry have none */
  readonly direct: ReadonlyMap<string, readonly Fen[]>;
  readonly drivers: DriverTable;
  /** driver choice per source center id (non-clinical centers); see resolveDriverPlan */
  readonly plan: ReadonlyMap<string, DriverChoice>;
}

/** One transfer of cost from a source center to a recipient (per cost item). */
export interface AllocationFlow {
  readonly fromId: string;
  readonly toId: string;
  /** 1 一级 (行政后勤), 2 二级 (医疗辅助), 3 三级 (医疗技术) */
  readonly level: 1 | 2 | 3;
  /** driver used per cost item ('' where the item had nothing to allocate) */
  readonly drivers: readonly (DriverKind | '')[];
  readonly amounts: CostVector;
}

export interface CenterResult {
  readonly center: CostCenter;
  readonly direct: CostVector;
  /** indirect cost received from each level (一级/二级/三级 分摊转入) */
  readonly receivedByLevel: readonly [CostVector, CostVector, CostVector];
  /** cost passed on to other centers (分摊转出) */
  readonly allocatedOut: CostVector;
  /** full cost held at the end (全成本) = direct + received − allocated out */
  readonly full: CostVector;
}

export interface AllocationResult {
  readonly method: AllocationMethod;
  readonly institutionId: string;
  readonly centers: readonly CenterResult[];
  readonly flows: readonly AllocationFlow[];
  readonly importedFen: Fen;
  /** Σ full cost over final (clinical) centers */
  readonly finalFen: Fen;
  /** cost left on non-clinical centers because no recipient had a positive driver */
  readonly unallocatedFen: Fen;
  readonly issues: readonly Issue[];
}

/** A category's level in the standard order 行政后勤 → 医疗辅助 → 医疗技术 → 临床服务. */
export const CATEGORY_LEVEL: Readonly<Record<CostCenterCategory, 1 | 2 | 3 | 4>> = {
  administrative: 1,
  'medical-support': 2,
  'medical-technical': 3,
  clinical: 4,
};

export function zeroVector(): CostVector {
  return new Array<number>(ITEM_COUNT).fill(0);
}

export function sumVector(v: readonly Fen[]): Fen {
  let s = 0;
  for (const x of v) s += x;
  return s;
}
