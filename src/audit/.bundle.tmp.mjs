// src/domain/model.ts
import { z } from "zod";
var INSTITUTION_LEVELS = ["1", "2", "3"];
var INSTITUTION_KINDS = ["hospital", "primary-care", "internet-hospital", "pharmacy"];
var COST_CENTER_CATEGORIES = ["clinical", "medical-technical", "medical-support", "administrative"];
var SCHEMES = ["employee", "resident"];
var PERSON_TYPES = ["in-service", "retired", "child", "student", "adult", "elderly"];
var SEXES = ["1", "2"];
var ENCOUNTER_KINDS = ["outpatient", "inpatient", "online"];
var BENEFIT_TYPES = ["general", "chronic-special", "maternity", "work-injury", "emergency"];
var DISCHARGE_TYPES = ["1", "2", "3", "4", "5", "9"];
var CHARGE_CATEGORIES = ["drug", "consumable", "service", "facility"];
var PAY_CLASSES = ["A", "B", "C"];
var COST_ITEMS = [
  "personnel",
  "medical-materials",
  "drugs",
  "depreciation",
  "amortisation",
  "risk-fund",
  "other-operating"
];
var isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected an ISO date YYYY-MM-DD");
var isoDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, "expected an ISO timestamp YYYY-MM-DDTHH:mm:ss");
var isoMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected a month YYYY-MM");
var fen = z.number().int("money must be integer fen");
var nonNegFen = fen.nonnegative();
var id = z.string().min(1).max(64);
var InstitutionSchema = z.object({
  id,
  name: z.string().min(1),
  level: z.enum(INSTITUTION_LEVELS),
  kind: z.enum(INSTITUTION_KINDS),
  /** 统筹区 pooling-region code (6-digit administrative division code) */
  regionCode: z.string().regex(/^\d{6}$/)
});
var DepartmentSchema = z.object({
  id,
  institutionId: id,
  name: z.string().min(1),
  /** 科室代码 of 医保结算清单 (e.g. A03 内科), empty for non-clinical centers */
  deptCode: z.string().default(""),
  costCategory: z.enum(COST_CENTER_CATEGORIES),
  /** parent cost center, for the cost-center hierarchy; empty at the top */
  parentId: z.string().default(""),
  /** allocation drivers that belong to the center itself */
  staffCount: z.number().int().nonnegative(),
  floorAreaM2: z.number().nonnegative(),
  beds: z.number().int().nonnegative()
});
var PractitionerSchema = z.object({
  id,
  institutionId: id,
  departmentId: id,
  /** professional title 职称: resident 住院医师 · attending 主治 · associate-chief 副主任 · chief 主任 */
  title: z.enum(["resident", "attending", "associate-chief", "chief", "nurse", "technician", "pharmacist"])
});
var InsuredPersonSchema = z.object({
  /** pseudonym: keyed HMAC of the national id number, computed at ingest (never the id number itself) */
  id,
  sex: z.enum(SEXES),
  birthDate: isoDate,
  scheme: z.enum(SCHEMES),
  personType: z.enum(PERSON_TYPES),
  regionCode: z.string().regex(/^\d{6}$/)
});
var EncounterSchema = z.object({
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
  procedures: z.array(z.string().min(1))
});
var SettlementLineSchema = z.object({
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
  chargedAt: isoDateTime
});
var ItemRestrictionsSchema = z.object({
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
  maxQuantityPerDay: z.number().positive().optional()
});
var CatalogItemSchema = z.object({
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
  selfPayFirstPermille: z.number().int().min(0).max(1e3),
  restrictions: ItemRestrictionsSchema,
  effectiveFrom: isoDate,
  effectiveTo: isoDate
});
var CodeMappingSchema = z.object({
  institutionId: id,
  localCode: z.string().min(1),
  nationalCode: z.string().min(1)
});
var DepartmentCostSchema = z.object({
  institutionId: id,
  departmentId: id,
  month: isoMonth,
  costItem: z.enum(COST_ITEMS),
  amountFen: nonNegFen,
  /** direct cost 直接成本 (true) or already-apportioned indirect cost 间接成本 (false) */
  direct: z.boolean()
});
var IRREGULARITY_TYPES = [
  "split-admission",
  // 分解住院
  "phantom-stay",
  // 挂床住院
  "drug-substitution",
  // 串换药品
  "duplicate-charge",
  // 重复收费
  "over-price-cap",
  // 超标准收费
  "over-frequency",
  // 超量/超频
  "sex-restricted",
  // 限性别
  "age-restricted",
  // 限年龄
  "upcoding",
  // 高编高套
  "over-examination",
  // 过度检查
  "doctor-high-frequency"
  // 医师高频开药
];
var LabelSchema = z.object({
  type: z.enum(IRREGULARITY_TYPES),
  encounterIds: z.array(z.string()),
  lineIds: z.array(z.string())
});

// src/domain/money.ts
var EPSILON = 1e-9;
function roundFen(value, mode = "half-up") {
  if (!Number.isFinite(value)) throw new RangeError(`roundFen: not a finite number: ${value}`);
  const sign = value < 0 ? -1 : 1;
  const abs = Math.abs(value);
  switch (mode) {
    case "half-up":
      return sign * Math.floor(abs + 0.5 + EPSILON) || 0;
    case "down":
      return sign * Math.floor(abs + EPSILON) || 0;
    case "bankers": {
      const floor = Math.floor(abs);
      const diff = abs - floor;
      let r;
      if (Math.abs(diff - 0.5) < EPSILON) r = floor % 2 === 0 ? floor : floor + 1;
      else r = diff > 0.5 ? floor + 1 : floor;
      return sign * r || 0;
    }
  }
}
function lineAmountFen(quantity, unitPriceFen) {
  return roundFen(quantity * unitPriceFen, "half-up");
}

// src/domain/issue.ts
function issue(code, path, message, severity = "error") {
  return { severity, code, path, message };
}
var MedfundError = class extends Error {
  issues;
  constructor(issues, options) {
    const list = typeof issues === "string" ? [issue("error", "", issues)] : issues;
    super(list.map((i) => i.path ? `${i.path}: ${i.message}` : i.message).join("; "), options);
    this.name = "MedfundError";
    this.issues = list;
  }
};

// src/audit/types.ts
import { z as z2 } from "zod";
var AUDIT_MODES = ["pre", "in", "post"];
var AUDIT_ACTIONS = ["remind", "block", "refer", "deduct"];
var ACTION_ZH = { remind: "\u63D0\u9192", block: "\u62E6\u622A", refer: "\u8F6C\u4EBA\u5DE5", deduct: "\u6263\u6B3E" };
var RESULT_TYPES = ["definite", "suspicious"];
var RESULT_TYPE_ZH = { definite: "\u660E\u786E", suspicious: "\u53EF\u7591" };
var RULE_CATEGORIES = ["policy", "management", "medical", "behaviour"];
var RULE_KINDS = [
  // line-level item restrictions (知识库 item facts)
  "item-sex",
  // 限性别
  "item-age",
  // 限年龄/儿童/新生儿
  "item-institution-level",
  // 限医疗机构级别
  "item-indication",
  // 限定支付范围/限适应症
  "item-benefit-type",
  // 限工伤/生育
  "item-visit-type",
  // 限就医方式
  "item-online-scope",
  // 超互联网医院药品支付范围
  "item-not-payable",
  // 中药饮片不予支付
  "item-price-cap",
  // 超标准收费
  "item-daily-quantity",
  // 超限定频次/数量
  "item-stay-quantity",
  // 按日计价项目超住院天数
  "item-course-days",
  // 限支付疗程
  "item-period-frequency",
  // 周期超频次
  "item-pair",
  // 重复收费 / 互斥 / 药品相互作用 / 配伍禁忌
  "item-companion",
  // 药品/耗材与医疗服务项目不符
  "surgery-discount",
  // 手术项目未按规定折价收费
  "drug-substitution",
  // 串换药品
  "drug-atc-age",
  // 药品儿童禁用 / 老年人用药安全
  "drug-atc-diagnosis",
  // 药品禁忌症 / 妊娠期用药
  "drug-duplication",
  // 重复开药
  "drug-kinds",
  // 药品种类超标
  "drug-oversupply",
  // 超量开药 / 限最大开药量
  "drug-second-line",
  // 药品限二线使用
  "antibiotic-without-indication",
  // 无指征使用抗菌药物
  "antibiotic-tier",
  // 抗菌药物分级使用管理
  "antibiotic-perioperative",
  // 围手术期抗菌药物预防性应用
  "herb-prescription",
  // 中药饮片超大处方 / 超量
  "exam-indication",
  // 过度检查 / 无指征检验检查
  "service-contraindication",
  // 医疗服务项目禁忌症
  "diagnosis-evidence",
  // 高编高套 / 疾病诊断编码异常
  "diagnosis-sex",
  // 诊断与患者性别不符
  "diagnosis-age",
  // 诊断与患者年龄不符
  "procedure-sex",
  // 手术操作编码与性别不符
  "procedure-code",
  // 手术操作编码异常
  "diagnosis-procedure",
  // 诊断编码与手术操作编码不符
  "settlement-list",
  // 医保结算清单信息异常
  "line-data",
  // 结算明细信息异常
  "charge-outside-stay",
  // 计费日期与住院时间不符
  "phantom-stay",
  // 挂床住院
  "low-standard-admission",
  // 低标准入院
  "cost-share",
  // 药费/检查/耗材/治疗/CT/MRI 占比
  "split-admission",
  // 分解住院
  "readmission",
  // 非计划再入院
  "frequent-visits",
  // 频繁门诊/购药/住院, 高频就诊
  "doctor-high-frequency",
  // 医师高频开药
  "peer-cost-outlier",
  // 单次费用超同组均值N倍
  "cost-shifting"
  // 转嫁费用
];
var isoDate2 = z2.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected YYYY-MM-DD");
var RuleSchema = z2.object({
  id: z2.string().regex(/^[A-Z0-9-]+$/, "rule ids are upper-case letters, digits and dashes"),
  version: z2.number().int().positive(),
  nameZh: z2.string().min(1),
  nameEn: z2.string().min(1),
  kind: z2.enum(RULE_KINDS),
  category: z2.enum(RULE_CATEGORIES),
  scope: z2.object({
    encounterKinds: z2.array(z2.enum(ENCOUNTER_KINDS)).min(1),
    institutionLevels: z2.array(z2.enum(INSTITUTION_LEVELS)).min(1),
    schemes: z2.array(z2.enum(SCHEMES)).min(1)
  }),
  modes: z2.array(z2.enum(AUDIT_MODES)).min(1),
  action: z2.enum(AUDIT_ACTIONS),
  resultType: z2.enum(RESULT_TYPES),
  /** 时间区间, e.g. 当次住院 / 单日 / 自然年 */
  timeWindow: z2.string().min(1),
  /** 应用场景: 住院 / 门（急）诊 / 购药 / 互联网诊疗 */
  scenarios: z2.array(z2.string()).min(1),
  /** 监管环节 事前/事中/事后 as published; modes is what this engine runs */
  stage: z2.array(z2.string()).min(1),
  /** 2025-edition class numbers (1–88) this rule implements */
  nationalClasses: z2.array(z2.number().int().min(1).max(88)),
  /** generator irregularity type this rule detects (for --evaluate) */
  irregularityType: z2.enum(IRREGULARITY_TYPES).optional(),
  /** knowledge source: `nhsa:<file slug>` · `catalog` · `medfund:<table>` · `none` */
  knowledge: z2.array(z2.string()).min(1),
  params: z2.record(z2.string(), z2.unknown()),
  /** Chinese message template; `{name}` placeholders are filled from the violation's evidence */
  evidenceTemplate: z2.string().min(1),
  effectiveFrom: isoDate2,
  effectiveTo: isoDate2,
  source: z2.string().min(1)
});
var RuleLibrarySchema = z2.object({
  library: z2.string().min(1),
  version: z2.string().min(1),
  effectiveFrom: isoDate2,
  source: z2.string().min(1),
  rules: z2.array(RuleSchema).min(1)
});
var NhsaRowSchema = z2.object({
  id: z2.string().min(1),
  itemName: z2.string(),
  codes: z2.array(z2.string().min(1)),
  params: z2.record(z2.string(), z2.unknown()),
  basisText: z2.string().nullable(),
  publishedAt: z2.string(),
  supersededBy: z2.string().nullable()
});
var NhsaKnowledgeFileSchema = z2.object({
  ruleClassZh: z2.string(),
  edition2025Seq: z2.number().int(),
  itemKind: z2.enum(["drug", "service", "herb"]),
  rows: z2.array(NhsaRowSchema)
});
var NationalClassSchema = z2.object({
  seq: z2.number().int().min(1).max(88),
  nameZh: z2.string(),
  nameEn: z2.string(),
  tier1Zh: z2.string(),
  code1_0: z2.string().nullable(),
  knowledgeFile: z2.string().nullable()
});
var DiagnosisEvidenceSchema = z2.object({
  version: z2.string(),
  effectiveFrom: isoDate2,
  source: z2.string(),
  entries: z2.array(
    z2.object({
      diagnosisPrefix: z2.string().min(1),
      nameZh: z2.string(),
      evidenceItemCodes: z2.array(z2.string()),
      evidenceNameKeywords: z2.array(z2.string())
    })
  )
});
var ExamIndicationsSchema = z2.object({
  version: z2.string(),
  effectiveFrom: isoDate2,
  source: z2.string(),
  entries: z2.array(
    z2.object({ itemCode: z2.string().min(1), nameZh: z2.string(), indicationPrefixes: z2.array(z2.string().min(1)).min(1) })
  )
});
var ClinicalKnowledgeSchema = z2.object({
  version: z2.string(),
  effectiveFrom: isoDate2,
  source: z2.string(),
  /** ATC prefixes of systemic antibacterials (J01) etc. */
  antibacterialAtc: z2.array(z2.string()),
  /** ICD-10 prefixes that indicate an infection */
  infectionDiagnosisPrefixes: z2.array(z2.string()),
  /** 特殊使用级 antibacterials and the titles allowed to prescribe them */
  restrictedAntibacterials: z2.array(z2.object({ atcPrefix: z2.string(), nameZh: z2.string() })),
  restrictedAntibacterialTitles: z2.array(z2.string()),
  atcAgeLimits: z2.array(
    z2.object({ table: z2.string(), atcPrefix: z2.string(), nameZh: z2.string(), minAgeYears: z2.number().int().optional(), maxAgeYears: z2.number().int().optional(), reason: z2.string() })
  ),
  atcDiagnosisContraindications: z2.array(
    z2.object({ table: z2.string(), atcPrefix: z2.string(), diagnosisPrefixes: z2.array(z2.string()).min(1), nameZh: z2.string(), reason: z2.string() })
  ),
  atcInteractions: z2.array(z2.object({ a: z2.string(), b: z2.string(), nameZh: z2.string(), reason: z2.string() })),
  diagnosisSex: z2.array(z2.object({ prefix: z2.string(), sex: z2.enum(["1", "2"]), nameZh: z2.string() })),
  diagnosisAge: z2.array(z2.object({ prefix: z2.string(), minAgeYears: z2.number().int().optional(), maxAgeYears: z2.number().int().optional(), nameZh: z2.string() })),
  procedureSex: z2.array(z2.object({ prefix: z2.string(), sex: z2.enum(["1", "2"]), nameZh: z2.string() })),
  procedureDiagnosis: z2.array(z2.object({ procedurePrefix: z2.string(), diagnosisPrefixes: z2.array(z2.string()).min(1), nameZh: z2.string() })),
  serviceContraindications: z2.array(z2.object({ nameKeyword: z2.string(), diagnosisPrefixes: z2.array(z2.string()).min(1), reason: z2.string() })),
  companions: z2.array(z2.object({ table: z2.string(), nameKeyword: z2.string(), requiresAnyNameKeyword: z2.array(z2.string()).min(1), reason: z2.string() })),
  herbIncompatibilities: z2.array(z2.object({ a: z2.array(z2.string()).min(1), b: z2.array(z2.string()).min(1), nameZh: z2.string() })),
  indicationKeywords: z2.array(z2.object({ keyword: z2.string(), diagnosisPrefixes: z2.array(z2.string()).min(1) }))
});

