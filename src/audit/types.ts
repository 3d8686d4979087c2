/**
 * Rule library and knowledge types of the audit engine (智能审核规则库 / 知识库), with zod schemas used
 * once when data are loaded (never in the hot path). Identifiers are English; the Chinese terms are
 * in comments and docs/rules.md.
 */
import { z } from 'zod';
import { IRREGULARITY_TYPES, INSTITUTION_LEVELS, ENCOUNTER_KINDS, SCHEMES } from '../domain/index.js';
import type { IrregularityType, Encounter, InstitutionLevel, CatalogItem, CodeMapping } from '../domain/index.js';

/** Run modes: pre 事前 (order entry) · in 事中 (real-time) · post 事后 (batch). */
export const AUDIT_MODES = ['pre', 'in', 'post'] as const;
export type AuditMode = (typeof AUDIT_MODES)[number];

/** Actions on a hit: remind 提醒 · block 拦截 · refer 转人工 · deduct 扣款. */
export const AUDIT_ACTIONS = ['remind', 'block', 'refer', 'deduct'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const ACTION_ZH: Record<AuditAction, string> = { remind: '提醒', block: '拦截', refer: '转人工', deduct: '扣款' };

/** 规则运行结果类型: definite 明确 · suspicious 可疑. */
export const RESULT_TYPES = ['definite', 'suspicious'] as const;
export type ResultType = (typeof RESULT_TYPES)[number];
export const RESULT_TYPE_ZH: Record<ResultType, string> = { definite: '明确', suspicious: '可疑' };

/** Rule categories: policy 政策类 · management 管理类 · medical 医疗类 (national tiers) · behaviour 行为类 (MedFund). */
export const RULE_CATEGORIES = ['policy', 'management', 'medical', 'behaviour'] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/**
 * Evaluator kinds. Every rule names one; docs/rules.md documents each. The national class a rule
 * implements is in `nationalClasses`.
 */
export const RULE_KINDS = [
  // line-level item restrictions (知识库 item facts)
  'item-sex', // 限性别
  'item-age', // 限年龄/儿童/新生儿
  'item-institution-level', // 限医疗机构级别
  'item-indication', // 限定支付范围/限适应症
  'item-benefit-type', // 限工伤/生育
  'item-visit-type', // 限就医方式
  'item-online-scope', // 超互联网医院药品支付范围
  'item-not-payable', // 中药饮片不予支付
  'item-price-cap', // 超标准收费
  'item-daily-quantity', // 超限定频次/数量
  'item-stay-quantity', // 按日计价项目超住院天数
  'item-course-days', // 限支付疗程
  'item-period-frequency', // 周期超频次
  'item-pair', // 重复收费 / 互斥 / 药品相互作用 / 配伍禁忌
  'item-companion', // 药品/耗材与医疗服务项目不符
  'item-department', // 医疗服务项目限科室使用 / 医用耗材与科室不符
  'unbundling', // 分解收费
  'surgery-discount', // 手术项目未按规定折价收费
  'drug-substitution', // 串换药品
  'drug-atc-age', // 药品儿童禁用 / 老年人用药安全
  'drug-atc-diagnosis', // 药品禁忌症 / 妊娠期用药
  'drug-duplication', // 重复开药
  'drug-kinds', // 药品种类超标
  'drug-oversupply', // 超量开药 / 限最大开药量
  'drug-second-line', // 药品限二线使用
  'antibiotic-without-indication', // 无指征使用抗菌药物
  'antibiotic-tier', // 抗菌药物分级使用管理
  'antibiotic-perioperative', // 围手术期抗菌药物预防性应用
  'herb-prescription', // 中药饮片超大处方 / 超量
  'exam-indication', // 过度检查 / 无指征检验检查
  'service-contraindication', // 医疗服务项目禁忌症
  'diagnosis-evidence', // 高编高套 / 疾病诊断编码异常
  'diagnosis-sex', // 诊断与患者性别不符
  'diagnosis-age', // 诊断与患者年龄不符
  'procedure-sex', // 手术操作编码与性别不符
  'procedure-code', // 手术操作编码异常
  'diagnosis-procedure', // 诊断编码与手术操作编码不符
  'settlement-list', // 医保结算清单信息异常
  'line-data', // 结算明细信息异常
  'charge-outside-stay', // 计费日期与住院时间不符
  'phantom-stay', // 挂床住院
  'low-standard-admission', // 低标准入院
  'cost-share', // 药费/检查/耗材/治疗/CT/MRI 占比
  'split-admission', // 分解住院
  'readmission', // 非计划再入院
  'frequent-visits', // 频繁门诊/购药/住院, 高频就诊
  'doctor-high-frequency', // 医师高频开药
  'peer-cost-outlier', // 单次费用超同组均值N倍
  'cost-shifting', // 转嫁费用
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const RuleSchema = z.object({
  id: z.string().regex(/^[A-Z0-9-]+$/, 'rule ids are upper-case letters, digits and dashes'),
  version: z.number().int().positive(),
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  kind: z.enum(RULE_KINDS),
  category: z.enum(RULE_CATEGORIES),
  scope: z.object({
    encounterKinds: z.array(z.enum(ENCOUNTER_KINDS)).min(1),
    institutionLevels: z.array(z.enum(INSTITUTION_LEVELS)).min(1),
    schemes: z.array(z.enum(SCHEMES)).min(1),
  }),
  modes: z.array(z.enum(AUDIT_MODES)).min(1),
  action: z.enum(AUDIT_ACTIONS),
  resultType: z.enum(RESULT_TYPES),
  /** 时间区间, e.g. 当次住院 / 单日 / 自然年 */
  timeWindow: z.string().min(1),
  /** 应用场景: 住院 / 门（急）诊 / 购药 / 互联网诊疗 */
  scenarios: z.array(z.string()).min(1),
  /** 监管环节 事前/事中/事后 as published; modes is what this engine runs */
  stage: z.array(z.string()).min(1),
  /** 2025-edition class numbers (1–88) this rule implements */
  nationalClasses: z.array(z.number().int().min(1).max(88)),
  /** generator irregularity type this rule detects (for --evaluate) */
  irregularityType: z.enum(IRREGULARITY_TYPES).optional(),
  /** knowledge source: `nhsa:<file slug>` · `catalog` · `medfund:<table>` · `none` */
  knowledge: z.array(z.string()).min(1),
  params: z.record(z.string(), z.unknown()),
  /** Chinese message template; `{name}` placeholders are filled from the violation's evidence */
  evidenceTemplate: z.string().min(1),
  effectiveFrom: isoDate,
  effectiveTo: isoDate,
  source: z.string().min(1),
});
export type RuleDef = z.infer<typeof RuleSchema>;

export const RuleLibrarySchema = z.object({
  library: z.string().min(1),
  version: z.string().min(1),
  effectiveFrom: isoDate,
  source: z.string().min(1),
  rules: z.array(RuleSchema).min(1),
});
export type RuleLibraryFile = z.infer<typeof RuleLibrarySchema>;

/** One NHSA knowledge point (FORMAT.md §4), trimmed to what the engine reads. */
export const NhsaRowSchema = z.object({
  id: z.string().min(1),
  itemName: z.string(),
  codes: z.array(z.string().min(1)),
  params: z.record(z.string(), z.unknown()),
  basisText: z.string().nullable(),
  publishedAt: z.string(),
  supersededBy: z.string().nullable(),
});
export type NhsaRow = z.infer<typeof NhsaRowSchema>;

export const NhsaKnowledgeFileSchema = z.object({
  ruleClassZh: z.string(),
  edition2025Seq: z.number().int(),
  itemKind: z.enum(['drug', 'service', 'herb']),
  rows: z.array(NhsaRowSchema),
});
export type NhsaKnowledgeFile = z.infer<typeof NhsaKnowledgeFileSchema>;

export const NationalClassSchema = z.object({
  seq: z.number().int().min(1).max(88),
  nameZh: z.string(),
  nameEn: z.string(),
  tier1Zh: z.string(),
  code1_0: z.string().nullable(),
  knowledgeFile: z.string().nullable(),
});
export type NationalClass = z.infer<typeof NationalClassSchema>;

/** data/knowledge/diagnosis-evidence.json (shared with the generator). */
export const DiagnosisEvidenceSchema = z.object({
  version: z.string(),
  effectiveFrom: isoDate,
  source: z.string(),
  entries: z.array(
    z.object({
      diagnosisPrefix: z.string().min(1),
      nameZh: z.string(),
      evidenceItemCodes: z.array(z.string()),
      evidenceNameKeywords: z.array(z.string()),
    }),
  ),
});
export type DiagnosisEvidence = z.infer<typeof DiagnosisEvidenceSchema>;

/** data/knowledge/exam-indications.json (shared with the generator). */
export const ExamIndicationsSchema = z.object({
  version: z.string(),
  effectiveFrom: isoDate,
  source: z.string(),
  entries: z.array(
    z.object({ itemCode: z.string().min(1), nameZh: z.string(), indicationPrefixes: z.array(z.string().min(1)).min(1) }),
  ),
});
export type ExamIndications = z.infer<typeof ExamIndicationsSchema>;

/** MedFund clinical knowledge (data/rules/knowledge/clinical.json): ATC / ICD prefix tables. */
export const ClinicalKnowledgeSchema = z.object({
  version: z.string(),
  effectiveFrom: isoDate,
  source: z.string(),
  /** ATC prefixes of systemic antibacterials (J01) etc. */
  antibacterialAtc: z.array(z.string()),
  /** ICD-10 prefixes that indicate an infection */
  infectionDiagnosisPrefixes: z.array(z.string()),
  /** 特殊使用级 antibacterials and the titles allowed to prescribe them */
  restrictedAntibacterials: z.array(z.object({ atcPrefix: z.string(), nameZh: z.string() })),
  restrictedAntibacterialTitles: z.array(z.string()),
  atcAgeLimits: z.array(
    z.object({ table: z.string(), atcPrefix: z.string(), nameZh: z.string(), minAgeYears: z.number().int().optional(), maxAgeYears: z.number().int().optional(), reason: z.string() }),
  ),
  atcDiagnosisContraindications: z.array(
    z.object({ table: z.string(), atcPrefix: z.string(), diagnosisPrefixes: z.array(z.string()).min(1), nameZh: z.string(), reason: z.string() }),
  ),
  atcInteractions: z.array(z.object({ a: z.string(), b: z.string(), nameZh: z.string(), reason: z.string() })),
  diagnosisSex: z.array(z.object({ prefix: z.string(), sex: z.enum(['1', '2']), nameZh: z.string() })),
  diagnosisAge: z.array(z.object({ prefix: z.string(), minAgeYears: z.number().int().optional(), maxAgeYears: z.number().int().optional(), nameZh: z.string() })),
  procedureSex: z.array(z.object({ prefix: z.string(), sex: z.enum(['1', '2']), nameZh: z.string() })),
  procedureDiagnosis: z.array(z.object({ procedurePrefix: z.string(), diagnosisPrefixes: z.array(z.string()).min(1), nameZh: z.string() })),
  serviceContraindications: z.array(z.object({ nameKeyword: z.string(), diagnosisPrefixes: z.array(z.string()).min(1), reason: z.string() })),
  companions: z.array(z.object({ table: z.string(), nameKeyword: z.string(), requiresAnyNameKeyword: z.array(z.string()).min(1), reason: z.string() })),
  herbIncompatibilities: z.array(z.object({ a: z.array(z.string()).min(1), b: z.array(z.string()).min(1), nameZh: z.string() })),
  indicationKeywords: z.array(z.object({ keyword: z.string(), diagnosisPrefixes: z.array(z.string()).min(1) })),
  /** 限科室: items (by national code prefix or name keyword; "a&b" = both parts) only the listed 科别代码 prefixes may order */
  departmentRestrictions: z
    .array(
      z.object({
        table: z.enum(['service', 'consumable']),
        nameZh: z.string(),
        codePrefixes: z.array(z.string().min(1)),
        nameKeywords: z.array(z.string().min(1)),
        deptPrefixes: z.array(z.string().min(1)).min(1),
        basis: z.string(),
      }),
    )
    .default([]),
  /** 分解收费: a package whose components must not be billed separately while its context item is billed the same day */
  unbundlingPackages: z
    .array(
      z.object({
        nameZh: z.string(),
        packageCodes: z.array(z.string().min(1)).min(1),
        componentCodes: z.array(z.string().min(1)).min(1),
        contextPrefixes: z.array(z.string().min(1)).min(1),
        contextExcludeCodes: z.array(z.string().min(1)).default([]),
        basis: z.string(),
      }),
    )
    .default([]),
});
export type ClinicalKnowledge = z.infer<typeof ClinicalKnowledgeSchema>;

/** Everything the compiler needs: the rule library plus the knowledge it reads. Pure data. */
export interface RuleLibrary {
  readonly rules: RuleLibraryFile;
  readonly nationalClasses: readonly NationalClass[];
  /** NHSA knowledge files keyed by slug (e.g. `drug-sex`) */
  readonly nhsa: Readonly<Record<string, NhsaKnowledgeFile>>;
  readonly diagnosisEvidence?: DiagnosisEvidence;
  readonly examIndications?: ExamIndications;
  readonly clinical: ClinicalKnowledge;
}

/** Region data the plan binds to (catalog, code mappings, practitioners' titles). */
export interface RegionKnowledge {
  readonly catalog: readonly CatalogItem[];
  readonly codeMappings: readonly CodeMapping[];
  /** doctorId → professional title (for antibiotic tiers) */
  readonly practitionerTitles?: ReadonlyMap<string, string>;
  /** departmentId → 科别代码 (e.g. A05.02), for department restrictions */
  readonly departmentCodes?: ReadonlyMap<string, string>;
}

/** An encounter as the engine sees it: the domain encounter plus its institution's level. */
export interface AuditEncounter {
  readonly encounter: Encounter;
  readonly institutionLevel: InstitutionLevel;
}

/** One violation (违规) with evidence and amount at stake (违规金额, fen). */
export interface Violation {
  ruleId: string;
  ruleVersion: number;
  kind: RuleKind;
  nationalClasses: number[];
  /** generator irregularity type when the rule detects one of those */
  type?: IrregularityType;
  resultType: ResultType;
  action: AuditAction;
  encounterId: string;
  institutionId: string;
  departmentId: string;
  doctorId: string;
  lineIds: string[];
  amountFen: number;
  /** Chinese message from the rule's evidence template */
  message: string;
  evidence: Record<string, unknown>;
}

/** Alert of the real-time (事中) mode: a violation plus the id of the line that triggered it. */
export interface Alert extends Violation {
  /** stable key: the same alert is never emitted twice (restart-safe de-duplication) */
  alertKey: string;
  triggerLineId: string;
}
