/**
 * The MedFund domain model: zod schemas (validation at the boundary) and the TypeScript types the
 * engines use. docs/data-model.md explains every entity and field; keep the two in step.
 *
 * Conventions: money is integer fen (`…Fen`), dates are ISO `YYYY-MM-DD`, timestamps ISO
 * `YYYY-MM-DDTHH:mm:ss` (local time of the region, no zone — as in 医保结算清单), ids are the
 * source system's ids (kept through import so ground truth and audits can be traced back).
 */
import { z } from 'zod';

// ── closed vocabularies (one array feeds the type, the zod enum, CLI choices and UI selects) ──

/** 医疗机构级别 一级/二级/三级 */
export const INSTITUTION_LEVELS = ['1', '2', '3'] as const;
export type InstitutionLevel = (typeof INSTITUTION_LEVELS)[number];

/** hospital 医院 · primary-care 基层医疗机构 · internet-hospital 互联网医院 · pharmacy 定点药店 */
export const INSTITUTION_KINDS = ['hospital', 'primary-care', 'internet-hospital', 'pharmacy'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

/** Cost-center categories of 《公立医院成本核算规范》: 临床服务类 / 医疗技术类 / 医疗辅助类 / 行政后勤类 */
export const COST_CENTER_CATEGORIES = ['clinical', 'medical-technical', 'medical-support', 'administrative'] as const;
export type CostCenterCategory = (typeof COST_CENTER_CATEGORIES)[number];

/** Insurance scheme 险种: employee 职工基本医疗保险 · resident 城乡居民基本医疗保险 */
export const SCHEMES = ['employee', 'resident'] as const;
export type Scheme = (typeof SCHEMES)[number];

/** Person type 人员类别: in-service 在职 · retired 退休 · child 少儿 · student 学生 · adult 成年居民 · elderly 老年居民 */
export const PERSON_TYPES = ['in-service', 'retired', 'child', 'student', 'adult', 'elderly'] as const;
export type PersonType = (typeof PERSON_TYPES)[number];

/** Sex as coded in 医保结算清单 / GB/T 2261.1: 1 male 男, 2 female 女 */
export const SEXES = ['1', '2'] as const;
export type Sex = (typeof SEXES)[number];

/** Encounter kind: outpatient 门诊 · inpatient 住院 · online 互联网诊疗 */
export const ENCOUNTER_KINDS = ['outpatient', 'inpatient', 'online'] as const;
export type EncounterKind = (typeof ENCOUNTER_KINDS)[number];

/**
 * Benefit type 医疗类别: general 普通 · chronic-special 门诊慢特病 · maternity 生育 · work-injury 工伤 ·
 * emergency 急诊
 */
export const BENEFIT_TYPES = ['general', 'chronic-special', 'maternity', 'work-injury', 'emergency'] as const;
export type BenefitType = (typeof BENEFIT_TYPES)[number];

/**
 * Discharge type 离院方式 (医保结算清单): 1 医嘱离院 · 2 医嘱转院 · 3 医嘱转社区/乡镇卫生院 ·
 * 4 非医嘱离院 · 5 死亡 · 9 其他
 */
export const DISCHARGE_TYPES = ['1', '2', '3', '4', '5', '9'] as const;
export type DischargeType = (typeof DISCHARGE_TYPES)[number];

/** Charge category 费用类别: drug 药品 · consumable 医用耗材 · service 诊疗项目 · facility 服务设施 */
export const CHARGE_CATEGORIES = ['drug', 'consumable', 'service', 'facility'] as const;
export type ChargeCategory = (typeof CHARGE_CATEGORIES)[number];

/** Payment class 甲乙丙类: A 甲类 (fully covered) · B 乙类 (self-pay-first part) · C 丙类 (self-paid) */
export const PAY_CLASSES = ['A', 'B', 'C'] as const;
export type PayClass = (typeof PAY_CLASSES)[number];

/**
 * Standard cost items (成本项目) of 《公立医院成本核算规范》: 人员经费, 卫生材料费, 药品费,
 * 固定资产折旧费, 无形资产摊销费, 提取医疗风险基金, 其他运行费用.
 */
export const COST_ITEMS = [
  'personnel',
  'medical-materials',
  'drugs',
  'depreciation',
  'amortisation',
  'risk-fund',
  'other-operating',
] as const;
export type CostItem = (typeof COST_ITEMS)[number];

// ── reusable field schemas ──

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');
const isoDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'expected an ISO timestamp YYYY-MM-DDTHH:mm:ss');
const isoMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');
const fen = z.number().int('money must be integer fen');
const nonNegFen = fen.nonnegative();
const id = z.string().min(1).max(64);