// src/audit/compile.ts
var BIT = {
  drug: 1,
  consumable: 2,
  service: 4,
  facility: 8,
  exam: 16,
  // 检查检验
  ct: 32,
  mri: 64,
  treatment: 128,
  // 治疗
  surgery: 256,
  // 手术
  antibacterial: 512,
  // 抗菌药物
  herb: 1024
  // 中药饮片
};
var MODE_BIT = { pre: 1, in: 2, post: 4 };
var modeBit = (m) => MODE_BIT[m];
var kindBit = (k) => 1 << ENCOUNTER_KINDS.indexOf(k);
var levelBit = (l) => 1 << INSTITUTION_LEVELS.indexOf(l);
var schemeBit = (s2) => 1 << SCHEMES.indexOf(s2);
var EXAM_CODE_PREFIXES = ["0021", "0022", "0023", "0025", "0026", "0027"];
var EXAM_NAME = /检查|检验|测定|CT|磁共振|MRI|MR|超声|彩超|B超|X线|摄影|造影|心电图|培养|镜检|病理|显象|显像|扫描|平扫|增强/;
function classify(code, name, category, antibacterialAtc) {
  let bits = 0;
  let atc2 = "";
  const cat = category >= 0 ? CHARGE_CATEGORIES[category] : void 0;
  if (cat === "drug") bits |= BIT.drug;
  else if (cat === "consumable") bits |= BIT.consumable;
  else if (cat === "service") bits |= BIT.service;
  else if (cat === "facility") bits |= BIT.facility;
  if (code.length === 23 && code[0] === "X") {
    atc2 = code.slice(1, 6);
    if (antibacterialAtc.some((p) => atc2.startsWith(p))) bits |= BIT.antibacterial;
  }
  if (code.length === 10 && code[0] === "T") bits |= BIT.herb | BIT.drug;
  if (cat === "service" || cat === void 0 && /^\d{15}$/.test(code)) {
    const national2 = /^\d{15}$/.test(code);
    const exam = national2 ? EXAM_CODE_PREFIXES.some((p) => code.startsWith(p)) : EXAM_NAME.test(name);
    if (exam) {
      bits |= BIT.exam;
      if (/CT|计算机体层/.test(name)) bits |= BIT.ct;
      if (/磁共振|MRI|MR/.test(name)) bits |= BIT.mri;
    } else bits |= BIT.treatment;
    if (national2 && code.startsWith("0033") || !national2 && /术$|术\(|术（/.test(name)) bits |= BIT.surgery;
  }
  return { atc: atc2, bits };
}
function ruleActiveAt(def, asOf) {
  return def.effectiveFrom <= asOf && asOf <= def.effectiveTo;
}
function nhsaSlug(k) {
  return k.startsWith("nhsa:") ? k.slice(5) : void 0;
}
function compileRules(library2, opts) {
  const region = opts.region ?? { catalog: [], codeMappings: [] };
  const clinical = library2.clinical;
  const items = [];
  const codeIndex = /* @__PURE__ */ new Map();
  const addItem = (code, name, category, cat) => {
    const have = codeIndex.get(code);
    if (have !== void 0) return have;
    const { atc: atc2, bits } = classify(code, name, category, clinical.antibacterialAtc);
    const idx = items.length;
    items.push({ code, name, category, priceCapFen: cat?.priceCapFen ?? 0, unit: cat?.unit ?? "", atc: atc2, bits, inCatalog: cat !== void 0 });
    codeIndex.set(code, idx);
    return idx;
  };
  const catalogByCode = /* @__PURE__ */ new Map();
  for (const c of region.catalog) {
    const prev = catalogByCode.get(c.code);
    if (prev && !(c.effectiveFrom <= opts.asOf && opts.asOf <= c.effectiveTo)) continue;
    catalogByCode.set(c.code, c);
    addItem(c.code, c.name, CHARGE_CATEGORIES.indexOf(c.category), c);
  }
  let knowledgePoints = 0;
  for (const file of Object.values(library2.nhsa)) {
    knowledgePoints += file.rows.length;
    const cat = CHARGE_CATEGORIES.indexOf(file.itemKind === "service" ? "service" : "drug");
    for (const row of file.rows) for (const code of row.codes) addItem(code, row.itemName, cat);
  }
  for (const e of library2.examIndications?.entries ?? []) addItem(e.itemCode, e.nameZh, CHARGE_CATEGORIES.indexOf("service"));
  const hits = new Array(items.length);
  const addHit = (itemIdx2, r, v) => {
    const list = hits[itemIdx2] ??= [];
    if (r.kind !== "item-pair" && r.kind !== "item-companion" && list.some((h) => h.r === r)) return;
    list.push({ r, v });
  };
  const byName = (keyword, filter) => {
    const out = [];
    for (let i = 0; i < items.length; i++) if (items[i].name.includes(keyword) && (!filter || filter(items[i]))) out.push(i);
    return out;
  };
  const bad = (def, path, msg) => {
    throw new MedfundError([issue("bad-rule", `rules[${def.id}].${path}`, msg)]);
  };
  const catFilter = (def) => {
    const cats2 = def.params["categories"]?.map((c) => CHARGE_CATEGORIES.indexOf(c));
    return (it) => !cats2 || cats2.includes(it.category);
  };
  const nhsaRows = (def) => {
    const out = [];
    for (const k of def.knowledge) {
      const slug = nhsaSlug(k);
      if (!slug) continue;
      const f = library2.nhsa[slug];
      if (!f) bad(def, "knowledge", `NHSA knowledge file "${slug}" is not loaded`);
      out.push({ slug, rows: f.rows });
    }
    return out;
  };
  const usesCatalog = (def) => def.knowledge.includes("catalog");
  const rules = [];
  const byKind = /* @__PURE__ */ new Map();
  const populationAges = (def) => def.params["populationAges"] ?? {};
  for (const def of library2.rules.rules) {
    if (!ruleActiveAt(def, opts.asOf)) continue;
    const r = {
      idx: rules.length,
      def,
      id: def.id,
      version: def.version,
      kind: def.kind,
      kc: RULE_KINDS.indexOf(def.kind),
      type: def.irregularityType,
      action: def.action,
      resultType: def.resultType,
      nationalClasses: [...def.nationalClasses],
      kindMask: def.scope.encounterKinds.reduce((m, k) => m | kindBit(k), 0),
      levelMask: def.scope.institutionLevels.reduce((m, l) => m | levelBit(l), 0),
      schemeMask: def.scope.schemes.reduce((m, s2) => m | schemeBit(s2), 0),
      modeMask: def.modes.reduce((m, x) => m | MODE_BIT[x], 0),
      p: { ...def.params }
    };
    rules.push(r);
    const list = byKind.get(def.kind) ?? [];
    list.push(r);
    byKind.set(def.kind, list);
    const filter = catFilter(def);
    const eachCatalog = (fn) => {
      if (!usesCatalog(def)) return;
      for (const c of catalogByCode.values()) {
        const idx = codeIndex.get(c.code);
        if (filter(items[idx])) fn(idx, c);
      }
    };
    const eachNhsa = (fn) => {
      for (const { rows } of nhsaRows(def)) for (const row of rows) for (const code of row.codes) fn(codeIndex.get(code), row.params, row.id, row);
    };
    switch (def.kind) {
      case "item-sex":
        eachCatalog((i, c) => c.restrictions.sex && addHit(i, r, { sex: c.restrictions.sex, src: "catalog" }));
        eachNhsa((i, p, id2) => {
          const s2 = p["sex"];
          if (s2 !== "M" && s2 !== "F") bad(def, "knowledge", `knowledge point ${id2}: sex "${String(s2)}" is not M/F`);
          addHit(i, r, { sex: s2 === "M" ? "1" : "2", src: id2 });
        });
        break;
      case "item-age": {
        const ages = populationAges(def);
        const atMost = r.p["catalogMaxAgeAtMost"];
        eachCatalog((i, c) => {
          const { minAgeYears, maxAgeYears } = c.restrictions;
          if (atMost !== void 0 && !(maxAgeYears !== void 0 && maxAgeYears <= atMost)) return;
          if (minAgeYears !== void 0 || maxAgeYears !== void 0) addHit(i, r, { minAgeYears, maxAgeYears, src: "catalog" });
        });
        eachNhsa((i, p, id2) => {
          const pop = String(p["population"]);
          const a = ages[pop];
          if (!a) bad(def, "params.populationAges", `no age bounds for population "${pop}" (knowledge point ${id2})`);
          addHit(i, r, { ...a, population: pop, src: id2 });
        });
        break;
      }
      case "item-institution-level":
        eachCatalog((i, c) => c.restrictions.minInstitutionLevel && addHit(i, r, { minLevel: Number(c.restrictions.minInstitutionLevel), src: "catalog" }));
        eachNhsa((i, p, id2) => {
          let min = p["minHospitalLevel"];
          const any = p["minHospitalLevelAnyOf"];
          if (any) min = Math.min(...any.map((a) => a.minLevel));
          if (!min) bad(def, "knowledge", `knowledge point ${id2} has no minimum level`);
          addHit(i, r, { minLevel: min, src: id2 });
        });
        break;
      case "item-indication": {
        eachCatalog((i, c) => c.restrictions.indicationPrefixes?.length && addHit(i, r, { prefixes: c.restrictions.indicationPrefixes, src: "catalog" }));
        const field = String(r.p["textField"] ?? "indicationText");
        eachNhsa((i, p, id2, row) => {
          const text = String((field === "basisText" ? row.basisText : p[field]) ?? "");
          const prefixes = /* @__PURE__ */ new Set();
          for (const k of clinical.indicationKeywords) if (text.includes(k.keyword)) k.diagnosisPrefixes.forEach((x) => prefixes.add(x));
          if (prefixes.size > 0) addHit(i, r, { prefixes: [...prefixes], src: id2 });
        });
        break;
      }
      case "item-benefit-type":
        eachCatalog((i, c) => c.restrictions.benefitTypes?.length && addHit(i, r, { benefitTypes: c.restrictions.benefitTypes, src: "catalog" }));
        eachNhsa((i, p, id2) => addHit(i, r, { benefitTypes: [String(p["insurance"])], src: id2 }));
        break;
      case "item-visit-type": {
        eachNhsa((i, p, id2) => addHit(i, r, { visitTypes: p["visitTypes"], src: id2 }));
        const byNameMap = r.p["nameVisitTypes"] ?? {};
        for (const [kw, vt] of Object.entries(byNameMap)) for (const i of byName(kw, filter)) addHit(i, r, { visitTypes: vt, src: `name:${kw}` });
        break;
      }
      case "item-online-scope":
        eachNhsa((i, _p, id2) => addHit(i, r, { src: id2 }));
        break;
      case "item-not-payable":
        eachNhsa((i, p, id2) => addHit(i, r, { mode: p["notPayable"], src: id2 }));
        break;
      case "item-price-cap":
        eachCatalog((i, c) => c.priceCapFen > 0 && addHit(i, r, { capFen: c.priceCapFen }));
        break;
      case "item-daily-quantity":
        eachCatalog((i, c) => c.restrictions.maxQuantityPerDay !== void 0 && addHit(i, r, { max: c.restrictions.maxQuantityPerDay, src: "catalog" }));
        eachNhsa((i, p, id2) => {
          const unit = String(p["pricingUnit"] ?? "");
          addHit(i, r, { max: Number(p["maxQuantity"]), unit, src: id2 });
        });
        break;
      case "item-stay-quantity": {
        const units = r.p["perDayUnits"] ?? ["\u65E5", "\u5929", "\u5E8A\u65E5"];
        eachCatalog((i, c) => units.includes(c.unit) && addHit(i, r, { unit: c.unit, src: "catalog" }));
        eachNhsa((i, p, id2) => units.includes(String(p["pricingUnit"])) && !hits[i]?.some((h) => h.r === r) && addHit(i, r, { unit: p["pricingUnit"], src: id2 }));
        break;
      }
      case "item-course-days":
        eachNhsa((i, p, id2) => {
          const maxDays = p["maxDays"] !== void 0 ? Number(p["maxDays"]) : p["maxMonths"] !== void 0 ? Number(p["maxMonths"]) * 30 : p["maxYears"] !== void 0 ? Number(p["maxYears"]) * 365 : NaN;
          if (!Number.isFinite(maxDays)) bad(def, "knowledge", `knowledge point ${id2} has no course length`);
          addHit(i, r, { maxDays, counting: p["counting"] ?? "distinct-days", src: id2 });
        });
        break;
      case "item-period-frequency":
        eachNhsa((i, p, id2) => addHit(i, r, { maxTimes: Number(p["maxTimes"]), periodDays: Number(p["periodDays"]), src: id2 }));
        break;
      case "item-pair": {
        const pairs = [];
        eachNhsa((i, p, id2, row) => {
          const bCode = String(p["pairedItemCode"]);
          const b = codeIndex.get(bCode) ?? addItem(bCode, String(p["pairedItemName"] ?? ""), CHARGE_CATEGORIES.indexOf("service"));
          pairs.push({ a: /* @__PURE__ */ new Set([i]), b: /* @__PURE__ */ new Set([b]), window: String(p["window"]), src: id2, nameZh: `${row.itemName}/${String(p["pairedItemName"])}` });
        });
        const table = r.p["table"];
        if (table === "atc-interactions") {
          for (const x of clinical.atcInteractions) {
            const a = /* @__PURE__ */ new Set(), b = /* @__PURE__ */ new Set();
            items.forEach((it, i) => {
              if (!it.atc) return;
              if (it.atc.startsWith(x.a)) a.add(i);
              if (it.atc.startsWith(x.b)) b.add(i);
            });
            if (a.size && b.size) pairs.push({ a, b, window: String(r.p["window"] ?? "same-visit"), src: `clinical:${x.a}+${x.b}`, nameZh: x.nameZh });
          }
        } else if (table === "herb-incompatibilities") {
          for (const x of clinical.herbIncompatibilities) {
            const a = /* @__PURE__ */ new Set(), b = /* @__PURE__ */ new Set();
            items.forEach((it, i) => {
              if (!(it.bits & BIT.herb)) return;
              if (x.a.some((k) => it.name.includes(k))) a.add(i);
              if (x.b.some((k) => it.name.includes(k))) b.add(i);
            });
            if (a.size && b.size) pairs.push({ a, b, window: String(r.p["window"] ?? "same-day"), src: `clinical:${x.nameZh}`, nameZh: x.nameZh });
          }
        }
        pairs.forEach((pr, k) => {
          for (const i of pr.a) addHit(i, r, { pair: k, role: "a" });
          for (const i of pr.b) addHit(i, r, { pair: k, role: "b" });
        });
        r.p["pairs"] = pairs.map((x) => ({ window: x.window, src: x.src, nameZh: x.nameZh }));
        break;
      }
      case "item-companion": {
        const table = String(r.p["table"]);
        const companions = [];
        for (const c of clinical.companions.filter((x) => x.table === table)) {
          const k = companions.length;
          companions.push({ need: c.requiresAnyNameKeyword, reason: c.reason });
          for (const i of byName(c.nameKeyword, filter)) addHit(i, r, { companion: k });
        }
        r.p["companions"] = companions;
        break;
      }
      case "surgery-discount":
        eachNhsa((i, p, id2) => addHit(i, r, { group: String(p["surgeryGroup"]), src: id2 }));
        break;
      case "drug-atc-age": {
        const table = String(r.p["table"]);
        for (const x of clinical.atcAgeLimits.filter((a) => a.table === table))
          items.forEach((it, i) => it.atc.startsWith(x.atcPrefix) && it.atc !== "" && addHit(i, r, { minAgeYears: x.minAgeYears, maxAgeYears: x.maxAgeYears, reason: x.reason, nameZh: x.nameZh }));
        break;
      }
      case "drug-atc-diagnosis": {
        const table = String(r.p["table"]);
        for (const x of clinical.atcDiagnosisContraindications.filter((a) => a.table === table))
          items.forEach((it, i) => it.atc !== "" && it.atc.startsWith(x.atcPrefix) && addHit(i, r, { prefixes: x.diagnosisPrefixes, reason: x.reason, nameZh: x.nameZh }));
        break;
      }
      case "antibiotic-tier":
        for (const x of clinical.restrictedAntibacterials) items.forEach((it, i) => it.atc !== "" && it.atc.startsWith(x.atcPrefix) && addHit(i, r, { nameZh: x.nameZh }));
        r.p["allowedTitles"] = clinical.restrictedAntibacterialTitles;
        break;
      case "drug-second-line":
        eachNhsa((i, _p, id2) => addHit(i, r, { src: id2 }));
        break;
      case "drug-oversupply":
        eachCatalog((i, c) => c.restrictions.maxQuantityPerDay !== void 0 && addHit(i, r, { maxPerDay: c.restrictions.maxQuantityPerDay }));
        break;
      case "exam-indication":
        for (const e of library2.examIndications?.entries ?? []) addHit(codeIndex.get(e.itemCode), r, { prefixes: e.indicationPrefixes, nameZh: e.nameZh });
        break;
      case "service-contraindication":
        for (const x of clinical.serviceContraindications) for (const i of byName(x.nameKeyword, (it) => !!(it.bits & BIT.service))) addHit(i, r, { prefixes: x.diagnosisPrefixes, reason: x.reason });
        break;
      case "diagnosis-evidence": {
        const entries = library2.diagnosisEvidence?.entries ?? [];
        r.p["entries"] = entries.map((e) => ({ prefix: e.diagnosisPrefix, nameZh: e.nameZh, codes: new Set(e.evidenceItemCodes), keywords: e.evidenceNameKeywords }));
        break;
      }
      case "diagnosis-sex":
        r.p["table"] = clinical.diagnosisSex;
        break;
      case "diagnosis-age":
        r.p["table"] = clinical.diagnosisAge;
        break;
      case "procedure-sex":
        r.p["table"] = clinical.procedureSex;
        break;
      case "diagnosis-procedure":
        r.p["table"] = clinical.procedureDiagnosis;
        break;
      default:
        break;
    }
  }
  const localMap = /* @__PURE__ */ new Map();
  for (const m of region.codeMappings) localMap.set(`${m.institutionId}${m.localCode}`, m.nationalCode);
  return Object.freeze({
    libraryVersion: library2.rules.version,
    asOf: opts.asOf,
    rules,
    items,
    codeIndex,
    itemHits: hits,
    localMap,
    titles: region.practitionerTitles ?? /* @__PURE__ */ new Map(),
    nationalClasses: library2.nationalClasses,
    knowledgePoints,
    byKind,
    infectionPrefixes: clinical.infectionDiagnosisPrefixes
  });
}

// src/audit/columns.ts
var dayCache = /* @__PURE__ */ new Map();
function dayNumber(iso) {
  const key = iso.length === 10 ? iso : iso.slice(0, 10);
  let d = dayCache.get(key);
  if (d === void 0) {
    d = Math.floor(Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, Number(key.slice(8, 10))) / 864e5);
    if (!Number.isFinite(d)) throw new RangeError(`not an ISO date: "${iso}"`);
    if (dayCache.size > 1e5) dayCache.clear();
    dayCache.set(key, d);
  }
  return d;
}
function dayToIso(day) {
  return new Date(day * 864e5).toISOString().slice(0, 10);
}
function minuteOf(ts) {
  const h = ts.length >= 16 ? Number(ts.slice(11, 13)) * 60 + Number(ts.slice(14, 16)) : 0;
  return dayNumber(ts) * 1440 + h;
}
function allocColumns(capacity) {
  return {
    length: 0,
    id: new Array(capacity),
    encounterId: new Array(capacity),
    institutionId: new Array(capacity),
    itemCode: new Array(capacity),
    localCode: new Array(capacity),
    mappedCode: new Array(capacity),
    itemName: new Array(capacity),
    item: new Int32Array(capacity),
    category: new Uint8Array(capacity),
    quantity: new Float64Array(capacity),
    unitPriceFen: new Float64Array(capacity),
    amountFen: new Float64Array(capacity),
    doctorId: new Array(capacity),
    departmentId: new Array(capacity),
    chargedAt: new Array(capacity),
    tMin: new Int32Array(capacity)
  };
}
function pushLine(plan2, c, l) {
  const i = c.length++;
  c.id[i] = l.id;
  c.encounterId[i] = l.encounterId;
  c.institutionId[i] = l.institutionId;
  c.itemCode[i] = l.itemCode;
  c.localCode[i] = l.localCode;
  c.mappedCode[i] = l.localCode === "" ? "" : plan2.localMap.get(`${l.institutionId}${l.localCode}`) ?? "";
  c.itemName[i] = l.itemName;
  c.item[i] = plan2.codeIndex.get(l.itemCode) ?? -1;
  c.category[i] = CHARGE_CATEGORIES.indexOf(l.category);
  c.quantity[i] = l.quantity;
  c.unitPriceFen[i] = l.unitPriceFen;
  c.amountFen[i] = l.amountFen;
  c.doctorId[i] = l.doctorId;
  c.departmentId[i] = l.departmentId;
  c.chargedAt[i] = l.chargedAt;
  c.tMin[i] = minuteOf(l.chargedAt);
}
function toColumns(plan2, lines) {
  const c = allocColumns(lines.length);
  for (const l of lines) pushLine(plan2, c, l);
  return c;
}

