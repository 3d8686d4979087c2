/**
 * DRG payment arithmetic (费率法) — docs/formulas.md § DRG payment. Pure; every fen rounding goes
 * through roundFen and is named here:
 *
 *   rate R (fen per 1.0 RW) = roundFen(F / W)             F = budget / reimbursement ratio (or given)
 *   standard payment P       = roundFen(RW × R)           (支付标准)
 *   ρ                         = case cost / reference cost of the DRG (avg cost, or P)
 *   high multiple (高倍率)     pay = P + roundFen(P × (ρ − k) × β)      ρ above the tier threshold k
 *   low multiple (低倍率)      pay = roundFen(P × ρ) capped at P, or the case cost
 *   ambiguous / unassigned    pay = roundFen(cost × discount)          (歧义组 / 未入组, local rule)
 *   special review (特例单议)  pay = case cost, pending expert review
 *
 * Sources: notes S1–S3 (费率/点数法, 高低倍率 tiers), S7 (特例单议 ≤ 5 % of DRG discharges), S8 (exclusions).
 * Every threshold is a regional parameter (data/payment/drg/*.json), never a constant here.
 */
import { roundFen, type Fen } from '../domain/index.js';

export const CASE_TYPES = ['normal', 'high-multiple', 'low-multiple', 'unassigned', 'ambiguous', 'special-review'] as const;
/** normal 正常倍率 · high-multiple 高倍率 · low-multiple 低倍率 · unassigned 未入组 · ambiguous 歧义组 · special-review 特例单议 */
export type CaseType = (typeof CASE_TYPES)[number];

/** Versioned DRG payment parameters of one region and period (data/payment/drg/<id>.json). */
export interface DrgPaymentParams {
  readonly id: string;
  readonly region: string;
  readonly scheme: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string;
  readonly source: string;
  /**
   * budget: F = budgetFen / reimbursementRatio (预算法);
   * trend:  F = last period's total inpatient charges × (1 + costGrowth) (趋势法).
   * Both: W = Σ n_i (1 + volumeGrowth) RW_i.
   */
  readonly rate:
    | {
        readonly method: 'budget';
        /** annual DRG fund budget 年度DRG医保基金预算 (fen) */
        readonly budgetFen: Fen;
        /** 医保报销比例 r */
        readonly reimbursementRatio: number;
        readonly volumeGrowth: number;
      }
    | { readonly method: 'trend'; readonly costGrowth: number; readonly volumeGrowth: number };
  readonly weights: {
    readonly trim: { readonly method: 'none' } | { readonly method: 'iqr'; readonly k: number } | { readonly method: 'log-sd'; readonly a: number } | { readonly method: 'percentile'; readonly lower: number; readonly upper: number };
    readonly decimals: number;
    readonly minCases: number;
  };
  readonly highMultiple: {
    /** tiers by weight: the first tier whose maxWeight ≥ RW (null = no upper bound) gives k */
    readonly tiers: readonly { readonly maxWeight: number | null; readonly threshold: number }[];
    /** true: ρ ≥ k counts as high; false: ρ > k */
    readonly inclusive: boolean;
    /** β: share of the cost above k × reference that is paid */
    readonly extraFactor: number;
  };
  readonly lowMultiple: {
    readonly threshold: number;
    /** true: ρ ≤ threshold counts as low; false: ρ < threshold */
    readonly inclusive: boolean;
    /** ratio: P × ρ capped at P; cost: the case cost capped at P */
    readonly pay: 'ratio' | 'cost';
  };
  /** ρ is cost / average cost of the DRG, or cost / standard payment */
  readonly reference: 'average-cost' | 'standard-payment';
  readonly specialReview: {
    /** LOS at or above this goes to 特例单议 (null = off) */
    readonly losDaysAtLeast: number | null;
    /** ρ at or above this goes to 特例单议 (null = off) */
    readonly costMultipleAtLeast: number | null;
    /** share of DRG discharges allowed for 特例单议 (reported, not enforced per case) */
    readonly quotaShare: number;
  };
  readonly ambiguous: { readonly discount: number };
  readonly unassigned: { readonly discount: number };
  readonly settlement: {
    /** 结余留用: largest surplus share of A the hospital keeps (null = no cap) */
    readonly surplusRetainCap: number | null;
    /** 超支分担: overspend up to this share of A is shared … */
    readonly overspendShareLimit: number;
    /** … with the fund paying this part of it */
    readonly overspendFundShare: number;
  };
  /** warning levels of pre-discharge prediction: projected margin / standard payment */
  readonly prediction: { readonly watchBelow: number; readonly alertBelow: number };
}