export const InstitutionSchema = z.object({
  id,
  name: z.string().min(1),
  level: z.enum(INSTITUTION_LEVELS),
  kind: z.enum(INSTITUTION_KINDS),
  /** 统筹区 pooling-region code (6-digit administrative division code) */
  regionCode: z.string().regex(/^\d{6}$/),
});
export type Institution = z.infer<typeof InstitutionSchema>;

export const DepartmentSchema = z.object({
  id,
  institutionId: id,
  name: z.string().min(1),
  /** 科室代码 of 医保结算清单 (e.g. A03 内科), empty for non-clinical centers */
  deptCode: z.string().default(''),
  costCategory: z.enum(COST_CENTER_CATEGORIES),
  /** parent cost center, for the cost-center hierarchy; empty at the top */
  parentId: z.string().default(''),
  /** allocation drivers that belong to the center itself */
  staffCount: z.number().int().nonnegative(),
  floorAreaM2: z.number().nonnegative(),
  beds: z.number().int().nonnegative(),
});
export type Department = z.infer<typeof DepartmentSchema>;

export const PractitionerSchema = z.object({
  id,
  institutionId: id,
  departmentId: id,
  /** professional title 职称: resident 住院医师 · attending 主治 · associate-chief 副主任 · chief 主任 */
  title: z.enum(['resident', 'attending', 'associate-chief', 'chief', 'nurse', 'technician', 'pharmacist']),
});
export type Practitioner = z.infer<typeof PractitionerSchema>;

export const InsuredPersonSchema = z.object({
  /** pseudonym: keyed HMAC of the national id number, computed at ingest (never the id number itself) */
  id,
  sex: z.enum(SEXES),
  birthDate: isoDate,
  scheme: z.enum(SCHEMES),
  personType: z.enum(PERSON_TYPES),
  regionCode: z.string().regex(/^\d{6}$/),
});
export type InsuredPerson = z.infer<typeof InsuredPersonSchema>;

export const EncounterSchema = z.object({
  id,
  institutionId: id,
  departmentId: id,
  /** pseudonymised person id (see InsuredPerson.id) */
  personId: id,
  /** attending / treating doctor 主诊医师 */
  doctorId: id,
  kind: z.enum(ENCOUNTER_KINDS),
  benefitType: z.enum(BENEFIT_TYPES),
  scheme: z.enum(SCHEMES),
  sex: z.enum(SEXES),
  /** age in whole years at admission / visit */
  ageYears: z.number().int().min(0).max(130),
  /** age in days, recorded for infants under one year (DRG newborn rules), else 0 */
  ageDays: z.number().int().min(0),
  /** birth weight in grams for newborns, else 0 */
  birthWeightGrams: z.number().int().min(0),
  admitDate: isoDate,
  /** discharge date; equals admitDate for outpatient and online visits */
  dischargeDate: isoDate,
  dischargeType: z.enum(DISCHARGE_TYPES),
  /** length of stay in days (住院天数 = discharge − admission, minimum 1 for inpatients); 0 for visits */
  losDays: z.number().int().min(0),
  /** principal first; national insurance ICD-10 edition (医保版 ICD-10) */
  diagnoses: z.array(z.string().min(1)).min(1),
  /** principal first; ICD-9-CM-3 insurance edition (医保版 ICD-9-CM-3); may be empty */
  procedures: z.array(z.string().min(1)),
});
export type Encounter = z.infer<typeof EncounterSchema>;