// src/audit/evaluate.ts
var CAT_BITS = [BIT.drug, BIT.consumable, BIT.service, BIT.facility];
var K = Object.fromEntries(RULE_KINDS.map((k, i) => [k, i]));
var startsAny = (s2, prefixes) => {
  for (const p of prefixes) if (s2.startsWith(p)) return true;
  return false;
};
var anyDiagnosis = (dx2, prefixes) => {
  for (const d of dx2) if (startsAny(d, prefixes)) return true;
  return false;
};
function renderMessage(template, evidence) {
  return template.replace(/\{(\w+)\}/g, (_, k) => {
    const v = evidence[k];
    return v === void 0 ? `{${k}}` : Array.isArray(v) ? v.join("\u3001") : String(v);
  });
}
function createEncounterAuditor(plan2, mode) {
  const nRules = plan2.rules.length;
  const active = new Uint8Array(nRules);
  const mb = modeBit(mode);
  const pending = /* @__PURE__ */ new Map();
  const defHits = [];
  const defLines = [];
  const items = plan2.items;
  const hitsByItem = plan2.itemHits;
  const encRules = (k) => (plan2.byKind.get(k) ?? []).filter((r) => r.modeMask & mb);
  const R = {
    outside: encRules("charge-outside-stay"),
    subst: encRules("drug-substitution"),
    lineData: encRules("line-data"),
    phantom: encRules("phantom-stay"),
    evidence: encRules("diagnosis-evidence"),
    dxSex: encRules("diagnosis-sex"),
    dxAge: encRules("diagnosis-age"),
    procSex: encRules("procedure-sex"),
    procCode: encRules("procedure-code"),
    dxProc: encRules("diagnosis-procedure"),
    list: encRules("settlement-list"),
    share: encRules("cost-share"),
    low: encRules("low-standard-admission"),
    kinds: encRules("drug-kinds"),
    dup: encRules("drug-duplication"),
    abxNoInd: encRules("antibiotic-without-indication"),
    abxPeri: encRules("antibiotic-perioperative"),
    herb: encRules("herb-prescription")
  };
  const hasCatalog = items.some((x) => x.inCatalog);
  const sigCache = /* @__PURE__ */ new Map();
  const signature = (kb, lb, sb) => {
    const key = kb | lb << 4 | sb << 8;
    let c = sigCache.get(key);
    if (!c) {
      const act = new Uint8Array(nRules);
      for (let k = 0; k < nRules; k++) {
        const r = plan2.rules[k];
        act[k] = r.modeMask & mb && r.kindMask & kb && r.levelMask & lb && r.schemeMask & sb ? 1 : 0;
      }
      const lists = /* @__PURE__ */ new Map();
      for (const rs of Object.values(R)) lists.set(rs, rs.filter((r) => act[r.idx]));
      sigCache.set(key, c = { active: act, lists });
    }
    return c;
  };
  const f = { totalFen: 0, bucketFen: { drug: 0, consumable: 0, exam: 0, treatment: 0, ct: 0, mri: 0 }, abx: [], drugs: [], herbs: [], hasProcedureLine: false };
  const stampItem = new Int32Array(items.length + 1);
  const atcGroup = new Int32Array(items.length).fill(-1);
  {
    const groups = /* @__PURE__ */ new Map();
    items.forEach((it, i) => {
      if (it.atc === "") return;
      let g = groups.get(it.atc);
      if (g === void 0) groups.set(it.atc, g = groups.size);
      atcGroup[i] = g;
    });
  }
  const stampGroup = new Int32Array(items.length + 1);
  const firstOfGroup = new Int32Array(items.length + 1);
  let serial = 0;
  const tableMemo = /* @__PURE__ */ new Map();
  const NONE = [];
  const tableHits = (r, code) => {
    let m = tableMemo.get(r);
    if (!m) tableMemo.set(r, m = /* @__PURE__ */ new Map());
    let hit = m.get(code);
    if (hit === void 0) {
      const found = r.p["table"].filter((x) => code.startsWith(x.prefix));
      hit = found.length ? found : NONE;
      if (m.size > 2e5) m.clear();
      m.set(code, hit);
    }
    return hit;
  };
  let cols;
  let ctxE;
  const add = (r, line, amountFen, evidence) => {
    let p = pending.get(r.idx);
    if (!p) {
      p = { r, lines: [], amountFen: 0, evidence: evidence() };
      pending.set(r.idx, p);
    }
    if (line >= 0 && p.lines[p.lines.length - 1] !== line) p.lines.push(line);
    p.amountFen += amountFen;
  };
  const flush = (out) => {
    const e = ctxE.encounter;
    for (const p of pending.values()) {
      const first = p.lines[0];
      const lineIds2 = p.lines.map((i) => cols.id[i]);
      out.push({
        ruleId: p.r.id,
        ruleVersion: p.r.version,
        kind: p.r.kind,
        nationalClasses: p.r.nationalClasses,
        ...p.r.type ? { type: p.r.type } : {},
        resultType: p.r.resultType,
        action: p.r.action,
        encounterId: e.id,
        institutionId: e.institutionId,
        departmentId: first !== void 0 ? cols.departmentId[first] : e.departmentId,
        doctorId: first !== void 0 ? cols.doctorId[first] : e.doctorId,
        lineIds: lineIds2,
        amountFen: roundFen(p.amountFen),
        message: renderMessage(p.r.def.evidenceTemplate, p.evidence),
        evidence: { ...p.evidence, lineCount: lineIds2.length, ruleVersion: p.r.version, libraryVersion: plan2.libraryVersion }
      });
    }
    pending.clear();
  };
  const itemName = (i) => cols.itemName[i] || (cols.item[i] >= 0 ? items[cols.item[i]].name : cols.itemCode[i]);
  function audit(ctx, c, from, to, out) {
    cols = c;
    ctxE = ctx;
    const e = ctx.encounter;
    const sig = signature(kindBit(e.kind), levelBit(ctx.institutionLevel), schemeBit(e.scheme));
    active.set(sig.active);
    const lists = sig.lists;
    const on = (rs) => lists.get(rs);
    serial++;
    const admitDay = dayNumber(e.admitDate);
    const dischargeDay = dayNumber(e.dischargeDate);
    const dx2 = e.diagnoses;
    const level = Number(ctx.institutionLevel);
    const outside = on(R.outside), subst = on(R.subst), lineData = on(R.lineData);
    const phantom = e.kind === "inpatient" ? on(R.phantom) : [];
    const span = dischargeDay - admitDay + 1;
    const dayFlags = phantom.length > 0 && span > 0 && span < 3660 ? new Uint8Array(span) : void 0;
    f.totalFen = 0;
    const bf = f.bucketFen;
    bf.drug = bf.consumable = bf.exam = bf.treatment = bf.ct = bf.mri = 0;
    f.abx.length = f.drugs.length = f.herbs.length = 0;
    f.hasProcedureLine = false;
    defHits.length = 0;
    defLines.length = 0;
    for (let i = from; i < to; i++) {
      const it = cols.item[i];
      const amount = cols.amountFen[i];
      const day = Math.floor(cols.tMin[i] / 1440);
      const catBit = CAT_BITS[cols.category[i]] ?? 0;
      const own = it >= 0 ? items[it].bits : cols.itemCode[i].length === 10 && cols.itemCode[i][0] === "T" ? BIT.herb : 0;
      const bits = own & ~(BIT.drug | BIT.consumable | BIT.service | BIT.facility) | catBit;
      f.totalFen += amount;
      if (bits & BIT.drug) {
        f.bucketFen.drug += amount;
        f.drugs.push(i);
        if (bits & BIT.antibacterial) f.abx.push(i);
        if (bits & BIT.herb) f.herbs.push(i);
      } else if (bits & BIT.consumable) f.bucketFen.consumable += amount;
      else if (bits & BIT.exam) {
        f.bucketFen.exam += amount;
        if (bits & BIT.ct) f.bucketFen.ct += amount;
        if (bits & BIT.mri) f.bucketFen.mri += amount;
      } else if (bits & BIT.service) f.bucketFen.treatment += amount;
      if (bits & BIT.surgery) f.hasProcedureLine = true;
      if (dayFlags) {
        const o = day - admitDay;
        if (o >= 0 && o < span) dayFlags[o] |= bits & BIT.facility ? 1 : 2;
      }
      if (outside.length > 0 && (day < admitDay || day > dischargeDay))
        for (const r of outside) add(r, i, amount, () => ({ chargedAt: cols.chargedAt[i], admitDate: e.admitDate, dischargeDate: e.dischargeDate }));
      if (subst.length > 0 && cols.mappedCode[i] !== "" && cols.mappedCode[i] !== cols.itemCode[i] && cols.category[i] === 0) {
        const mapped = plan2.codeIndex.get(cols.mappedCode[i]);
        const mappedCap = mapped !== void 0 ? items[mapped].priceCapFen : 0;
        const billedCap = it >= 0 ? items[it].priceCapFen : 0;
        if (!(mappedCap > 0 && billedCap > 0 && billedCap <= mappedCap)) {
          const stake = mappedCap > 0 ? Math.max(0, amount - cols.quantity[i] * Math.min(mappedCap, cols.unitPriceFen[i])) : amount;
          for (const r of subst) add(r, i, stake, () => ({ localCode: cols.localCode[i], mappedCode: cols.mappedCode[i], billedCode: cols.itemCode[i], itemName: itemName(i) }));
        }
      }
      if (lineData.length > 0) {
        const expect = roundFen(cols.quantity[i] * cols.unitPriceFen[i]);
        const unknown = hasCatalog && (it < 0 || !items[it].inCatalog);
        const catMismatch = it >= 0 && items[it].inCatalog && items[it].category !== cols.category[i];
        if (expect !== amount || unknown || catMismatch)
          for (const r of lineData) add(r, i, Math.abs(amount - expect), () => ({ reason: expect !== amount ? `\u91D1\u989D${amount}\u2260\u6570\u91CF\xD7\u5355\u4EF7${expect}` : unknown ? `\u7F16\u7801${cols.itemCode[i]}\u4E0D\u5728\u76EE\u5F55` : "\u8D39\u7528\u7C7B\u522B\u4E0E\u76EE\u5F55\u4E0D\u7B26" }));
      }
      if (it < 0) continue;
      const hits = hitsByItem[it];
      if (hits === void 0) continue;
      for (let h = 0; h < hits.length; h++) {
        const hit = hits[h];
        const r = hit.r;
        if (!active[r.idx]) continue;
        const v = hit.v;
        switch (r.kc) {
          case K["item-sex"]:
            if (e.sex !== v.sex) add(r, i, amount, () => ({ itemName: itemName(i), itemCode: cols.itemCode[i], allowedSex: v.sex === "1" ? "\u7537" : "\u5973", sex: e.sex === "1" ? "\u7537" : "\u5973", knowledge: v.src }));
            break;
          case K["item-age"]: {
            const tooYoung = v.minAgeYears !== void 0 && e.ageYears < v.minAgeYears;
            const tooOld = v.maxAgeYears !== void 0 && e.ageYears > v.maxAgeYears || v.maxAgeDays !== void 0 && (e.ageYears > 0 || e.ageDays > v.maxAgeDays);
            if (tooYoung || tooOld) add(r, i, amount, () => ({ itemName: itemName(i), itemCode: cols.itemCode[i], ageYears: e.ageYears, population: v.population ?? `${v.minAgeYears ?? 0}\u2013${v.maxAgeYears ?? "\u221E"}\u5C81`, knowledge: v.src }));
            break;
          }
          case K["item-institution-level"]:
            if (level < v.minLevel) add(r, i, amount, () => ({ itemName: itemName(i), level, minLevel: v.minLevel, knowledge: v.src }));
            break;
          case K["item-indication"]:
          case K["exam-indication"]:
            if (!anyDiagnosis(dx2, v.prefixes)) add(r, i, amount, () => ({ itemName: itemName(i), itemCode: cols.itemCode[i], diagnoses: dx2.join("|"), indication: v.prefixes.slice(0, 8).join("|"), knowledge: v.src ?? "exam-indications" }));
            break;
          case K["service-contraindication"]:
          case K["drug-atc-diagnosis"]:
            if (anyDiagnosis(dx2, v.prefixes)) add(r, i, amount, () => ({ itemName: itemName(i), diagnoses: dx2.join("|"), reason: v.reason }));
            break;
          case K["drug-atc-age"]:
            if (v.minAgeYears !== void 0 && e.ageYears < v.minAgeYears || v.maxAgeYears !== void 0 && e.ageYears > v.maxAgeYears)
              add(r, i, amount, () => ({ itemName: itemName(i), ageYears: e.ageYears, reason: v.reason }));
            break;
          case K["item-benefit-type"]:
            if (!v.benefitTypes.includes(e.benefitType)) add(r, i, amount, () => ({ itemName: itemName(i), benefitType: e.benefitType, allowed: v.benefitTypes, knowledge: v.src }));
            break;
          case K["item-visit-type"]: {
            const vt = v.visitTypes;
            const ok = vt.includes(e.kind) || vt.includes("emergency") && e.benefitType === "emergency";
            if (!ok) add(r, i, amount, () => ({ itemName: itemName(i), visit: e.kind, allowed: vt, knowledge: v.src }));
            break;
          }
          case K["item-online-scope"]:
            if (e.kind === "online") add(r, i, amount, () => ({ itemName: itemName(i), knowledge: v.src }));
            break;
          case K["item-not-payable"]:
            if (v.mode === "always") add(r, i, amount, () => ({ itemName: itemName(i), knowledge: v.src }));
            else {
              defHits.push(hit);
              defLines.push(i);
            }
            break;
          case K["item-price-cap"]:
            if (cols.unitPriceFen[i] > v.capFen) add(r, i, (cols.unitPriceFen[i] - v.capFen) * cols.quantity[i], () => ({ itemName: itemName(i), unitPriceFen: cols.unitPriceFen[i], capFen: v.capFen }));
            break;
          case K["drug-oversupply"]: {
            const days = e.benefitType === "chronic-special" ? r.p["chronicDays"] : r.p["generalDays"];
            if (cols.quantity[i] > v.maxPerDay * days) add(r, i, (cols.quantity[i] - v.maxPerDay * days) / cols.quantity[i] * amount, () => ({ itemName: itemName(i), quantity: cols.quantity[i], maxQuantity: v.maxPerDay * days, days }));
            break;
          }
          case K["antibiotic-tier"]: {
            const title = plan2.titles.get(cols.doctorId[i]);
            if (title !== void 0 && !r.p["allowedTitles"].includes(title)) add(r, i, amount, () => ({ itemName: itemName(i), title, drugClass: v.nameZh }));
            break;
          }
          case K["drug-second-line"]:
          case K["item-period-frequency"]:
            break;
          // cross-encounter (patient history): handled by the batch collector
          default:
            defHits.push(hit);
            defLines.push(i);
        }
      }
    }
    if (defLines.length > 0) grouped(ctx, from, to);
    encounterLevel(ctx, from, to, f, on, dayFlags, admitDay);
    flush(out);
    return f;
  }
  function grouped(ctx, from, to) {
    const e = ctx.encounter;
    const byRule2 = /* @__PURE__ */ new Map();
    for (let k = 0; k < defLines.length; k++) {
      const idx = defHits[k].r.idx;
      const l = byRule2.get(idx);
      if (l) l.push(k);
      else byRule2.set(idx, [k]);
    }
    for (const [ri, ks] of byRule2) {
      const r = plan2.rules[ri];
      switch (r.kind) {
        case "item-daily-quantity": {
          const identicalOnly = r.p["mode"] === "identical-duplicate";
          const groups = /* @__PURE__ */ new Map();
          for (const k of ks) {
            const i = defLines[k];
            const key = `${cols.item[i]}|${Math.floor(cols.tMin[i] / 1440)}`;
            const g = groups.get(key);
            if (g) g.push(k);
            else groups.set(key, [k]);
          }
          for (const g of groups.values()) {
            const max = defHits[g[0]].v.max;
            const hourly = defHits[g[0]].v.unit === "\u5C0F\u65F6";
            const cap = max;
            const seen = /* @__PURE__ */ new Set();
            let qty = 0;
            const kept = [];
            const dups = [];
            for (const k of g) {
              const i = defLines[k];
              if (seen.has(cols.chargedAt[i])) dups.push(i);
              else {
                seen.add(cols.chargedAt[i]);
                qty += cols.quantity[i];
                kept.push(i);
              }
            }
            if (identicalOnly) {
              if (max <= 1 && !hourly) for (const i of dups) add(r, i, cols.amountFen[i], () => ({ itemName: itemName(i), chargedAt: cols.chargedAt[i] }));
            } else if (qty > cap + 1e-9) {
              const i0 = kept[0];
              const unitPrice = cols.unitPriceFen[i0];
              for (const i of kept) add(r, i, 0, () => ({ itemName: itemName(i0), quantity: qty, max: cap, day: dayToIso(Math.floor(cols.tMin[i0] / 1440)) }));
              pending.get(r.idx).amountFen += (qty - cap) * unitPrice;
            }
          }
          break;
        }
        case "item-stay-quantity": {
          if (e.kind !== "inpatient") break;
          const groups = /* @__PURE__ */ new Map();
          for (const k of ks) {
            const i = defLines[k];
            const g = groups.get(cols.item[i]);
            if (g) g.push(i);
            else groups.set(cols.item[i], [i]);
          }
          for (const g of groups.values()) {
            const seen = /* @__PURE__ */ new Set();
            let qty = 0;
            for (const i of g) if (!seen.has(cols.chargedAt[i])) seen.add(cols.chargedAt[i]), qty += cols.quantity[i];
            const limit = e.losDays + 1;
            if (qty > limit + 1e-9) {
              const i0 = g[0];
              for (const i of g) add(r, i, 0, () => ({ itemName: itemName(i0), quantity: qty, losDays: e.losDays }));
              pending.get(r.idx).amountFen += (qty - limit) * cols.unitPriceFen[i0];
            }
          }
          break;
        }
        case "item-course-days": {
          const groups = /* @__PURE__ */ new Map();
          for (const k of ks) {
            const i = defLines[k];
            const g = groups.get(cols.item[i]);
            if (g) g.push(k);
            else groups.set(cols.item[i], [k]);
          }
          for (const g of groups.values()) {
            const v = defHits[g[0]].v;
            const lines = g.map((k) => defLines[k]).sort((a, b) => cols.tMin[a] - cols.tMin[b]);
            const firstDay = Math.floor(cols.tMin[lines[0]] / 1440);
            const days = /* @__PURE__ */ new Set();
            for (const i of lines) {
              const d = Math.floor(cols.tMin[i] / 1440);
              days.add(d);
              const over = v.counting === "span-from-first-use" ? d - firstDay + 1 > v.maxDays : days.size > v.maxDays;
              if (over) add(r, i, cols.amountFen[i], () => ({ itemName: itemName(i), maxDays: v.maxDays, knowledge: v.src }));
            }
          }
          break;
        }
        case "item-pair": {
          const pairs = r.p["pairs"];
          const byPair = /* @__PURE__ */ new Map();
          for (const k of ks) {
            const v = defHits[k].v;
            let g = byPair.get(v.pair);
            if (!g) byPair.set(v.pair, g = { a: [], b: [] });
            (v.role === "a" ? g.a : g.b).push(defLines[k]);
          }
          const sameDayAll = r.p["sameDayForAllWindows"] === true;
          for (const [pi, g] of byPair) {
            if (g.a.length === 0 || g.b.length === 0) continue;
            const pr = pairs[pi];
            for (const ib of g.b) {
              for (const ia of g.a) {
                if (ia === ib || cols.item[ia] === cols.item[ib]) continue;
                const dt = Math.abs(cols.tMin[ia] - cols.tMin[ib]);
                const sameDay = Math.floor(cols.tMin[ia] / 1440) === Math.floor(cols.tMin[ib] / 1440);
                const w = sameDayAll && pr.window !== "same-visit" ? "same-day" : pr.window;
                const inWindow = w === "same-visit" ? true : w === "same-day" ? sameDay : w === "6-hours" ? dt <= 360 : w === "same-hour" ? dt < 60 : sameDay;
                if (!inWindow) continue;
                const later = cols.tMin[ib] > cols.tMin[ia] || cols.tMin[ib] === cols.tMin[ia] && ib > ia ? ib : ia;
                add(r, later, cols.amountFen[later], () => ({ itemA: itemName(ia), itemB: itemName(ib), window: pr.window, pair: pr.nameZh, knowledge: pr.src }));
                break;
              }
            }
          }
          break;
        }
        case "item-companion": {
          const comps = r.p["companions"];
          for (const k of ks) {
            const i = defLines[k];
            const c = comps[defHits[k].v.companion];
            let found = false;
            for (let j = from; j < to && !found; j++) {
              if (cols.category[j] !== 2) continue;
              for (const kw of c.need) if (itemName(j).includes(kw)) found = true;
            }
            if (!found) add(r, i, cols.amountFen[i], () => ({ itemName: itemName(i), reason: c.reason }));
          }
          break;
        }
        case "surgery-discount": {
          const groups = /* @__PURE__ */ new Map();
          for (const k of ks) {
            const i = defLines[k];
            const key = `${defHits[k].v.group}|${Math.floor(cols.tMin[i] / 1440)}`;
            const g = groups.get(key);
            if (g) g.push(i);
            else groups.set(key, [i]);
          }
          for (const [key, g] of groups) {
            const distinct = new Set(g.map((i) => cols.item[i]));
            if (distinct.size < 2) continue;
            const sorted = [...g].sort((a, b) => cols.amountFen[b] - cols.amountFen[a]);
            for (const i of sorted.slice(1)) {
              const cap = items[cols.item[i]].priceCapFen;
              const fullPrice = cap > 0 ? cols.unitPriceFen[i] >= cap : true;
              const rate = Number(r.p["discountRate"] ?? 0.5);
              if (fullPrice) add(r, i, cols.amountFen[i] * (1 - rate), () => ({ itemName: itemName(i), group: key.split("|")[0] }));
            }
          }
          break;
        }
        case "item-not-payable": {
          const listed = new Set(ks.map((k) => defLines[k]));
          const byDay = /* @__PURE__ */ new Map();
          for (let j = from; j < to; j++) {
            if (cols.item[j] < 0 || !(items[cols.item[j]].bits & BIT.herb)) continue;
            const d = Math.floor(cols.tMin[j] / 1440);
            const g = byDay.get(d);
            if (g) g.push(j);
            else byDay.set(d, [j]);
          }
          for (const g of byDay.values()) if (g.every((j) => listed.has(j))) for (const j of g) add(r, j, cols.amountFen[j], () => ({ itemName: itemName(j), herbs: g.length }));
          break;
        }
        default:
          break;
      }
    }
  }
  function encounterLevel(ctx, from, to, f2, on, dayFlags, admitDay) {
    const e = ctx.encounter;
    const dx2 = e.diagnoses;
    if (dayFlags) {
      for (const r of on(R.phantom)) {
        const minDays = Number(r.p["minConsecutiveDays"] ?? 3);
        let run = 0;
        const runs = [];
        for (let d = 0; d <= dayFlags.length; d++) {
          if (d < dayFlags.length && dayFlags[d] === 1) run++;
          else {
            if (run >= minDays) runs.push([d - run, d - 1]);
            run = 0;
          }
        }
        if (runs.length === 0) continue;
        for (let i = from; i < to; i++) {
          const o = Math.floor(cols.tMin[i] / 1440) - admitDay;
          if (runs.some(([a, b]) => o >= a && o <= b)) add(r, i, cols.amountFen[i], () => ({ days: runs.map(([a, b]) => `${dayToIso(admitDay + a)}~${dayToIso(admitDay + b)}`), minDays }));
        }
      }
    }
    for (const r of on(R.evidence)) {
      const entries = r.p["entries"];
      for (let d = r.p["secondaryOnly"] === false ? 0 : 1; d < dx2.length; d++) {
        const ent = entries.find((x) => dx2[d].startsWith(x.prefix));
        if (!ent) continue;
        let supported = false;
        for (let i = from; i < to && !supported; i++) {
          if (ent.codes.has(cols.itemCode[i])) supported = true;
          else for (const kw of ent.keywords) if (itemName(i).includes(kw)) supported = true;
        }
        if (!supported) add(r, -1, 0, () => ({ diagnosis: dx2[d], diagnosisName: ent.nameZh, evidence: ent.keywords }));
      }
    }
    for (const r of on(R.dxSex))
      for (const d of dx2) for (const x of tableHits(r, d)) if (e.sex !== x.sex) add(r, -1, 0, () => ({ diagnosis: d, diagnosisName: x.nameZh, sex: e.sex === "1" ? "\u7537" : "\u5973" }));
    for (const r of on(R.dxAge))
      for (const d of dx2)
        for (const x of tableHits(r, d))
          if (x.minAgeYears !== void 0 && e.ageYears < x.minAgeYears || x.maxAgeYears !== void 0 && e.ageYears > x.maxAgeYears) add(r, -1, 0, () => ({ diagnosis: d, diagnosisName: x.nameZh, ageYears: e.ageYears }));
    for (const r of on(R.procSex)) for (const x of r.p["table"]) for (const p of e.procedures) if (p.startsWith(x.prefix) && e.sex !== x.sex) add(r, -1, 0, () => ({ procedure: p, procedureName: x.nameZh, sex: e.sex === "1" ? "\u7537" : "\u5973" }));
    for (const r of on(R.dxProc))
      for (const x of r.p["table"])
        for (const p of e.procedures) if (p.startsWith(x.procedurePrefix) && !anyDiagnosis(dx2, x.diagnosisPrefixes)) add(r, -1, 0, () => ({ procedure: p, procedureName: x.nameZh, diagnoses: dx2.join("|") }));
    for (const r of on(R.procCode)) {
      const re = r.p["re"] ??= new RegExp(String(r.p["pattern"] ?? "^\\d{2}(\\.\\d{1,2}(x\\d{2,3})?)?$"));
      for (const p of e.procedures) if (!re.test(p)) add(r, -1, 0, () => ({ procedure: p, reason: "\u4E0D\u7B26\u5408ICD-9-CM-3\u7F16\u7801\u683C\u5F0F" }));
      if (e.kind === "inpatient" && e.procedures.length === 0 && f2.hasProcedureLine) add(r, -1, 0, () => ({ procedure: "", reason: "\u6536\u53D6\u624B\u672F\u8D39\u4F46\u672A\u7F16\u7801\u624B\u672F\u64CD\u4F5C" }));
    }
    for (const r of on(R.list)) {
      const reasons = [];
      const los = dayNumber(e.dischargeDate) - dayNumber(e.admitDate);
      if (e.dischargeDate < e.admitDate) reasons.push("\u51FA\u9662\u65E5\u671F\u65E9\u4E8E\u5165\u9662\u65E5\u671F");
      else if (e.kind === "inpatient" && e.losDays !== Math.max(1, los)) reasons.push(`\u4F4F\u9662\u5929\u6570${e.losDays}\u4E0E\u51FA\u5165\u9662\u65E5\u671F(${los}\u5929)\u4E0D\u7B26`);
      if (e.kind !== "inpatient" && e.dischargeDate !== e.admitDate) reasons.push("\u95E8\u8BCA\u5C31\u8BCA\u65E5\u671F\u4E0D\u4E00\u81F4");
      if (e.ageYears === 0 && e.ageDays > 365) reasons.push(`\u5E74\u9F84(\u5929)${e.ageDays}\u8D85\u8FC71\u5C81`);
      if (e.ageYears > 0 && e.ageDays > 0) reasons.push("1\u5C81\u4EE5\u4E0A\u60A3\u8005\u586B\u5199\u4E86\u5E74\u9F84(\u5929)");
      if (e.birthWeightGrams > 0 && (e.birthWeightGrams < 200 || e.birthWeightGrams > 2e4)) reasons.push(`\u65B0\u751F\u513F\u51FA\u751F\u4F53\u91CD${e.birthWeightGrams}g\u8D85\u51FA200\u201320000g`);
      if (reasons.length) add(r, -1, 0, () => ({ reason: reasons.join("\uFF1B") }));
    }
    for (const r of on(R.share)) {
      const bucket = String(r.p["bucket"]);
      const minTotal = Number(r.p["minTotalFen"] ?? 0);
      if (f2.totalFen < minTotal || f2.totalFen <= 0) continue;
      const share = f2.bucketFen[bucket] / f2.totalFen;
      if (share > Number(r.p["maxShare"])) add(r, -1, 0, () => ({ bucket, share: share.toFixed(3), maxShare: r.p["maxShare"], totalFen: f2.totalFen }));
    }
    for (const r of on(R.low)) {
      if (e.kind !== "inpatient" || e.procedures.length > 0 || e.losDays > Number(r.p["maxLosDays"] ?? 3) || f2.totalFen <= 0) continue;
      const examShare = f2.bucketFen.exam / f2.totalFen;
      if (examShare >= Number(r.p["minExamShare"] ?? 0.6) && f2.bucketFen.treatment === 0) add(r, -1, f2.totalFen, () => ({ losDays: e.losDays, examShare: examShare.toFixed(3) }));
    }
    if (f2.drugs.length > 0) {
      const kindsRules = on(R.kinds), dupRules = on(R.dup);
      if (kindsRules.length > 0 || dupRules.length > 0) {
        const days = /* @__PURE__ */ new Map();
        for (const i of f2.drugs) {
          const d = Math.floor(cols.tMin[i] / 1440);
          const g = days.get(d);
          if (g) g.push(i);
          else days.set(d, [i]);
        }
        for (const g of days.values()) {
          serial++;
          const distinct = [];
          const dupLines = [];
          for (const i of g) {
            const it = cols.item[i];
            if (it < 0) continue;
            if (items[it].bits & BIT.herb) continue;
            if (stampItem[it] !== serial) {
              stampItem[it] = serial;
              distinct.push(i);
              const ag = atcGroup[it];
              if (ag >= 0) {
                if (stampGroup[ag] !== serial) {
                  stampGroup[ag] = serial;
                  firstOfGroup[ag] = i;
                } else dupLines.push(i);
              }
            }
          }
          for (const r of kindsRules) {
            const max = Number(r.p["maxKinds"] ?? 5);
            if (distinct.length > max) for (const i of distinct.slice(max)) add(r, i, cols.amountFen[i], () => ({ kinds: distinct.length, maxKinds: max }));
          }
          for (const r of dupRules)
            for (const i of dupLines) {
              const first = firstOfGroup[atcGroup[cols.item[i]]];
              add(r, i, cols.amountFen[i], () => ({ atc: items[cols.item[i]].atc, drugs: [itemName(first), itemName(i)] }));
            }
        }
      }
      for (const r of on(R.herb)) {
        if (f2.herbs.length === 0) continue;
        if (r.p["mode"] === "size") {
          const byDay = /* @__PURE__ */ new Map();
          for (const i of f2.herbs) {
            const d = Math.floor(cols.tMin[i] / 1440);
            const g = byDay.get(d);
            if (g) g.push(i);
            else byDay.set(d, [i]);
          }
          const maxHerbs = Number(r.p["maxHerbs"] ?? 30);
          for (const g of byDay.values()) if (g.length > maxHerbs) for (const i of g) add(r, i, cols.amountFen[i], () => ({ herbs: g.length, maxHerbs }));
        } else {
          const maxQ = Number(r.p["maxQuantity"] ?? 100);
          for (const i of f2.herbs) if (cols.quantity[i] > maxQ) add(r, i, (cols.quantity[i] - maxQ) / cols.quantity[i] * cols.amountFen[i], () => ({ itemName: itemName(i), quantity: cols.quantity[i], maxQuantity: maxQ }));
        }
      }
    }
    if (f2.abx.length > 0 && !anyDiagnosis(dx2, plan2.infectionPrefixes)) {
      for (const r of on(R.abxNoInd)) {
        if (e.procedures.length > 0 && r.p["excludeSurgical"] !== false) continue;
        for (const i of f2.abx) add(r, i, cols.amountFen[i], () => ({ itemName: itemName(i), diagnoses: dx2.join("|") }));
      }
      for (const r of on(R.abxPeri)) {
        if (e.procedures.length === 0) continue;
        const days = new Set(f2.abx.map((i) => Math.floor(cols.tMin[i] / 1440)));
        const maxDays = Number(r.p["maxDays"] ?? 3);
        if (days.size > maxDays) for (const i of f2.abx) add(r, i, 0, () => ({ abxDays: days.size, maxDays }));
      }
    }
  }
  return { audit };
}