/** Rate of one year: F, W and R (fen per 1.0 RW). */
export interface RateResult {
  readonly forecastTotalFen: Fen;
  readonly totalWeight: number;
  readonly ratePerWeightFen: Fen;
}

/**
 * Base rate (费率法): F from the budget (B / r) or the trend (last total × (1 + g)),
 * W = Σ n_i (1 + volume growth) RW_i, R = roundFen(F / W) fen per 1.0 RW.
 *
 * @example
 * computeRate({ method: 'budget', budgetFen: 2_040_000_000, reimbursementRatio: 0.75, volumeGrowth: 0.05 },
 *   [{ weight: 0.5333, cases: 1000 }, { weight: 1.3333, cases: 500 }, { weight: 4, cases: 100 }]);
 * // { forecastTotalFen: 2_720_000_000, totalWeight: 1679.9475, ratePerWeightFen: 1_619_098 }
 */
export function computeRate(
  rate: DrgPaymentParams['rate'],
  volume: Iterable<{ readonly weight: number; readonly cases: number }>,
  historyTotalFen?: Fen,
): RateResult {
  let forecastTotalFen: Fen;
  if (rate.method === 'budget') {
    if (!(rate.reimbursementRatio > 0 && rate.reimbursementRatio <= 1)) {
      throw new RangeError(`reimbursementRatio must be in (0, 1]: ${rate.reimbursementRatio}`);
    }
    forecastTotalFen = roundFen(rate.budgetFen / rate.reimbursementRatio);
  } else {
    if (historyTotalFen === undefined) throw new RangeError('the trend method needs the history total charges (historyTotalFen)');
    forecastTotalFen = roundFen(historyTotalFen * (1 + rate.costGrowth));
  }
  let w = 0;
  for (const v of volume) w += v.cases * (1 + rate.volumeGrowth) * v.weight;
  if (!(w > 0)) throw new RangeError('total forecast weight is zero: no grouped cases with weights');
  return { forecastTotalFen, totalWeight: Math.round(w * 1e6) / 1e6, ratePerWeightFen: roundFen(forecastTotalFen / w) };
}

/** Standard payment of a DRG: roundFen(RW × R). */
export function standardPaymentFen(weight: number, ratePerWeightFen: Fen): Fen {
  return roundFen(weight * ratePerWeightFen);
}

/** What priceCase needs about one case. */
export interface PriceInput {
  /** grouping status and code (GroupResult works) */
  readonly status: string;
  readonly drg: string;
  /** total charges of the stay (fen) */
  readonly costFen: Fen;
  readonly losDays: number;
  /** optional: what the patient pays by item (个人负担); the fund pays the rest of the DRG payment */
  readonly patientPaidFen?: Fen;
}

/** Weight and reference values of one DRG (a row of drg_weights). */
export interface DrgReference {
  readonly weight: number;
  readonly avgCostFen: Fen;
  readonly avgLosDays: number;
}

