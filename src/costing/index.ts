/**
 * Hospital cost accounting (医院成本核算) — the public surface. Pure: callers load data (store, files)
 * and pass plain values; nothing here does I/O or reads the clock.
 *
 * @example
 * const versions = parseCostingConfig(JSON.parse(text));
 * const cfg = selectConfig(versions, '2025-01-01');
 * const plan = resolveDriverPlan(centers, cfg);
 * const alloc = allocate({ centers, direct, drivers, plan }, cfg.allocation.method);
 * const cases = costCases(alloc, caseRecords, 'top-down');
 * // alloc.importedFen === alloc.finalFen + alloc.unallocatedFen
 * // alloc.finalFen === cases.caseCostFen + cases.unassignedFen
 */

/** Types and vocabularies */
export { DRIVER_KINDS, CATEGORY_LEVEL, ITEM_INDEX, ITEM_COUNT, zeroVector, sumVector } from './types.js';
export type {
  AllocationFlow,
  AllocationInput,
  AllocationMethod,
  AllocationResult,
  CenterResult,
  CostCenter,
  CostVector,
  DriverChoice,
  DriverKind,
  DriverTable,
} from './types.js';

/** Configuration (versioned data under data/costing/) */
export { parseCostingConfig, selectConfig, resolveDriverPlan, itemMatcher, CostingConfigFileSchema } from './config.js';
export type { CostingConfig } from './config.js';

/** Department cost allocation: step-down and reciprocal */
export { allocate, allocateStepDown, allocateReciprocal, rollUp } from './allocate.js';

/** Service-item costing (ABC / TDABC) */
export { compileTimeStandards, compileExecutingCenters, costItems, unitCostByItem } from './item-costing.js';
export type { TimeStandards, MinutesBasis, ItemUse, ItemCostRow, CenterCapacityRow, ItemCostResult } from './item-costing.js';

/** Case, DRG and disease costing; 诊次 / 床日 cost */
export { CASE_COST_METHODS, costCases, unitCosts, groupCaseCosts, preTechCost } from './case-costing.js';
export type { CaseCostMethod, CaseRecord, CaseActivity, CaseCost, CaseCostResult, UnitCostRow, GroupCostRow } from './case-costing.js';

/** Budget and control */
export { evaluateBudgets, deriveBudgets, checkConsumableThresholds, equipmentUtilisation } from './control.js';
export type {
  BudgetLine,
  ActualCost,
  BudgetRow,
  BudgetStatus,
  BudgetOptions,
  ConsumableThreshold,
  ThresholdCase,
  ThresholdFinding,
  EquipmentClass,
  EquipmentUse,
  EquipmentUnits,
  UtilisationRow,
} from './control.js';

/** DRG cost-benefit, loss causes, denied payments, cost hints */
export { drgCostBenefit, decomposeLosses, deniedByEncounter, compileCostHints } from './benefit.js';
export type { BenefitCase, BenefitDimension, BenefitRow, LossCause, LossCauseRow, Denial, CostHint, CostHintOption, CostHinter } from './benefit.js';