// src/audit/batch.ts
function createBatchAudit(plan2) {
  const auditor = createEncounterAuditor(plan2, "post");
  const rulesOf = (k) => (plan2.byKind.get(k) ?? []).filter((r) => r.modeMask & 4);
  const R = {
    split: rulesOf("split-admission"),
    readmit: rulesOf("readmission"),
    frequent: rulesOf("frequent-visits"),
    doctor: rulesOf("doctor-high-frequency"),
    peer: rulesOf("peer-cost-outlier"),
    shift: rulesOf("cost-shifting"),
    period: rulesOf("item-period-frequency"),
    second: rulesOf("drug-second-line")
  };
  const applies = (r, e, level) => !!(r.kindMask & 1 << ["outpatient", "inpatient", "online"].indexOf(e.kind)) && !!(r.levelMask & 1 << ["1", "2", "3"].indexOf(level)) && !!(r.schemeMask & 1 << ["employee", "resident"].indexOf(e.scheme));
  const encs = [];
  const levels = [];
  let lineCount = 0;
  const needDoctor = R.doctor.length > 0;
  const docIntern = /* @__PURE__ */ new Map();
  const codeIntern = /* @__PURE__ */ new Map();
  const dKey = [];
  const dT = [];
  const dPerson = [];
  const dEnc = [];
  const dLine = [];
  const dAmount = [];
  const personIntern = /* @__PURE__ */ new Map();
  const recPerson = [];
  const dCode = [];
  const crossItem = new Uint8Array(plan2.items.length);
  const historyGroups = /* @__PURE__ */ new Set();
  plan2.itemHits.forEach((hs, i) => {
    if (!hs) return;
    for (const h of hs)
      if (h.r.kind === "item-period-frequency" || h.r.kind === "drug-second-line") {
        crossItem[i] = 1;
        if (h.r.kind === "drug-second-line" && plan2.items[i].atc) historyGroups.add(plan2.items[i].atc.slice(0, 4));
      }
  });
  const historyItem = new Uint8Array(plan2.items.length);
  plan2.items.forEach((it, i) => {
    if (it.atc && historyGroups.has(it.atc.slice(0, 4))) historyItem[i] = 1;
  });
  const periodEv = [];
  const atcFirst = /* @__PURE__ */ new Map();
  const secondEv = [];
  function add(ctx, cols, from, to) {
    const out = [];
    const T0 = performance.now();
    const f = auditor.audit(ctx, cols, from, to, out);
    const g = globalThis;
    g.TA = (g.TA ?? 0) + performance.now() - T0;
    const e = ctx.encounter;
    const encIdx = encs.length;
    lineCount += to - from;
    const rec = { e, admitDay: dayNumber(e.admitDate), dischargeDay: dayNumber(e.dischargeDate), totalFen: f.totalFen, examFen: f.bucketFen.exam, examLines: [], hasDrug: f.drugs.length > 0 };
    encs.push(rec);
    levels.push(ctx.institutionLevel);
    let pIdx = personIntern.get(e.personId);
    if (pIdx === void 0) personIntern.set(e.personId, pIdx = personIntern.size);
    recPerson.push(pIdx);
    if (R.shift.length > 0 && e.kind === "outpatient" && f.bucketFen.exam > 0)
      for (let i = from; i < to; i++) {
        const it = cols.item[i];
        if (it >= 0 && plan2.items[it].bits & BIT.exam) rec.examLines.push(cols.id[i]);
      }
    const T1 = performance.now();
    if (needDoctor && f.drugs.length > 0) {
      const pi = pIdx;
      let lastDoc = "", d = 0, lastCode = "", c = 0;
      for (const i of f.drugs) {
        if (cols.doctorId[i] !== lastDoc) {
          lastDoc = cols.doctorId[i];
          const have = docIntern.get(lastDoc);
          if (have === void 0) docIntern.set(lastDoc, d = docIntern.size);
          else d = have;
        }
        if (cols.itemCode[i] !== lastCode) {
          lastCode = cols.itemCode[i];
          const have = codeIntern.get(lastCode);
          if (have === void 0) codeIntern.set(lastCode, c = codeIntern.size);
          else c = have;
        }
        dKey.push(d);
        dCode.push(c);
        dT.push(cols.tMin[i]);
        dPerson.push(pi);
        dEnc.push(encIdx);
        dLine.push(cols.id[i]);
        dAmount.push(cols.amountFen[i]);
      }
    }
    if (R.period.length > 0 || R.second.length > 0) {
      for (let i = from; i < to; i++) {
        const it = cols.item[i];
        if (it < 0 || !(crossItem[it] | historyItem[it])) continue;
        const item = plan2.items[it];
        const day = Math.floor(cols.tMin[i] / 1440);
        if (historyItem[it]) {
          let m = atcFirst.get(e.personId);
          if (!m) atcFirst.set(e.personId, m = /* @__PURE__ */ new Map());
          const g2 = item.atc.slice(0, 4);
          const l = m.get(g2);
          if (!l) m.set(g2, [{ day, item: it }]);
          else if (!l.some((x) => x.item === it)) l.push({ day, item: it });
          else for (const x of l) if (x.item === it && day < x.day) x.day = day;
        }
        const hits = plan2.itemHits[it];
        if (!hits || !crossItem[it]) continue;
        for (const h of hits) {
          if (!applies(h.r, e, ctx.institutionLevel)) continue;
          const ref = { enc: encIdx, lineId: cols.id[i], amountFen: cols.amountFen[i], doctorId: cols.doctorId[i], departmentId: cols.departmentId[i] };
          if (h.r.kind === "item-period-frequency" && R.period.includes(h.r)) periodEv.push({ person: e.personId, item: it, day, ref, r: h.r, v: h.v });
          else if (h.r.kind === "drug-second-line" && R.second.includes(h.r)) secondEv.push({ person: e.personId, atc: item.atc.slice(0, 4), item: it, day, ref, r: h.r, src: h.v.src });
        }
      }
    }
    g.TC = (g.TC ?? 0) + performance.now() - T1;
    return out;
  }
  function finish() {
    const out = [];
    const emit = (r, enc, refs, amountFen, evidence) => {
      out.push({
        ruleId: r.id,
        ruleVersion: r.version,
        kind: r.kind,
        nationalClasses: r.nationalClasses,
        ...r.type ? { type: r.type } : {},
        resultType: r.resultType,
        action: r.action,
        encounterId: enc.e.id,
        institutionId: enc.e.institutionId,
        departmentId: refs[0]?.departmentId ?? enc.e.departmentId,
        doctorId: refs[0]?.doctorId ?? enc.e.doctorId,
        lineIds: refs.map((x) => x.lineId),
        amountFen: roundFen(amountFen),
        message: renderMessage(r.def.evidenceTemplate, evidence),
        evidence: { ...evidence, lineCount: refs.length, ruleVersion: r.version, libraryVersion: plan2.libraryVersion }
      });
    };
    const nP = personIntern.size;
    const pStart = new Int32Array(nP + 1);
    for (const p of recPerson) pStart[p + 1]++;
    for (let p = 0; p < nP; p++) pStart[p + 1] += pStart[p];
    const pFill = pStart.slice(0, nP);
    const pOrder = new Int32Array(encs.length);
    recPerson.forEach((p, i) => pOrder[pFill[p]++] = i);
    const scratch = [];
    const byPerson = {
      *values() {
        for (let p = 0; p < nP; p++) {
          scratch.length = 0;
          for (let k = pStart[p]; k < pStart[p + 1]; k++) {
            const i = pOrder[k];
            let j = scratch.length;
            scratch.push(i);
            while (j > 0 && (encs[scratch[j - 1]].admitDay > encs[i].admitDay || encs[scratch[j - 1]].admitDay === encs[i].admitDay && encs[scratch[j - 1]].dischargeDay > encs[i].dischargeDay)) {
              scratch[j] = scratch[j - 1];
              j--;
            }
            scratch[j] = i;
          }
          yield scratch;
        }
      }
    };
    for (const r of [...R.split, ...R.readmit]) {
      const maxGap = Number(r.p["maxGapDays"]);
      const sameInst = r.p["sameInstitution"] !== false;
      const catChars = Number(r.p["sameDiagnosisChars"] ?? 0);
      for (const list of byPerson.values()) {
        const prevByInst = /* @__PURE__ */ new Map();
        for (const i of list) {
          const x = encs[i];
          if (x.e.kind !== "inpatient") continue;
          const key = sameInst ? x.e.institutionId : "*";
          const pi = prevByInst.get(key);
          prevByInst.set(key, i);
          if (pi === void 0 || !applies(r, x.e, levels[i])) continue;
          const p = encs[pi];
          const gap = x.admitDay - p.dischargeDay;
          if (gap < 0 || gap > maxGap) continue;
          if (catChars > 0 && x.e.diagnoses[0].slice(0, catChars) !== p.e.diagnoses[0].slice(0, catChars)) continue;
          emit(r, x, [], x.totalFen, { previousEncounterId: p.e.id, previousDischarge: p.e.dischargeDate, admitDate: x.e.admitDate, gapDays: gap, maxGapDays: maxGap, diagnosis: x.e.diagnoses[0], previousDiagnosis: p.e.diagnoses[0] });
        }
      }
    }
    for (const r of R.frequent) {
      const kinds = r.p["encounterKinds"] ?? ["outpatient"];
      const windowDays = Number(r.p["windowDays"]);
      const maxVisits = Number(r.p["maxVisits"]);
      const requireDrug = r.p["requireDrug"] === true;
      for (const list of byPerson.values()) {
        const sel = list.filter((i) => kinds.includes(encs[i].e.kind) && (!requireDrug || encs[i].hasDrug));
        let lo = 0;
        for (let hi = 0; hi < sel.length; hi++) {
          const xh = encs[sel[hi]];
          while (xh.admitDay - encs[sel[lo]].admitDay >= windowDays) lo++;
          const n = hi - lo + 1;
          if (n > maxVisits && applies(r, xh.e, levels[sel[hi]])) emit(r, xh, [], 0, { visits: n, windowDays, maxVisits, since: encs[sel[lo]].e.admitDate });
        }
      }
    }
    for (const r of R.doctor) {
      const win = Number(r.p["windowMinutes"] ?? 60);
      const minPatients = Number(r.p["minPatients"] ?? 8);
      const nCodes = codeIntern.size;
      let pairOf;
      let nPairs;
      if (docIntern.size * nCodes < 5e7) {
        nPairs = docIntern.size * nCodes;
        pairOf = Int32Array.from(dKey, (d, k) => d * nCodes + dCode[k]);
      } else {
        const intern = /* @__PURE__ */ new Map();
        pairOf = Int32Array.from(dKey, (d, k) => {
          const key = `${d}|${dCode[k]}`;
          let q2 = intern.get(key);
          if (q2 === void 0) intern.set(key, q2 = intern.size);
          return q2;
        });
        nPairs = intern.size;
      }
      const start = new Int32Array(nPairs + 1);
      for (let k = 0; k < pairOf.length; k++) start[pairOf[k] + 1]++;
      for (let q2 = 0; q2 < nPairs; q2++) start[q2 + 1] += start[q2];
      const fill = start.slice(0, nPairs);
      const byPair = new Int32Array(pairOf.length);
      for (let k = 0; k < pairOf.length; k++) byPair[fill[pairOf[k]]++] = k;
      const flagged = /* @__PURE__ */ new Set();
      const counts = /* @__PURE__ */ new Map();
      for (let q2 = 0; q2 < nPairs; q2++) {
        const a = start[q2], b = start[q2 + 1];
        if (b - a < minPatients) continue;
        const keyed = new Float64Array(b - a);
        for (let k = a; k < b; k++) keyed[k - a] = dT[byPair[k]] * 4194304 + (k - a);
        keyed.sort();
        const order = Array.from(keyed, (x) => byPair[a + x % 4194304]);
        counts.clear();
        let lo = 0;
        for (let hi = 0; hi < order.length; hi++) {
          const h = order[hi];
          counts.set(dPerson[h], (counts.get(dPerson[h]) ?? 0) + 1);
          while (dT[h] - dT[order[lo]] > win) {
            const l = order[lo];
            const c = counts.get(dPerson[l]) - 1;
            if (c === 0) counts.delete(dPerson[l]);
            else counts.set(dPerson[l], c);
            lo++;
          }
          if (counts.size >= minPatients) for (let k = lo; k <= hi; k++) flagged.add(order[k]);
        }
      }
      const byEnc = /* @__PURE__ */ new Map();
      const docName = [...docIntern.keys()];
      for (const k of flagged) {
        const x = encs[dEnc[k]];
        const ref = { enc: dEnc[k], lineId: dLine[k], amountFen: dAmount[k], doctorId: docName[dKey[k]], departmentId: x.e.departmentId };
        const l = byEnc.get(ref.enc);
        if (l) l.push(ref);
        else byEnc.set(ref.enc, [ref]);
      }
      for (const [ei, refs] of byEnc) {
        const x = encs[ei];
        if (!applies(r, x.e, levels[ei])) continue;
        emit(r, x, refs, refs.reduce((s2, z3) => s2 + z3.amountFen, 0), { doctorId: refs[0].doctorId, minPatients, windowMinutes: win });
      }
    }
    for (const r of R.peer) {
      const multiple = Number(r.p["multiple"] ?? 3);
      const minGroup = Number(r.p["minGroupSize"] ?? 20);
      const groups = /* @__PURE__ */ new Map();
      encs.forEach((x, i) => {
        if (!applies(r, x.e, levels[i])) return;
        const key = `${x.e.institutionId}|${x.e.kind}|${x.e.diagnoses[0].slice(0, 3)}`;
        const g = groups.get(key);
        if (g) g.push(i);
        else groups.set(key, [i]);
      });
      for (const [key, g] of groups) {
        if (g.length < minGroup) continue;
        const mean = g.reduce((s2, i) => s2 + encs[i].totalFen, 0) / g.length;
        for (const i of g) if (encs[i].totalFen > multiple * mean) emit(r, encs[i], [], encs[i].totalFen - multiple * mean, { group: key, meanFen: Math.round(mean), totalFen: encs[i].totalFen, multiple });
      }
    }
    for (const r of R.shift) {
      const before = Number(r.p["daysBefore"] ?? 3);
      const after = Number(r.p["daysAfter"] ?? 3);
      for (const list of byPerson.values()) {
        const stays = list.filter((i) => encs[i].e.kind === "inpatient");
        if (stays.length === 0) continue;
        for (const i of list) {
          const o = encs[i];
          if (o.e.kind !== "outpatient" || o.examLines.length === 0 || !applies(r, o.e, levels[i])) continue;
          const stay = stays.map((s2) => encs[s2]).find((s2) => s2.e.institutionId === o.e.institutionId && (o.admitDay >= s2.admitDay - before && o.admitDay < s2.admitDay || o.admitDay > s2.dischargeDay && o.admitDay <= s2.dischargeDay + after));
          if (stay) emit(r, o, o.examLines.map((id2) => ({ enc: i, lineId: id2, amountFen: 0, doctorId: o.e.doctorId, departmentId: o.e.departmentId })), o.examFen, { stayId: stay.e.id, admitDate: stay.e.admitDate, dischargeDate: stay.e.dischargeDate, visitDate: o.e.admitDate });
        }
      }
    }
    if (periodEv.length > 0) {
      const groups = /* @__PURE__ */ new Map();
      for (const ev of periodEv) {
        const k = `${ev.r.idx}|${ev.person}|${ev.item}`;
        const g = groups.get(k);
        if (g) g.push(ev);
        else groups.set(k, [ev]);
      }
      const byEnc = /* @__PURE__ */ new Map();
      for (const g of groups.values()) {
        g.sort((a, b) => a.day - b.day);
        let lo = 0;
        for (let hi = 0; hi < g.length; hi++) {
          while (g[hi].day - g[lo].day >= g[hi].v.periodDays) lo++;
          if (hi - lo + 1 > g[hi].v.maxTimes) {
            const k = `${g[hi].r.idx}|${g[hi].ref.enc}`;
            const b = byEnc.get(k) ?? { r: g[hi].r, enc: g[hi].ref.enc, refs: [], v: g[hi].v };
            b.refs.push(g[hi].ref);
            byEnc.set(k, b);
          }
        }
      }
      for (const b of byEnc.values()) emit(b.r, encs[b.enc], b.refs, b.refs.reduce((s2, z3) => s2 + z3.amountFen, 0), { maxTimes: b.v.maxTimes, periodDays: b.v.periodDays, knowledge: b.v.src });
    }
    for (const ev of secondEv) {
      const hist = atcFirst.get(ev.person)?.get(ev.atc) ?? [];
      const firstLine = hist.some((h) => h.item !== ev.item && h.day <= ev.day);
      if (!firstLine) emit(ev.r, encs[ev.ref.enc], [ev.ref], ev.ref.amountFen, { itemName: plan2.items[ev.item].name, atcGroup: ev.atc, knowledge: ev.src, day: dayToIso(ev.day) });
    }
    return mergeSameRule(out);
  }
  return {
    add,
    finish,
    get encounters() {
      return encs.length;
    },
    get lines() {
      return lineCount;
    }
  };
}
function mergeSameRule(vs) {
  const m = /* @__PURE__ */ new Map();
  for (const v of vs) {
    const k = `${v.ruleId}|${v.encounterId}`;
    const have = m.get(k);
    if (!have) m.set(k, v);
    else {
      for (const id2 of v.lineIds) if (!have.lineIds.includes(id2)) have.lineIds.push(id2);
      have.amountFen += v.amountFen;
    }
  }
  return [...m.values()];
}

