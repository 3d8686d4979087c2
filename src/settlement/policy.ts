/**
 * Settlement policy (结算政策) as versioned data: one file per pooling region (统筹区) and effective date
 * under data/policies/<regionCode>/<effectiveFrom>.json. This module holds the types and the zod schema
 * (validation at the boundary); the engine trusts a parsed {@link Policy}.
 *
 * Ratios are integer basis points (`…Bp`, 1/10000, so 96.1% = 9610 is exact); money is integer fen.
 * docs/settlement.md § Policy files documents every field with its source.
 */
import { z } from 'zod';
import { BENEFIT_TYPES, CHARGE_CATEGORIES, INSTITUTION_LEVELS, PERSON_TYPES, SCHEMES, issue, MedfundError } from '../domain/index.js';
import type { Issue, InstitutionLevel, PersonType, Scheme } from '../domain/index.js';

/**
 * Medical-assistance (医疗救助) eligibility categories: extreme-poverty 特困供养 · low-income 低保 ·
 * low-income-margin 低保边缘 · poverty-risk 防止返贫监测对象 (易返贫致贫人口).
 */
export const ASSISTANCE_CATEGORIES = ['extreme-poverty', 'low-income', 'low-income-margin', 'poverty-risk'] as const;
export type AssistanceCategory = (typeof ASSISTANCE_CATEGORIES)[number];

const fen = z.number().int('money must be integer fen').nonnegative();
const bp = z.number().int('ratios are integer basis points (1/10000)').min(0).max(10000);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date YYYY-MM-DD');
/** value per institution level 一级/二级/三级; a level missing means the policy does not cover it */
const byLevel = <T extends z.ZodType>(t: T) => z.partialRecord(z.enum(INSTITUTION_LEVELS), t);

export const SourceSchema = z.object({
  title: z.string().min(1),
  url: z.string().min(1),
  /** A official (gov.cn / policy text) · C secondary (repost, portal) — legend of shared/notes/settlement.md */
  reliability: z.enum(['A', 'B', 'C']),
  published: z.string().optional(),
  /** what the source supports in this file */
  supports: z.string().min(1),
});

/** One co-pay band 共付段/分段: from the previous band's upper bound to `upToFen` (null = no upper bound). */
export const BandSchema = z.object({
  upToFen: fen.nullable(),
  /** fund share 统筹基金支付比例 in this band, per institution level */
  fundRateBp: byLevel(bp),
});

export const DeductibleSchema = z.object({
  /** 起付线 of the first admission of the year, per level */
  byLevelFen: byLevel(fen),
  /**
   * Later admissions in the same year (第二次及以后): from admission number `fromAdmission` on, either
   * a share of the first-admission deductible (`permilleOfFirst`) or a fixed amount (`fixedFen`).
   * The last matching entry wins, so list them in ascending `fromAdmission`.
   */
  laterAdmissions: z
    .array(
      z.object({
        fromAdmission: z.number().int().min(2),
        permilleOfFirst: z.number().int().min(0).max(1000).optional(),
        fixedFen: fen.optional(),
      }),
    )
    .default([]),
  /** yearly total of deductibles 年度累计起付线上限 (e.g. Hunan 2300 元); null = none */
  yearlyCapFen: fen.nullable().default(null),
  /** persons at or above this age pay no deductible (e.g. ≥ 90); null = none */
  exemptFromAgeYears: z.number().int().min(0).nullable().default(null),
});

export const FundCapSchema = z.object({
  /** fund = cap on the fund's yearly payments; cost = cap on the yearly eligible cost admitted to the fund */
  basis: z.enum(['fund', 'cost']),
  amountFen: fen,
});

export const InpatientRuleSchema = z.object({
  /** person types this rule applies to; omitted = everyone (first matching rule wins) */
  personTypes: z.array(z.enum(PERSON_TYPES)).optional(),
  label: z.string().min(1),
  deductible: DeductibleSchema,
  /**
   * Where band boundaries are measured: encounter = this admission's eligible cost (from 0, the
   * deductible included); ytd-cost = the year's cumulative eligible cost (按年度累计分段).
   */
  bandBasis: z.enum(['encounter', 'ytd-cost']),
  bands: z.array(BandSchema).min(1),
  fundCap: FundCapSchema.nullable(),
});