export interface CasePayment {
  readonly caseType: CaseType;
  readonly weight: number;
  readonly standardPaymentFen: Fen;
  /** what the hospital is paid for the case under DRG */
  readonly paymentFen: Fen;
  /** paymentFen − patientPaidFen (never below 0); equals paymentFen when no patient part given */
  readonly fundPaymentFen: Fen;
  /** paymentFen − costFen (结余 > 0, 超支 < 0) */
  readonly marginFen: Fen;
  /** ρ = cost / reference cost (NaN when there is no reference) */
  readonly costRatio: number;
  /** the high-multiple threshold k that applied */
  readonly highThreshold?: number;
  /** flagged for 特例单议 */
  readonly specialReview: boolean;
  /** why, in words (Chinese first) */
  readonly reason: string;
}

/**
 * Price one grouped case (per-case DRG payment with high/low-multiple handling).
 *
 * @example
 * const ref = { weight: 1.3333, avgCostFen: 2_000_000, avgLosDays: 8 };
 * priceCase({ status: 'SUCCESS', drg: 'FR23', costFen: 1_800_000, losDays: 7 }, ref, 1_619_098, params);
 * // { caseType: 'normal', standardPaymentFen: 2_158_743, paymentFen: 2_158_743, marginFen: 358_743, … }
 */
export function priceCase(
  input: PriceInput,
  reference: DrgReference | undefined,
  ratePerWeightFen: Fen,
  params: DrgPaymentParams,
): CasePayment {
  const cost = input.costFen;
  const fundOf = (pay: Fen) => (input.patientPaidFen === undefined ? pay : Math.max(0, pay - input.patientPaidFen));
  const byItems = (caseType: CaseType, discount: number, reason: string): CasePayment => {
    const pay = roundFen(cost * discount);
    return {
      caseType,
      weight: 0,
      standardPaymentFen: 0,
      paymentFen: pay,
      fundPaymentFen: fundOf(pay),
      marginFen: pay - cost,
      costRatio: NaN,
      specialReview: false,
      reason,
    };
  };
  if (input.status === 'QY') {
    return byItems('ambiguous', params.ambiguous.discount, `歧义组，按项目 × ${params.ambiguous.discount} 支付 / ambiguous group: items × ${params.ambiguous.discount}`);
  }
  if (input.status !== 'SUCCESS' || !reference) {
    return byItems(
      'unassigned',
      params.unassigned.discount,
      reference || input.status !== 'SUCCESS'
        ? `未入组（${input.status}），按项目 × ${params.unassigned.discount} 支付 / not grouped (${input.status}): items × ${params.unassigned.discount}`
        : `DRG ${input.drg} 无权重，按项目 × ${params.unassigned.discount} 支付 / DRG ${input.drg} has no weight: items × ${params.unassigned.discount}`,
    );
  }
  const std = standardPaymentFen(reference.weight, ratePerWeightFen);
  const refCost = params.reference === 'average-cost' ? reference.avgCostFen : std;
  const rho = refCost > 0 ? cost / refCost : NaN;
  const tier = params.highMultiple.tiers.find((t) => t.maxWeight === null || reference.weight <= t.maxWeight);
  const k = tier?.threshold ?? Infinity;
  const base = { weight: reference.weight, standardPaymentFen: std, costRatio: Math.round(rho * 1e4) / 1e4, highThreshold: k };
  const sr = params.specialReview;
  if ((sr.losDaysAtLeast !== null && input.losDays >= sr.losDaysAtLeast) || (sr.costMultipleAtLeast !== null && rho >= sr.costMultipleAtLeast)) {
    return {
      ...base,
      caseType: 'special-review',
      paymentFen: cost,
      fundPaymentFen: fundOf(cost),
      marginFen: 0,
      specialReview: true,
      reason: `特例单议：住院 ${input.losDays} 天，费用为参考值的 ${base.costRatio} 倍，暂按项目支付待专家评审 / special review: LOS ${input.losDays}, cost ratio ${base.costRatio}; paid by items pending review`,
    };
  }
  const high = params.highMultiple.inclusive ? rho >= k : rho > k;
  if (high) {
    const extra = roundFen(std * (rho - k) * params.highMultiple.extraFactor);
    const pay = std + extra;
    return {
      ...base,
      caseType: 'high-multiple',
      paymentFen: pay,
      fundPaymentFen: fundOf(pay),
      marginFen: pay - cost,
      specialReview: false,
      reason: `高倍率：ρ=${base.costRatio} > ${k}，追加 ${extra} 分 / high multiple: ρ ${base.costRatio} above ${k}, extra ${extra} fen`,
    };
  }
  const low = params.lowMultiple.inclusive ? rho <= params.lowMultiple.threshold : rho < params.lowMultiple.threshold;
  if (low) {
    const pay = Math.min(std, params.lowMultiple.pay === 'ratio' ? roundFen(std * rho) : cost);
    return {
      ...base,
      caseType: 'low-multiple',
      paymentFen: pay,
      fundPaymentFen: fundOf(pay),
      marginFen: pay - cost,
      specialReview: false,
      reason: `低倍率：ρ=${base.costRatio} < ${params.lowMultiple.threshold} / low multiple: ρ ${base.costRatio} below ${params.lowMultiple.threshold}`,
    };
  }
  return {
    ...base,
    caseType: 'normal',
    paymentFen: std,
    fundPaymentFen: fundOf(std),
    marginFen: std - cost,
    specialReview: false,
    reason: `正常倍率：按支付标准 ${std} 分 / normal: standard payment ${std} fen`,
  };
}

