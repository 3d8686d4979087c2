/**
 * Hospital clearing (医院清算): global budget with monthly pre-payment and year-end settlement (总额预算),
 * per-visit quota (人次定额), DIP point value (点数法), single-disease payment (单病种) and the
 * surplus-retention / overspend-sharing rule (结余留用、合理超支分担) they share.
 * Formulas and sources: docs/formulas.md § Settlement — clearing; shared/notes/drg-payment-costing.md §1.5, §2;
 * shared/notes/settlement.md §5. All parameters are local (各统筹区自定) and passed in.
 */
import { allocateLargestRemainder, roundFen } from '../domain/index.js';
import type { Fen } from '../domain/index.js';

// ── 结余留用 / 超支分担 ──

export interface SharingRule {
  /** share of a surplus (budget − cost) the hospital keeps (结余留用比例) */
  readonly surplusKeepBp: number;
  /** the kept surplus is at most this share of the budget; null = no cap */
  readonly surplusKeepCapBp: number | null;
  /** overspend up to this share of the budget is "reasonable" and shared (合理超支) */
  readonly overspendToleranceBp: number;
  /** the fund's share of the reasonable overspend (超支分担比例); beyond the tolerance the hospital bears it */
  readonly overspendFundShareBp: number;
}

export interface SharingResult {
  readonly budgetFen: Fen;
  readonly costFen: Fen;
  readonly surplusFen: Fen;
  readonly retainedSurplusFen: Fen;
  readonly overspendFen: Fen;
  readonly fundSharedOverspendFen: Fen;
  readonly hospitalBorneOverspendFen: Fen;
  /** what the fund owes for the year: cost + retained surplus, or budget + its share of the overspend */
  readonly dueFen: Fen;
}

/** Apply a sharing rule to a budget (or case-payment total) A against the eligible cost C. */
export function shareSurplus(budgetFen: Fen, costFen: Fen, rule: SharingRule): SharingResult {
  if (costFen <= budgetFen) {
    const surplus = budgetFen - costFen;
    let kept = roundFen((surplus * rule.surplusKeepBp) / 10000);
    if (rule.surplusKeepCapBp !== null) kept = Math.min(kept, roundFen((budgetFen * rule.surplusKeepCapBp) / 10000));
    return { budgetFen, costFen, surplusFen: surplus, retainedSurplusFen: kept, overspendFen: 0, fundSharedOverspendFen: 0, hospitalBorneOverspendFen: 0, dueFen: costFen + kept };
  }
  const over = costFen - budgetFen;
  const tolerated = Math.min(over, roundFen((budgetFen * rule.overspendToleranceBp) / 10000));
  const fundShare = roundFen((tolerated * rule.overspendFundShareBp) / 10000);
  return { budgetFen, costFen, surplusFen: 0, retainedSurplusFen: 0, overspendFen: over, fundSharedOverspendFen: fundShare, hospitalBorneOverspendFen: over - fundShare, dueFen: budgetFen + fundShare };
}

// ── 总额预算: monthly pre-payment, year-end settlement ──

export interface GlobalBudgetInput {
  readonly annualBudgetFen: Fen;
  /** the fund's share of the hospital's claims, month by month (1..12) */
  readonly monthlyClaimsFen: readonly Fen[];
  /** monthly pre-payment = min(claims, budget ÷ 12) × this share; the rest is withheld (质量保证金) */
  readonly monthlyPrepayBp: number;
  readonly sharing: SharingRule;
}

export interface GlobalBudgetMonth {
  readonly month: number;
  readonly claimsFen: Fen;
  readonly monthlyBudgetFen: Fen;
  readonly prepaidFen: Fen;
  readonly withheldFen: Fen;
}

export interface GlobalBudgetResult {
  readonly months: readonly GlobalBudgetMonth[];
  readonly annual: SharingResult & { readonly prepaidFen: Fen; readonly yearEndPaymentFen: Fen };
}