export const OutpatientRuleSchema = z.object({
  personTypes: z.array(z.enum(PERSON_TYPES)).optional(),
  label: z.string().min(1),
  /** yearly deductible 门诊年度起付线 (taken once a year) */
  yearlyDeductibleFen: fen,
  fundRateBp: byLevel(bp),
  /**
   * optional bands on the year's cumulative outpatient eligible cost (from 0, the deductible included),
   * e.g. Beijing: up to 2万 70%, above 60%; when given they replace `fundRateBp`
   */
  bands: z.array(BandSchema).optional(),
  /** yearly limit of the fund's outpatient payments 年度最高支付限额 */
  yearlyFundCapFen: fen.nullable(),
});

export const ChronicRuleSchema = z.object({
  label: z.string().min(1),
  /** ICD-10 prefixes of the recognised 门诊慢特病 (principal diagnosis must match one) */
  diagnosisPrefixes: z.array(z.string().min(1)).min(1),
  yearlyDeductibleFen: fen,
  fundRateBp: byLevel(bp),
  yearlyFundCapFen: fen.nullable(),
});

/** Second tier 大额医疗费用补助 (employee) / 城乡居民大病保险 (resident). */
export const Tier2Schema = z.object({
  /** person types this second-tier rule applies to; omitted = everyone (first matching rule wins) */
  personTypes: z.array(z.enum(PERSON_TYPES)).optional(),
  kind: z.enum(['large-amount', 'critical-illness']),
  label: z.string().min(1),
  /**
   * Base accumulated over the year (合规费用口径): personal-copay = in-scope cost the person still bears
   * after the basic fund (起付线 + 共付段个人部分 + 封顶线以上), 先行自付 and 全自费 excluded;
   * above-basic-cap = only in-scope cost above the basic fund's cap.
   */
  base: z.enum(['personal-copay', 'above-basic-cap']),
  yearlyDeductibleFen: fen,
  /** bands on the year-cumulative base (from 0; the part below the deductible is never paid) */
  bands: z.array(z.object({ upToFen: fen.nullable(), rateBp: bp })).min(1),
  yearlyCapFen: fen.nullable(),
  /** which encounters feed the base */
  appliesTo: z.array(z.enum(['inpatient', 'chronic-special', 'outpatient'])).min(1),
});

/** Third tier 医疗救助: steps applied in order to what the person still bears in scope. */
export const AssistanceSchema = z.object({
  label: z.string().min(1),
  eligibleCategories: z.array(z.enum(ASSISTANCE_CATEGORIES)).min(1),
  steps: z
    .array(
      z.object({
        label: z.string().min(1),
        /** amount of the remaining in-scope personal part (this encounter) below which the step pays nothing */
        thresholdFen: fen,
        rateBp: bp,
      }),
    )
    .min(1),
  yearlyCapFen: fen.nullable(),
});

export const SchemePolicySchema = z.object({
  label: z.string().min(1),
  inpatient: z.array(InpatientRuleSchema).default([]),
  outpatient: z.array(OutpatientRuleSchema).default([]),
  chronicSpecial: z.array(ChronicRuleSchema).default([]),
  /** one rule, or several selected by person type; normalised to a list */
  tier2: z
    .union([Tier2Schema, z.array(Tier2Schema)])
    .nullable()
    .default(null)
    .transform((v) => (v === null ? [] : Array.isArray(v) ? v : [v])),
  assistance: AssistanceSchema.nullable().default(null),
  /** 个人账户 (employee scheme): may it also pay 全自费 and 超限价 parts? (regional, S39) */
  account: z.object({ paysFullSelfPay: z.boolean() }).nullable().default(null),
});

/** Item rules that override the catalog for some codes (e.g. implants: 50% first, then a fixed fund share). */
export const ItemRuleSchema = z.object({
  codePrefix: z.string().min(1),
  label: z.string().min(1),
  selfPayFirstPermille: z.number().int().min(0).max(1000).optional(),
  /** the in-scope part of these lines is paid at this fixed fund share, outside deductible and bands */
  fixedFundRateBp: bp.optional(),
});

export const PolicySchema = z.object({
  id: z.string().min(1),
  region: z.object({ code: z.string().regex(/^\d{6}$/), name: z.string().min(1) }),
  effectiveFrom: isoDate,
  effectiveTo: isoDate,
  sources: z.array(SourceSchema).min(1),
  notes: z.array(z.string()).default([]),
  lines: z
    .object({
      /** 乙类先行自付 per charge category when the catalog item carries none (permille) */
      defaultSelfPayFirstPermille: z.partialRecord(z.enum(CHARGE_CATEGORIES), z.number().int().min(0).max(1000)).default({}),
      itemRules: z.array(ItemRuleSchema).default([]),
    })
    .default({ defaultSelfPayFirstPermille: {}, itemRules: [] }),
  /** benefit types the basic scheme does not pay (paid by 工伤/生育 funds instead) */
  notCoveredBenefits: z.array(z.enum(BENEFIT_TYPES)).default(['work-injury', 'maternity']),
  schemes: z.partialRecord(z.enum(SCHEMES), SchemePolicySchema),
});