// src/audit/preorder.ts
var auditors = /* @__PURE__ */ new WeakMap();
var RANK = { remind: 1, deduct: 2, refer: 3, block: 4 };
function checkOrder(plan2, req) {
  let auditor = auditors.get(plan2);
  if (!auditor) auditors.set(plan2, auditor = createEncounterAuditor(plan2, "pre"));
  const enc = req.encounter;
  const encounterId = enc.id ?? "pre-order";
  const toLine = (o, id2) => {
    const idx = plan2.codeIndex.get(o.itemCode);
    const item = idx !== void 0 ? plan2.items[idx] : void 0;
    const category = o.category ?? (item && item.category >= 0 ? CHARGE_CATEGORIES[item.category] : "drug");
    const unitPriceFen = o.unitPriceFen ?? item?.priceCapFen ?? 0;
    return {
      id: id2,
      encounterId,
      institutionId: enc.institutionId,
      localCode: o.localCode ?? "",
      itemCode: o.itemCode,
      itemName: o.itemName ?? item?.name ?? "",
      category,
      payClass: "A",
      quantity: o.quantity,
      unitPriceFen,
      amountFen: lineAmountFen(o.quantity, unitPriceFen),
      doctorId: o.doctorId ?? enc.doctorId,
      departmentId: enc.departmentId ?? "",
      chargedAt: o.at
    };
  };
  const lines = [...(req.earlier ?? []).map((o, i) => toLine(o, `earlier-${i}`)), toLine(req.order, "order")];
  const cols = toColumns(plan2, lines);
  const day = req.order.at.slice(0, 10);
  const vs = [];
  auditor.audit(
    {
      institutionLevel: enc.institutionLevel,
      encounter: {
        id: encounterId,
        institutionId: enc.institutionId,
        departmentId: enc.departmentId ?? "",
        personId: "pre-order",
        doctorId: enc.doctorId,
        kind: enc.kind,
        benefitType: enc.benefitType ?? "general",
        scheme: enc.scheme ?? "employee",
        sex: req.patient.sex,
        ageYears: req.patient.ageYears,
        ageDays: req.patient.ageDays ?? 0,
        birthWeightGrams: 0,
        admitDate: enc.admitDate,
        dischargeDate: day > enc.admitDate ? day : enc.admitDate,
        dischargeType: "1",
        losDays: 0,
        diagnoses: enc.diagnoses.length ? enc.diagnoses : ["R69"],
        procedures: enc.procedures ?? []
      }
    },
    cols,
    0,
    cols.length,
    vs
  );
  const verdicts = [];
  for (const v of vs) {
    if (!v.lineIds.includes("order")) continue;
    const def = plan2.rules.find((r) => r.id === v.ruleId).def;
    verdicts.push({ ruleId: v.ruleId, nameZh: def.nameZh, nameEn: def.nameEn, action: v.action, actionZh: ACTION_ZH[v.action], resultType: v.resultType, resultTypeZh: RESULT_TYPE_ZH[v.resultType], messageZh: v.message, amountFen: v.amountFen });
  }
  verdicts.sort((a, b) => RANK[b.action] - RANK[a.action]);
  return { decision: verdicts[0]?.action ?? "pass", verdicts };
}