export function clearGlobalBudget(input: GlobalBudgetInput): GlobalBudgetResult {
  const n = input.monthlyClaimsFen.length;
  // monthly budget = budget ÷ 12 split to the fen (largest remainder, so the 12 parts sum to the budget)
  const monthly = allocateLargestRemainder(input.annualBudgetFen, new Array<number>(12).fill(1));
  const months: GlobalBudgetMonth[] = [];
  let claims = 0, prepaid = 0;
  for (let m = 0; m < n; m++) {
    const c = input.monthlyClaimsFen[m]!;
    const mb = monthly[m % 12]!;
    const basis = Math.min(c, mb);
    const pre = roundFen((basis * input.monthlyPrepayBp) / 10000);
    months.push({ month: m + 1, claimsFen: c, monthlyBudgetFen: mb, prepaidFen: pre, withheldFen: c - pre });
    claims += c;
    prepaid += pre;
  }
  const share = shareSurplus(input.annualBudgetFen, claims, input.sharing);
  return { months, annual: { ...share, prepaidFen: prepaid, yearEndPaymentFen: share.dueFen - prepaid } };
}

// ── 人次定额 (per-visit / per-admission quota) ──

export interface PerVisitQuotaInput {
  readonly quotaPerVisitFen: Fen;
  readonly visits: number;
  /** actual cost measured on the quota's basis (S62: 医疗总费用) */
  readonly actualFen: Fen;
  /** overrun within this share of the quota total is shared (S62: 20%) */
  readonly overrunToleranceBp: number;
  /** fund's share of the tolerated overrun (S62: 50%) */
  readonly overrunFundShareBp: number;
  /** reward for an under-run as a share of the saving (S62: 30%) */
  readonly savingRewardBp: number;
  /** reward cap as a share of the quota total (S62: 3%) */
  readonly rewardCapBp: number;
}

export interface PerVisitQuotaResult {
  readonly quotaTotalFen: Fen;
  readonly actualFen: Fen;
  readonly overrunFen: Fen;
  readonly fundSharedOverrunFen: Fen;
  readonly unpaidOverrunFen: Fen;
  readonly savingFen: Fen;
  readonly rewardFen: Fen;
  /** what the fund pays in the year-end settlement */
  readonly payableFen: Fen;
}

/** Year-end settlement of a per-visit quota (Taiyuan-type rule, shared/notes/settlement.md §5, S62). */
export function clearPerVisitQuota(q: PerVisitQuotaInput): PerVisitQuotaResult {
  const quota = q.quotaPerVisitFen * q.visits;
  if (q.actualFen > quota) {
    const over = q.actualFen - quota;
    const tolerated = Math.min(over, roundFen((quota * q.overrunToleranceBp) / 10000));
    const fundShare = roundFen((tolerated * q.overrunFundShareBp) / 10000);
    return { quotaTotalFen: quota, actualFen: q.actualFen, overrunFen: over, fundSharedOverrunFen: fundShare, unpaidOverrunFen: over - fundShare, savingFen: 0, rewardFen: 0, payableFen: quota + fundShare };
  }
  const saving = quota - q.actualFen;
  const reward = Math.min(roundFen((saving * q.savingRewardBp) / 10000), roundFen((quota * q.rewardCapBp) / 10000));
  return { quotaTotalFen: quota, actualFen: q.actualFen, overrunFen: 0, fundSharedOverrunFen: 0, unpaidOverrunFen: 0, savingFen: saving, rewardFen: reward, payableFen: q.actualFen + reward };
}

// ── DIP 点数法 ──

/** 预算点值 = weighted (1:2:7) yearly inpatient cost ÷ Σ(分值 × cases), in fen per point (unrounded). */
export function dipBudgetPointValue(yearlyCostFen: readonly [Fen, Fen, Fen], yearlyPoints: readonly [number, number, number], weights: readonly [number, number, number] = [1, 2, 7]): number {
  const w = weights[0] + weights[1] + weights[2];
  const cost = (yearlyCostFen[0] * weights[0] + yearlyCostFen[1] * weights[1] + yearlyCostFen[2] * weights[2]) / w;
  const pts = (yearlyPoints[0] * weights[0] + yearlyPoints[1] * weights[1] + yearlyPoints[2] * weights[2]) / w;
  if (!(pts > 0)) throw new RangeError('dipBudgetPointValue: total points must be > 0');
  return cost / pts;
}