export const SettlementLineSchema = z.object({
  id,
  encounterId: id,
  institutionId: id,
  /** hospital local charge code 院内编码 (tier 1 of the code mapping); may be empty */
  localCode: z.string(),
  /** national insurance catalog code 国家医保编码 (tier 2) */
  itemCode: z.string().min(1),
  itemName: z.string(),
  category: z.enum(CHARGE_CATEGORIES),
  payClass: z.enum(PAY_CLASSES),
  /** quantity in the item's pricing unit; may be fractional (e.g. 0.5 支) */
  quantity: z.number().positive(),
  unitPriceFen: nonNegFen,
  /** quantity × unitPriceFen rounded half-up to the fen */
  amountFen: nonNegFen,
  /** ordering doctor 开单医师 */
  doctorId: id,
  /** ordering department 开单科室 */
  departmentId: id,
  chargedAt: isoDateTime,
});
export type SettlementLine = z.infer<typeof SettlementLineSchema>;

export const ItemRestrictionsSchema = z.object({
  /** only for this sex (限性别) */
  sex: z.enum(SEXES).optional(),
  /** age limits in years, inclusive (限年龄 / 限儿童) */
  minAgeYears: z.number().int().min(0).optional(),
  maxAgeYears: z.number().int().min(0).optional(),
  /** lowest institution level allowed (限医疗机构级别) */
  minInstitutionLevel: z.enum(INSTITUTION_LEVELS).optional(),
  /** 限定支付范围: ICD-10 code prefixes that justify the item */
  indicationPrefixes: z.array(z.string().min(1)).optional(),
  /** restricted to these benefit types (e.g. maternity, work-injury only) */
  benefitTypes: z.array(z.enum(BENEFIT_TYPES)).optional(),
  /** maximum quantity per day (超限定频次) */
  maxQuantityPerDay: z.number().positive().optional(),
});
export type ItemRestrictions = z.infer<typeof ItemRestrictionsSchema>;

export const CatalogItemSchema = z.object({
  /** national insurance code (药品/耗材/医疗服务项目编码) */
  code: z.string().min(1),
  name: z.string().min(1),
  category: z.enum(CHARGE_CATEGORIES),
  payClass: z.enum(PAY_CLASSES),
  /** pricing unit 计价单位, e.g. 片, 支, 次, 日 */
  unit: z.string(),
  /** maximum unit price 限价 in fen; 0 = no cap */
  priceCapFen: nonNegFen,
  /** Class 乙 self-pay-first ratio 先行自付比例 in per-mille (e.g. 100 = 10%); 0 for A/C */
  selfPayFirstPermille: z.number().int().min(0).max(1000),
  restrictions: ItemRestrictionsSchema,
  effectiveFrom: isoDate,
  effectiveTo: isoDate,
});
export type CatalogItem = z.infer<typeof CatalogItemSchema>;

/** Tier-1 → tier-2 mapping: a hospital's local charge code to the national insurance code. */
export const CodeMappingSchema = z.object({
  institutionId: id,
  localCode: z.string().min(1),
  nationalCode: z.string().min(1),
});
export type CodeMapping = z.infer<typeof CodeMappingSchema>;

/** One month of one cost item in one cost center (科室成本月报). */
export const DepartmentCostSchema = z.object({
  institutionId: id,
  departmentId: id,
  month: isoMonth,
  costItem: z.enum(COST_ITEMS),
  amountFen: nonNegFen,
  /** direct cost 直接成本 (true) or already-apportioned indirect cost 间接成本 (false) */
  direct: z.boolean(),
});
export type DepartmentCost = z.infer<typeof DepartmentCostSchema>;

/** The injected-irregularity types of the synthetic generator's ground truth (labels.jsonl). */
export const IRREGULARITY_TYPES = [
  'split-admission', // 分解住院
  'phantom-stay', // 挂床住院
  'drug-substitution', // 串换药品
  'duplicate-charge', // 重复收费
  'over-price-cap', // 超标准收费
  'over-frequency', // 超量/超频
  'sex-restricted', // 限性别
  'age-restricted', // 限年龄
  'upcoding', // 高编高套
  'over-examination', // 过度检查
  'doctor-high-frequency', // 医师高频开药
] as const;
export type IrregularityType = (typeof IRREGULARITY_TYPES)[number];

export const LabelSchema = z.object({
  type: z.enum(IRREGULARITY_TYPES),
  encounterIds: z.array(z.string()),
  lineIds: z.array(z.string()),
});
export type Label = z.infer<typeof LabelSchema>;