// src/audit/loader.ts
import { readFileSync, readdirSync, existsSync, watch } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
var DEFAULT_DATA_DIR = fileURLToPath(new URL("../../data/", import.meta.url));
function parseFile(schema, file) {
  let raw;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new MedfundError([issue("bad-data-file", file, `cannot read JSON: ${err.message}`)], { cause: err });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.slice(0, 10).map((i) => issue("bad-data-file", `${file}#${i.path.join(".")}`, i.message));
    throw new MedfundError(issues);
  }
  return r.data;
}
function loadRuleLibrary(dataDir = DEFAULT_DATA_DIR) {
  const rulesDir = join(dataDir, "rules");
  const rules = parseFile(RuleLibrarySchema, join(rulesDir, "medfund-rules.json"));
  const seen = /* @__PURE__ */ new Set();
  for (const r of rules.rules) {
    if (seen.has(r.id)) throw new MedfundError([issue("duplicate-rule", `rules[${r.id}]`, `rule id ${r.id} appears twice`)]);
    seen.add(r.id);
    if (r.effectiveTo < r.effectiveFrom) throw new MedfundError([issue("bad-rule", `rules[${r.id}].effectiveTo`, `effectiveTo ${r.effectiveTo} is before effectiveFrom ${r.effectiveFrom}`)]);
  }
  const catalogue = JSON.parse(readFileSync(join(rulesDir, "nhsa", "rules.json"), "utf8"));
  const nationalClasses = catalogue.edition_2025.classes.map((c, i) => {
    const r = NationalClassSchema.safeParse(c);
    if (!r.success) throw new MedfundError([issue("bad-data-file", `nhsa/rules.json#edition_2025.classes.${i}`, r.error.issues[0].message)]);
    return r.data;
  });
  const nhsa = {};
  const kdir = join(rulesDir, "nhsa", "knowledge");
  for (const f of readdirSync(kdir).filter((x) => x.endsWith(".json")).sort()) nhsa[f.slice(0, -5)] = parseFile(NhsaKnowledgeFileSchema, join(kdir, f));
  const clinical = parseFile(ClinicalKnowledgeSchema, join(rulesDir, "knowledge", "clinical.json"));
  const shared = join(dataDir, "knowledge");
  const de = join(shared, "diagnosis-evidence.json");
  const ex = join(shared, "exam-indications.json");
  return {
    rules,
    nationalClasses,
    nhsa,
    clinical,
    ...existsSync(de) ? { diagnosisEvidence: parseFile(DiagnosisEvidenceSchema, de) } : {},
    ...existsSync(ex) ? { examIndications: parseFile(ExamIndicationsSchema, ex) } : {}
  };
}

