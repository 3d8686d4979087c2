/**
 * Versioned costing configuration (data/costing/costing-config.json): allocation drivers per cost
 * center category and cost item, activity/time standards for item costing, budget thresholds,
 * consumable thresholds, equipment classes, equivalence keys for cost hints. Each version has
 * effective dates and a source. Parsing is pure (the caller reads the file).
 */
import { z } from 'zod';
import { COST_ITEMS, MedfundError, issue } from '../domain/index.js';
import type { CostCenterCategory } from '../domain/index.js';
import { DRIVER_KINDS, type CostCenter, type DriverChoice, type DriverKind } from './types.js';

const driverList = z.array(z.enum(DRIVER_KINDS)).min(1);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const byItem = z.partialRecord(z.enum(COST_ITEMS), driverList);

const categoryDrivers = z.object({ default: driverList, byItem: byItem.default({}) });

export const CostingConfigVersionSchema = z.object({
  version: z.string().min(1),
  effectiveFrom: isoDate,
  effectiveTo: isoDate,
  source: z.string().min(1),
  allocation: z.object({
    method: z.enum(['step-down', 'reciprocal']),
    drivers: z.object({
      administrative: categoryDrivers,
      'medical-support': categoryDrivers,
      'medical-technical': categoryDrivers,
    }),
    /** centers whose name matches `namePattern` (a RegExp source) use these drivers instead */
    centerOverrides: z
      .array(z.object({ namePattern: z.string().min(1), default: driverList, byItem: byItem.default({}), source: z.string() }))
      .default([]),
  }),
  itemCosting: z.object({
    /** practical capacity of one staff member in minutes a year (TDABC, ≈ 80% of theoretical) */
    practicalMinutesPerStaffYear: z.number().positive(),
    /** 成本当量: minutes of work assumed per 100 yuan of charge for items without a time standard */
    chargeEquivalentMinutesPer100Yuan: z.number().positive(),
    /** standard minutes per unit, matched by national code prefix (longest first), else by item name */
    timeStandards: z.array(
      z
        .object({ prefix: z.string().min(1).optional(), itemNamePattern: z.string().min(1).optional(), name: z.string(), minutes: z.number().nonnegative(), source: z.string() })
        .refine((t) => t.prefix !== undefined || t.itemNamePattern !== undefined, 'a time standard needs prefix or itemNamePattern'),
    ),
    /** items matching `prefix` / `itemNamePattern` are executed by the center whose name matches `namePattern` */
    executingCenters: z
      .array(
        z
          .object({ prefix: z.string().min(1).optional(), itemNamePattern: z.string().min(1).optional(), namePattern: z.string().min(1) })
          .refine((t) => t.prefix !== undefined || t.itemNamePattern !== undefined, 'an executing-center rule needs prefix or itemNamePattern'),
      )
      .default([]),
    /** service items counted as examinations (检查检验) in benchmarks: code prefixes or a name pattern */
    examPrefixes: z.array(z.string().min(1)),
    examNamePattern: z.string().min(1).optional(),
    /** service items that count as surgery (sterilisation driver) */
    surgeryPrefixes: z.array(z.string().min(1)),
    surgeryNamePattern: z.string().min(1).optional(),
  }),
  budget: z.object({
    /** over-budget alert when actual exceeds budget by more than this percentage */
    overBudgetThresholdPct: z.number().nonnegative(),
    /** months of recent actuals whose mean is the run rate of the rolling re-forecast */
    runRateMonths: z.number().int().positive(),
    /** growth applied to the baseline when no budget is supplied */
    defaultGrowthPct: z.number(),
  }),
  consumableThresholds: z.array(
    z.object({
      procedurePrefix: z.string().min(1),
      procedureName: z.string(),
      itemNamePattern: z.string().min(1),
      maxQuantity: z.number().positive(),
      source: z.string(),
    }),
  ),
  equipment: z.array(
    z.object({
      equipmentClass: z.string().min(1),
      name: z.string(),
      itemPrefixes: z.array(z.string().min(1)),
      itemNamePattern: z.string().min(1).optional(),
      minutesPerUse: z.number().positive(),
      availableHoursPerUnitYear: z.number().positive(),
      /** the center that runs the equipment */
      centerNamePattern: z.string().min(1),
      source: z.string(),
    }),
  ),
  /** code prefix length that defines "equivalent" catalog items per charge category (cost hints) */
  equivalenceKeyLength: z.object({ drug: z.number().int().positive(), consumable: z.number().int().positive(), service: z.number().int().positive(), facility: z.number().int().positive() }),
});
export type CostingConfig = z.infer<typeof CostingConfigVersionSchema>;