export type Policy = z.infer<typeof PolicySchema>;
export type SchemePolicy = z.infer<typeof SchemePolicySchema>;
export type InpatientRule = z.infer<typeof InpatientRuleSchema>;
export type OutpatientRule = z.infer<typeof OutpatientRuleSchema>;
export type ChronicRule = z.infer<typeof ChronicRuleSchema>;
export type Tier2 = z.infer<typeof Tier2Schema>;
export type Assistance = z.infer<typeof AssistanceSchema>;
export type Band = z.infer<typeof BandSchema>;
export type ItemRule = z.infer<typeof ItemRuleSchema>;

/** Parse a policy document; throws MedfundError listing every bad field (dotted path, value, reason). */
export function parsePolicy(json: unknown, origin = 'policy'): Policy {
  const r = PolicySchema.safeParse(json);
  if (!r.success) {
    const issues: Issue[] = r.error.issues.map((i) =>
      issue('invalid-policy', i.path.join('.'), `${origin}: ${i.message}`),
    );
    throw new MedfundError(issues);
  }
  const p = r.data;
  const problems: Issue[] = [];
  if (p.effectiveTo < p.effectiveFrom) problems.push(issue('invalid-policy', 'effectiveTo', `${origin}: effectiveTo ${p.effectiveTo} is before effectiveFrom ${p.effectiveFrom}`));
  for (const [scheme, sp] of Object.entries(p.schemes)) {
    sp?.inpatient.forEach((rule, i) => checkBands(rule.bands.map((b) => b.upToFen), `schemes.${scheme}.inpatient[${i}].bands`, origin, problems));
    sp?.tier2.forEach((t, i) => checkBands(t.bands.map((b) => b.upToFen), `schemes.${scheme}.tier2[${i}].bands`, origin, problems));
    sp?.outpatient.forEach((rule, i) => rule.bands && checkBands(rule.bands.map((b) => b.upToFen), `schemes.${scheme}.outpatient[${i}].bands`, origin, problems));
  }
  if (problems.length) throw new MedfundError(problems);
  return p;
}

function checkBands(ups: (number | null)[], path: string, origin: string, out: Issue[]): void {
  let prev = 0;
  ups.forEach((u, i) => {
    if (u === null) {
      if (i !== ups.length - 1) out.push(issue('invalid-policy', `${path}[${i}].upToFen`, `${origin}: only the last band may be open-ended (null)`));
      return;
    }
    if (u <= prev) out.push(issue('invalid-policy', `${path}[${i}].upToFen`, `${origin}: band bound ${u} must be greater than the previous bound ${prev}`));
    prev = u;
  });
}

/** Pick the first rule whose person-type selector matches. */
export function pickRule<T extends { personTypes?: PersonType[] | undefined }>(rules: readonly T[], personType: PersonType): T | undefined {
  for (const r of rules) if (!r.personTypes || r.personTypes.includes(personType)) return r;
  return undefined;
}

/** Policy in force for (region, date) among several versions; undefined when none. */
export function selectPolicy(policies: readonly Policy[], regionCode: string, date: string, scheme?: Scheme): Policy | undefined {
  let best: Policy | undefined;
  for (const p of policies) {
    if (p.region.code !== regionCode || date < p.effectiveFrom || date > p.effectiveTo) continue;
    if (scheme && !p.schemes[scheme]) continue;
    if (!best || p.effectiveFrom > best.effectiveFrom) best = p;
  }
  return best;
}

export type { InstitutionLevel };

/**
 * Stand-ins when a region has no policy set of its own (the synthetic demo region): employees under
 * the Beijing set (it has 门诊统筹, multi-band inpatient rates and 大额互助; its year is not stated by
 * the source, see its notes), residents under Changzhou 2022. Used by the demo step and the server's
 * simulation so both settle the same way.
 */
export const STAND_IN_POLICIES = { employee: '110000-employee-banzhengshi', resident: '320400-2022-resident' } as const;