/** 结算点值 = (fund available for DIP ÷ payment ratio) ÷ total points of the year, in fen per point (unrounded). */
export function dipSettlementPointValue(fundBudgetFen: Fen, paymentRatioBp: number, totalPoints: number): number {
  if (!(totalPoints > 0) || !(paymentRatioBp > 0)) throw new RangeError('dipSettlementPointValue: points and ratio must be > 0');
  return fundBudgetFen / (paymentRatioBp / 10000) / totalPoints;
}

export interface DipThresholds {
  /** 费用超低: cost < low × standard (DIP spec: 0.5) */
  readonly low: number;
  /** 费用超高: cost > high × standard (2) */
  readonly high: number;
  /** 极端异常: cost > extreme × standard (5) → expert review 特例单议 */
  readonly extreme: number;
}
export const DIP_DEFAULT_THRESHOLDS: DipThresholds = { low: 0.5, high: 2, extreme: 5 };

export interface DipCase {
  readonly id: string;
  /** 病种分值 */
  readonly groupScore: number;
  readonly costFen: Fen;
  /** last year's mean cost of the group at institutions of the same level (同级别次均费用) */
  readonly sameLevelMeanCostFen: Fen;
  /** the patient's part of the case (item-based), deducted from the fund's payment */
  readonly patientFen: Fen;
  /** month 1..12 of discharge (for monthly pre-settlement) */
  readonly month: number;
}

export type DipCaseKind = 'normal' | 'low' | 'high' | 'extreme';

/**
 * Points of one case (shared/notes/drg-payment-costing.md §2.5–2.6, S9/S10): normal = 分值 × 机构系数;
 * 超低 = 分值 × cost/mean; 超高 = 分值 × (cost/mean − 2 + 1); 极端 is paid as 超高 and flagged for review.
 * The thresholds compare the cost with the case's payment standard (分值 × 机构系数 × 点值).
 */
export function dipCasePoints(c: DipCase, institutionCoeff: number, pointValueFen: number, t: DipThresholds = DIP_DEFAULT_THRESHOLDS): { kind: DipCaseKind; points: number; standardFen: number } {
  const standard = c.groupScore * institutionCoeff * pointValueFen;
  const ratioToMean = c.costFen / c.sameLevelMeanCostFen;
  if (c.costFen < t.low * standard) return { kind: 'low', points: c.groupScore * ratioToMean, standardFen: standard };
  if (c.costFen > t.high * standard) {
    return { kind: c.costFen > t.extreme * standard ? 'extreme' : 'high', points: c.groupScore * (ratioToMean - t.high + 1), standardFen: standard };
  }
  return { kind: 'normal', points: c.groupScore * institutionCoeff, standardFen: standard };
}

export interface DipClearingInput {
  readonly cases: readonly DipCase[];
  readonly institutionCoeff: number;
  /** 预算点值 (or the monthly estimated point value) used for monthly pre-settlement, fen per point */
  readonly estimatedPointValueFen: number;
  /** 结算点值 fixed after year end, fen per point */
  readonly settlementPointValueFen: number;
  /** monthly pre-settlement pays this share of the estimated amount (月度预结算比例) */
  readonly monthlyPrepayBp: number;
  readonly thresholds?: DipThresholds;
}

export interface DipClearingResult {
  readonly cases: readonly { id: string; kind: DipCaseKind; points: number; estimatedFen: Fen; settledFen: Fen; fundFen: Fen }[];
  readonly months: readonly { month: number; points: number; estimatedFen: Fen; prepaidFen: Fen }[];
  readonly totalPoints: number;
  /** Σ case payments at the settlement point value (病例支付总额) */
  readonly paymentFen: Fen;
  readonly patientFen: Fen;
  /** the fund's year-end due = payments − patients' parts */
  readonly fundDueFen: Fen;
  readonly prepaidFen: Fen;
  readonly yearEndPaymentFen: Fen;
  readonly reviewCaseIds: readonly string[];
}