// bench/audit.bench.ts
var TOTAL = Number(process.env.AUDIT_BENCH_LINES ?? 1e7);
var CHUNK = 1e6;
var s = 2654435769;
var rnd = () => {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return (s >>> 0) / 4294967296;
};
var pick = (a) => a[Math.floor(rnd() * a.length)];
var fullLibrary = loadRuleLibrary();
var kindFilter = process.env.AUDIT_BENCH_KINDS ? new RegExp(process.env.AUDIT_BENCH_KINDS) : void 0;
var library = kindFilter ? { ...fullLibrary, rules: { ...fullLibrary.rules, rules: fullLibrary.rules.rules.filter((r) => kindFilter.test(r.kind)) } } : fullLibrary;
var national = Object.values(library.nhsa).flatMap((f) => f.rows.slice(0, 40).map((r) => ({ code: r.codes[0], name: r.itemName, kind: f.itemKind })));
var catalog = [];
var mk = (code, name, category, extra = {}) => {
  catalog.push({ code, name, category, payClass: "A", unit: "\u6B21", priceCapFen: 0, selfPayFirstPermille: 0, restrictions: {}, effectiveFrom: "2020-01-01", effectiveTo: "9999-12-31", ...extra });
};
for (const n of national) if (!catalog.some((c) => c.code === n.code)) mk(n.code, n.name, n.kind === "service" ? "service" : "drug");
var atc = [
  "A02BC",
  "A11CA",
  "R05CB",
  "C08CA",
  "A10BA",
  "N02BE",
  "C07AB",
  "A06AD",
  "J01CA",
  "C10AA",
  "R06AX",
  "A03FA",
  "A01AB",
  "A03AX",
  "A05AA",
  "A07EC",
  "A09AA",
  "A12AX",
  "B03AA",
  "B05BB",
  "C01DA",
  "C03CA",
  "C08DB",
  "D07AC",
  "G04CA",
  "H02AB",
  "J01DC",
  "L04AD",
  "M01AX",
  "M04AA",
  "N02BA",
  "N03AX",
  "N06AX",
  "N07CA",
  "R03AC",
  "R03BA",
  "R05DB",
  "S01AA",
  "V03AB",
  "A10BH"
];
for (let i = 0; i < 1500; i++) mk(`X${pick(atc)}B${String(i).padStart(3, "0")}A001010100000`.slice(0, 23), `\u897F\u836F${i}`, "drug", i % 10 === 0 ? { restrictions: { maxQuantityPerDay: 6 } } : {});
for (let i = 0; i < 800; i++) mk(`00${String(2100 + i % 1300).padStart(4, "0")}${String(i).padStart(9, "0")}`.slice(0, 15), `\u8BCA\u7597\u9879\u76EE${i}${i % 7 === 0 ? "CT" : ""}`, "service", i % 5 === 0 ? { priceCapFen: 5e3 } : {});
for (let i = 0; i < 300; i++) mk(`C${String(i).padStart(8, "0")}`, `\u8017\u6750${i}`, "consumable", i % 9 === 0 ? { restrictions: { sex: "2" } } : {});
mk("F0001", "\u5E8A\u4F4D\u8D39", "facility", { unit: "\u65E5" });
mk("F0002", "\u62A4\u7406\u8D39", "facility", { unit: "\u65E5" });
var plan = compileRules(library, { asOf: "2026-11-23", region: { catalog, codeMappings: [] } });
var codes = catalog.map((c) => c.code);
var nNational = new Set(national.map((n) => n.code)).size;
var itemIdx = codes.map((c) => plan.codeIndex.get(c));
var cats = catalog.map((c) => CHARGE_CATEGORIES.indexOf(c.category));
var dx = ["J06.900", "J18.900", "I10.x00", "E11.900", "K29.700", "I63.900", "M54.500", "N39.000", "C34.900", "J20.900"];
var institutions = ["H1", "H2", "H3", "H4"];
var doctors = Array.from({ length: 400 }, (_, i) => `DR${i}`);
var lineIds = Array.from({ length: CHUNK }, (_, i) => `L${i}`);
var encSeq = 0;
var day0 = 20089;
function makeChunk(n) {
  const cols = allocColumns(n);
  const encs = [];
  while (cols.length < n) {
    const inpatient = rnd() < 0.2;
    const nLines = Math.min(n - cols.length, inpatient ? 20 + Math.floor(rnd() * 80) : 2 + Math.floor(rnd() * 12));
    const day = day0 + Math.floor(rnd() * 365);
    const los = inpatient ? 1 + Math.floor(rnd() * 10) : 0;
    const iso = new Date(day * 864e5).toISOString().slice(0, 10);
    const out = new Date((day + los) * 864e5).toISOString().slice(0, 10);
    const inst = pick(institutions);
    const doc = pick(doctors);
    const e = {
      id: `E${encSeq++}`,
      institutionId: inst,
      departmentId: `${inst}-D1`,
      personId: `P${Math.floor(rnd() * 3e5)}`,
      doctorId: doc,
      kind: inpatient ? "inpatient" : "outpatient",
      benefitType: "general",
      scheme: rnd() < 0.5 ? "employee" : "resident",
      sex: rnd() < 0.5 ? "1" : "2",
      ageYears: Math.floor(rnd() * 90),
      ageDays: 0,
      birthWeightGrams: 0,
      admitDate: iso,
      dischargeDate: out,
      dischargeType: "1",
      losDays: los,
      diagnoses: [pick(dx), ...rnd() < 0.5 ? [pick(dx)] : []],
      procedures: []
    };
    const from = cols.length;
    for (let k = 0; k < nLines; k++) {
      const i = cols.length++;
      const c = rnd() < 0.03 ? Math.floor(rnd() * nNational) : nNational + Math.floor(rnd() * (codes.length - nNational));
      const d = day + (los > 0 ? Math.floor(rnd() * (los + 1)) : 0);
      const minute = 8 * 60 + Math.floor(rnd() * 600);
      cols.id[i] = lineIds[i];
      cols.encounterId[i] = e.id;
      cols.institutionId[i] = inst;
      cols.itemCode[i] = codes[c];
      cols.localCode[i] = "";
      cols.mappedCode[i] = "";
      cols.itemName[i] = "";
      cols.item[i] = itemIdx[c];
      cols.category[i] = cats[c];
      cols.quantity[i] = 1 + Math.floor(rnd() * 3);
      cols.unitPriceFen[i] = 100 + Math.floor(rnd() * 5e3);
      cols.amountFen[i] = cols.quantity[i] * cols.unitPriceFen[i];
      cols.doctorId[i] = doc;
      cols.departmentId[i] = e.departmentId;
      cols.chargedAt[i] = "";
      cols.tMin[i] = d * 1440 + minute;
    }
    encs.push({ e, from, to: cols.length });
  }
  return { cols, encs };
}
var byRule = /* @__PURE__ */ new Map();
var batch = createBatchAudit(plan);
var auditMs = 0;
var violations = 0;
var done = 0;
while (done < TOTAL) {
  const chunk = makeChunk(Math.min(CHUNK, TOTAL - done));
  const t0 = performance.now();
  for (const { e, from, to } of chunk.encs) violations += count(batch.add({ encounter: e, institutionLevel: e.institutionId === "H1" ? "1" : "3" }, chunk.cols, from, to));
  auditMs += performance.now() - t0;
  done += chunk.cols.length;
}
var t1 = performance.now();
var tf = performance.now();
var fin = batch.finish();
if (process.env.AUDIT_BENCH_DEBUG) console.log("finish ms", performance.now() - tf, "audit ms", globalThis.TA, "cross ms", globalThis.TC);
violations += fin.length;
if (process.env.AUDIT_BENCH_DEBUG) {
  const m = /* @__PURE__ */ new Map();
  for (const v of fin) m.set(v.ruleId, (m.get(v.ruleId) ?? 0) + 1);
  console.log("cross", [...m]);
}
auditMs += performance.now() - t1;
if (process.env.AUDIT_BENCH_DEBUG) console.log([...byRule].sort((a, b) => b[1] - a[1]));
var lps = done / auditMs * 1e3;
process.stdout.write(
  `batch audit: ${done.toLocaleString("en-US")} lines, ${batch.encounters.toLocaleString("en-US")} encounters, ${plan.rules.length} rules, ${plan.knowledgePoints} knowledge points
  ${(auditMs / 1e3).toFixed(2)} s engine time \u2192 ${Math.round(lps).toLocaleString("en-US")} lines/s (1 core; target \u2265 1,000,000) \xB7 ${violations.toLocaleString("en-US")} violations
`
);
var drugCodes = catalog.filter((c) => c.category === "drug").map((c) => c.code);
var lat = [];
for (let k = 0; k < 2e4; k++) {
  const req = {
    patient: { sex: rnd() < 0.5 ? "1" : "2", ageYears: Math.floor(rnd() * 90) },
    encounter: { kind: "outpatient", institutionId: "H2", institutionLevel: "2", doctorId: pick(doctors), admitDate: "2026-03-02", diagnoses: [pick(dx)] },
    order: { itemCode: pick(drugCodes), quantity: 2, at: "2026-03-02T10:00:00" },
    earlier: [{ itemCode: pick(codes), quantity: 1, at: "2026-03-02T09:00:00" }, { itemCode: pick(drugCodes), quantity: 1, at: "2026-03-02T09:10:00" }]
  };
  const t = performance.now();
  checkOrder(plan, req);
  lat.push(performance.now() - t);
}
lat.sort((a, b) => a - b);
var q = (p) => lat[Math.floor(p * (lat.length - 1))].toFixed(3);
process.stdout.write(`pre-order check (in-process, 20,000 requests with 2 earlier orders): p50 ${q(0.5)} ms \xB7 p99 ${q(0.99)} ms \xB7 max ${lat[lat.length - 1].toFixed(3)} ms
`);
function count(vs) {
  if (process.env.AUDIT_BENCH_DEBUG) for (const v of vs) byRule.set(v.ruleId, (byRule.get(v.ruleId) ?? 0) + 1);
  return vs.length;
}