export interface HospitalSettlement {
  /** A: Σ case payments; C: Σ case charges */
  readonly paymentFen: Fen;
  readonly chargesFen: Fen;
  /** A − C */
  readonly balanceFen: Fen;
  /** 结余率 (A − C) / A */
  readonly balanceRate: number;
  /** what the hospital finally receives */
  readonly finalPaymentFen: Fen;
  /** surplus the hospital keeps (结余留用) */
  readonly retainedSurplusFen: Fen;
  /** fund's share of an overspend (超支分担) */
  readonly fundShareOfOverspendFen: Fen;
  /** overspend the hospital bears */
  readonly hospitalBearsFen: Fen;
}

/**
 * Year-end 结余留用 / 超支分担 for one hospital (notes § 1.5):
 * A ≥ C: keep the surplus, capped so the surplus rate is at most `surplusRetainCap`
 *        (final = min(A, roundFen(C / (1 − cap)))).
 * A < C: an overspend of at most `overspendShareLimit` × A is shared, the fund paying
 *        roundFen(α × (C − A)); a larger overspend is borne by the hospital.
 *
 * @example
 * settleHospital(1_000_000_000, 1_060_000_000, params.settlement).fundShareOfOverspendFen; // 30_000_000
 */
export function settleHospital(paymentFen: Fen, chargesFen: Fen, s: DrgPaymentParams['settlement']): HospitalSettlement {
  const balance = paymentFen - chargesFen;
  const rate = paymentFen > 0 ? Math.round((balance / paymentFen) * 1e6) / 1e6 : 0;
  if (balance >= 0) {
    const final = s.surplusRetainCap === null || s.surplusRetainCap >= 1 ? paymentFen : Math.min(paymentFen, roundFen(chargesFen / (1 - s.surplusRetainCap), 'down'));
    return {
      paymentFen,
      chargesFen,
      balanceFen: balance,
      balanceRate: rate,
      finalPaymentFen: final,
      retainedSurplusFen: final - chargesFen,
      fundShareOfOverspendFen: 0,
      hospitalBearsFen: 0,
    };
  }
  const over = -balance;
  const shared = paymentFen > 0 && over / paymentFen <= s.overspendShareLimit;
  const fund = shared ? roundFen(over * s.overspendFundShare) : 0;
  return {
    paymentFen,
    chargesFen,
    balanceFen: balance,
    balanceRate: rate,
    finalPaymentFen: paymentFen + fund,
    retainedSurplusFen: 0,
    fundShareOfOverspendFen: fund,
    hospitalBearsFen: over - fund,
  };
}