/**
 * DIP clearing of one hospital: monthly pre-settlement at the estimated point value, year-end at the
 * settlement point value. Case payments are rounded half-up to the fen (points stay unrounded).
 * Thresholds use the estimated point value for the monthly pass and the settlement value at year end.
 */
export function clearDip(input: DipClearingInput): DipClearingResult {
  const t = input.thresholds ?? DIP_DEFAULT_THRESHOLDS;
  const cases = [];
  const monthPts = new Map<number, { points: number; estimatedFen: Fen }>();
  let totalPoints = 0, payment = 0, patient = 0, fundDue = 0;
  const review: string[] = [];
  for (const c of input.cases) {
    const est = dipCasePoints(c, input.institutionCoeff, input.estimatedPointValueFen, t);
    const fin = dipCasePoints(c, input.institutionCoeff, input.settlementPointValueFen, t);
    const estimatedFen = roundFen(est.points * input.estimatedPointValueFen);
    const settledFen = roundFen(fin.points * input.settlementPointValueFen);
    const fundFen = Math.max(0, settledFen - c.patientFen);
    cases.push({ id: c.id, kind: fin.kind, points: fin.points, estimatedFen, settledFen, fundFen });
    if (fin.kind === 'extreme') review.push(c.id);
    const m = monthPts.get(c.month) ?? { points: 0, estimatedFen: 0 };
    m.points += est.points;
    m.estimatedFen += Math.max(0, estimatedFen - c.patientFen);
    monthPts.set(c.month, m);
    totalPoints += fin.points;
    payment += settledFen;
    patient += c.patientFen;
    fundDue += fundFen;
  }
  const months = [...monthPts.entries()].sort((a, b) => a[0] - b[0]).map(([month, m]) => ({ month, points: m.points, estimatedFen: m.estimatedFen, prepaidFen: roundFen((m.estimatedFen * input.monthlyPrepayBp) / 10000) }));
  const prepaid = months.reduce((s, m) => s + m.prepaidFen, 0);
  return { cases, months, totalPoints, paymentFen: payment, patientFen: patient, fundDueFen: fundDue, prepaidFen: prepaid, yearEndPaymentFen: fundDue - prepaid, reviewCaseIds: review };
}

// ── 单病种 ──

export interface SingleDiseaseRule {
  readonly code: string;
  readonly name: string;
  /**
   * fixed: the fund pays standard − patient part whatever the cost (S59);
   * limit: itemised below the limit, the hospital bears any excess — 超额不补 (Xining, S60).
   */
  readonly mode: 'fixed' | 'limit';
  readonly standardFen: Fen;
  /** the patient's share of the standard (fixed mode), basis points */
  readonly patientShareBp: number;
}

export interface SingleDiseaseResult {
  readonly code: string;
  readonly actualFen: Fen;
  /** what the hospital receives in total (fund + patient) */
  readonly hospitalReceivesFen: Fen;
  readonly fundFen: Fen;
  readonly patientFen: Fen;
  /** receipts − actual cost: > 0 surplus kept, < 0 loss the hospital bears */
  readonly hospitalGainFen: Fen;
}

/** Settle one single-disease case. `itemisedPatientFen` is the patient part from settle() (limit mode). */
export function clearSingleDisease(rule: SingleDiseaseRule, actualFen: Fen, itemisedPatientFen: Fen): SingleDiseaseResult {
  if (rule.mode === 'fixed') {
    const patient = roundFen((rule.standardFen * rule.patientShareBp) / 10000);
    return { code: rule.code, actualFen, hospitalReceivesFen: rule.standardFen, fundFen: rule.standardFen - patient, patientFen: patient, hospitalGainFen: rule.standardFen - actualFen };
  }
  // limit: the patient pays the usual itemised share of what is paid (never of the excess)
  const paid = Math.min(actualFen, rule.standardFen);
  const patient = Math.min(itemisedPatientFen, paid);
  return { code: rule.code, actualFen, hospitalReceivesFen: paid, fundFen: paid - patient, patientFen: patient, hospitalGainFen: paid - actualFen };
}
