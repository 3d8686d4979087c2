/**
 * Line classification (费用明细分类): splits one fee line into 全自费 / 超限价 / 先行自付 / 符合政策范围
 * (fields fulamt_ownpay_amt, overlmt_amt, preselfpay_amt, inscp_scp_amt of the national 2301 output).
 * Order (shared/notes/settlement.md §2.2): not covered → restriction not met → price cap → 先行自付.
 */
import { roundFen } from '../domain/index.js';
import type { BenefitType, CatalogItem, ChargeCategory, Fen, InstitutionLevel, PayClass, Sex } from '../domain/index.js';
import type { Policy } from './policy.js';

/** What the engine needs of a catalog item (a CatalogItem satisfies it). */
export type CatalogEntry = Pick<CatalogItem, 'payClass' | 'priceCapFen' | 'selfPayFirstPermille' | 'restrictions'>;
export type CatalogLookup = (code: string) => CatalogEntry | undefined;

/** What the engine needs of a fee line (a SettlementLine satisfies it). */
export interface LineInput {
  readonly id: string;
  readonly itemCode: string;
  readonly category: ChargeCategory;
  readonly payClass: PayClass;
  readonly quantity: number;
  readonly unitPriceFen: Fen;
  readonly amountFen: Fen;
}

/**
 * Why a line (or part of it) is the patient's: class-c 丙类/目录外 · not-in-catalog 目录外 (unknown
 * code) · restricted-* 限定支付范围 not met · over-price-cap 超限价 · self-pay-first 乙类先行自付 ·
 * in-scope 符合政策范围 (fund rules apply).
 */
export const LINE_REASONS = [
  'in-scope',
  'self-pay-first',
  'over-price-cap',
  'class-c',
  'not-in-catalog',
  'restricted-sex',
  'restricted-age',
  'restricted-level',
  'restricted-indication',
  'restricted-benefit',
] as const;
export type LineReason = (typeof LINE_REASONS)[number];

export interface ClassifyContext {
  readonly sex: Sex;
  readonly ageYears: number;
  readonly level: InstitutionLevel;
  readonly diagnoses: readonly string[];
  readonly benefitType: BenefitType;
}

export interface LineSplit {
  payClass: PayClass;
  fullSelfPayFen: Fen;
  overLimitFen: Fen;
  preSelfPayFen: Fen;
  inScopeFen: Fen;
  /** fixed fund share for this line (item rule), or -1 when the normal deductible/band rules apply */
  fixedFundRateBp: number;
  reason: LineReason;
}

const LEVEL_RANK: Record<InstitutionLevel, number> = { '1': 1, '2': 2, '3': 3 };

/** Split one line. Pure; `item` undefined means the code is not in the catalog (then 全自费 unless the line says 甲/乙). */
export function classifyLine(line: LineInput, item: CatalogEntry | undefined, ctx: ClassifyContext, policy: Policy, reuse?: LineSplit): LineSplit {
  const amount = line.amountFen;
  const payClass = item ? item.payClass : line.payClass;
  // `reuse` lets the hot loop of settle() classify without allocating one object per line
  const out: LineSplit = reuse ?? { payClass, fullSelfPayFen: 0, overLimitFen: 0, preSelfPayFen: 0, inScopeFen: 0, fixedFundRateBp: -1, reason: 'in-scope' };
  if (reuse) {
    out.payClass = payClass; out.fullSelfPayFen = 0; out.overLimitFen = 0; out.preSelfPayFen = 0; out.inScopeFen = 0; out.fixedFundRateBp = -1; out.reason = 'in-scope';
  }
  if (payClass === 'C') {
    out.fullSelfPayFen = amount;
    out.reason = item ? 'class-c' : 'not-in-catalog';
    return out;
  }
  if (item) {
    const r = item.restrictions;
    let failed: LineReason | undefined;
    if (r.sex !== undefined && r.sex !== ctx.sex) failed = 'restricted-sex';
    else if ((r.minAgeYears !== undefined && ctx.ageYears < r.minAgeYears) || (r.maxAgeYears !== undefined && ctx.ageYears > r.maxAgeYears)) failed = 'restricted-age';
    else if (r.minInstitutionLevel !== undefined && LEVEL_RANK[ctx.level] < LEVEL_RANK[r.minInstitutionLevel]) failed = 'restricted-level';
    else if (r.benefitTypes !== undefined && r.benefitTypes.length > 0 && !r.benefitTypes.includes(ctx.benefitType)) failed = 'restricted-benefit';
    else if (r.indicationPrefixes !== undefined && r.indicationPrefixes.length > 0 && !matchesAny(ctx.diagnoses, r.indicationPrefixes)) failed = 'restricted-indication';
    if (failed) {
      out.fullSelfPayFen = amount;
      out.reason = failed;
      return out;
    }
    if (item.priceCapFen > 0 && line.unitPriceFen > item.priceCapFen) {
      // 超限价: the part of the amount above quantity × cap is the patient's (the hospital's, if the region says so).
      const allowed = Math.min(amount, roundFen(line.quantity * item.priceCapFen));
      out.overLimitFen = amount - allowed;
      out.reason = 'over-price-cap';
    }
  }
  const base = amount - out.overLimitFen;
  let permille = 0;
  if (payClass === 'B') {
    permille = item && item.selfPayFirstPermille > 0 ? item.selfPayFirstPermille : (policy.lines.defaultSelfPayFirstPermille[line.category] ?? 0);
  }
  const rules = policy.lines.itemRules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (line.itemCode.startsWith(rule.codePrefix)) {
      if (rule.selfPayFirstPermille !== undefined) permille = rule.selfPayFirstPermille;
      if (rule.fixedFundRateBp !== undefined) out.fixedFundRateBp = rule.fixedFundRateBp;
      break;
    }
  }
  if (permille > 0) {
    // 先行自付 rounded half-up to the fen per line (E2: 31.77 × 10% = 3.177 → 3.18).
    out.preSelfPayFen = roundFen((base * permille) / 1000);
    if (out.reason === 'in-scope') out.reason = 'self-pay-first';
  }
  out.inScopeFen = base - out.preSelfPayFen;
  return out;
}

function matchesAny(diagnoses: readonly string[], prefixes: readonly string[]): boolean {
  for (const d of diagnoses) for (const p of prefixes) if (d.startsWith(p)) return true;
  return false;
}