export const CostingConfigFileSchema = z.object({ versions: z.array(CostingConfigVersionSchema).min(1) });

/** Parse the config file's JSON value; bad data raises a MedfundError naming the field. */
export function parseCostingConfig(json: unknown): CostingConfig[] {
  const r = CostingConfigFileSchema.safeParse(json);
  if (!r.success) {
    throw new MedfundError(
      r.error.issues.map((i) => issue('bad-costing-config', i.path.join('.'), i.message)),
    );
  }
  for (const v of r.data.versions) {
    for (const o of v.allocation.centerOverrides) checkPattern(o.namePattern, `${v.version}.centerOverrides`);
    for (const e of v.equipment) checkPattern(e.centerNamePattern, `${v.version}.equipment`);
    for (const t of v.consumableThresholds) checkPattern(t.itemNamePattern, `${v.version}.consumableThresholds`);
    for (const t of v.itemCosting.timeStandards) if (t.itemNamePattern) checkPattern(t.itemNamePattern, `${v.version}.itemCosting.timeStandards`);
    for (const t of v.itemCosting.executingCenters) {
      checkPattern(t.namePattern, `${v.version}.itemCosting.executingCenters`);
      if (t.itemNamePattern) checkPattern(t.itemNamePattern, `${v.version}.itemCosting.executingCenters`);
    }
    for (const p of [v.itemCosting.examNamePattern, v.itemCosting.surgeryNamePattern, ...v.equipment.map((e) => e.itemNamePattern)]) {
      if (p) checkPattern(p, `${v.version}.itemCosting`);
    }
  }
  return r.data.versions;
}

function checkPattern(p: string, path: string): void {
  try {
    new RegExp(p);
  } catch (err) {
    throw new MedfundError([issue('bad-costing-config', path, `not a valid pattern: ${p}`)], { cause: err });
  }
}

/** A matcher for items by code prefix or name pattern (exam / surgery / equipment classes). */
export function itemMatcher(prefixes: readonly string[], namePattern?: string): (itemCode: string, itemName: string) => boolean {
  const re = namePattern ? new RegExp(namePattern) : undefined;
  return (code, name) => prefixes.some((p) => code.startsWith(p)) || (re !== undefined && re.test(name));
}

/** The version in force on `date` (ISO); the latest effectiveFrom wins. */
export function selectConfig(versions: readonly CostingConfig[], date: string): CostingConfig {
  const inForce = versions
    .filter((v) => v.effectiveFrom <= date && date <= v.effectiveTo)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  const hit = inForce[0];
  if (!hit) {
    throw new MedfundError([issue('no-costing-config', 'date', `no costing configuration is in force on ${date}`)]);
  }
  return hit;
}

/**
 * Driver choice per non-clinical center: a name override first, else its category's drivers, with
 * per-cost-item drivers where configured (e.g. 折旧 by floor area).
 */
export function resolveDriverPlan(centers: readonly CostCenter[], config: CostingConfig): Map<string, DriverChoice> {
  const plan = new Map<string, DriverChoice>();
  const overrides = config.allocation.centerOverrides.map((o) => ({ ...o, re: new RegExp(o.namePattern) }));
  for (const c of centers) {
    if (c.category === 'clinical') continue;
    const cat = config.allocation.drivers[c.category as Exclude<CostCenterCategory, 'clinical'>];
    const o = overrides.find((x) => x.re.test(c.name));
    const base = o ?? cat;
    plan.set(
      c.id,
      COST_ITEMS.map((item): readonly DriverKind[] => base.byItem[item] ?? (o ? o.default : cat.byItem[item] ?? cat.default)),
    );
  }
  return plan;
}
