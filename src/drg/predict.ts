/**
 * Pre-discharge prediction (在院病例预测): group the stay as coded so far, project its cost to
 * discharge and compare it with the DRG payment, so a department can act before discharge.
 *
 *   expected LOS      = max(days so far, reference ALOS of the DRG)
 *   projected cost    = cost so far + roundFen(cost so far / days so far × (expected LOS − days so far))
 *   projected payment = priceCase(projected cost, expected LOS)
 *   margin            = projected payment − projected cost;  margin rate = margin / standard payment
 *   warning           none (rate ≥ watchBelow) · watch · alert (rate < alertBelow) ·
 *                     critical (ambiguous / not grouped / high multiple / special review)
 */
import { roundFen, type Fen } from '../domain/index.js';
import { group } from './group.js';
import { priceCase, type CasePayment, type DrgPaymentParams, type DrgReference } from './payment.js';
import type { DrgCase, GroupResult, Scheme } from './types.js';

export const WARNING_LEVELS = ['none', 'watch', 'alert', 'critical'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

export interface StayInProgress {
  /** current diagnoses and procedures (and the patient fields) */
  readonly case: DrgCase;
  /** charges so far (fen) */
  readonly costSoFarFen: Fen;
  /** days in hospital so far (≥ 1) */
  readonly daysSoFar: number;
}

export interface StayPrediction {
  readonly group: GroupResult;
  readonly drgName: string;
  readonly expectedLosDays: number;
  readonly projectedCostFen: Fen;
  readonly payment: CasePayment;
  readonly standardPaymentFen: Fen;
  readonly projectedMarginFen: Fen;
  readonly marginRate: number;
  readonly warning: WarningLevel;
  /** Chinese first, English second */
  readonly advice: string;
}

/**
 * Predict the DRG and margin of a stay in progress.
 *
 * @example
 * const p = predictStay({ case: c, costSoFarFen: 1_200_000, daysSoFar: 4 }, scheme, weights, rateFen, params);
 * if (p.warning !== 'none') notify(p.advice);
 */
export function predictStay(
  stay: StayInProgress,
  scheme: Scheme,
  references: ReadonlyMap<string, DrgReference>,
  ratePerWeightFen: Fen,
  params: DrgPaymentParams,
): StayPrediction {
  const g = group(stay.case, scheme);
  const ref = g.status === scheme.profile.results.successStatus ? references.get(g.drg) : undefined;
  const days = Math.max(1, stay.daysSoFar);
  const expectedLos = Math.max(days, ref ? Math.round(ref.avgLosDays) : days);
  const daily = stay.costSoFarFen / days;
  const projectedCost = stay.costSoFarFen + roundFen(daily * (expectedLos - days));
  const payment = priceCase({ status: g.status, drg: g.drg, costFen: projectedCost, losDays: expectedLos }, ref, ratePerWeightFen, params);
  const margin = payment.paymentFen - projectedCost;
  const basis = payment.standardPaymentFen > 0 ? payment.standardPaymentFen : Math.max(1, projectedCost);
  const rate = Math.round((margin / basis) * 1e4) / 1e4;
  let warning: WarningLevel;
  let advice: string;
  if (payment.caseType === 'ambiguous' || payment.caseType === 'unassigned') {
    warning = 'critical';
    advice =
      g.status === scheme.profile.results.successStatus
        ? `${g.drg} 在本地权重表中无权重，将按项目 × ${params.unassigned.discount} 支付 / ${g.drg} has no weight in the region's table: paid by items × ${params.unassigned.discount}`
        : `病例未能正常入组（${g.status}），请核对主要诊断与主要手术编码 / the stay does not group (${g.status}): check the principal diagnosis and procedure`;
  } else if (payment.caseType === 'high-multiple' || payment.caseType === 'special-review') {
    warning = 'critical';
    advice = `预计为${payment.caseType === 'high-multiple' ? '高倍率' : '特例单议'}病例，费用为参考值的 ${payment.costRatio} 倍 / projected ${payment.caseType}, cost ratio ${payment.costRatio}`;
  } else if (rate < params.prediction.alertBelow) {
    warning = 'alert';
    advice = `预计超支 ${-margin} 分（${(rate * 100).toFixed(1)}%），请评估后续检查与用药 / projected overspend ${-margin} fen (${(rate * 100).toFixed(1)}%)`;
  } else if (rate < params.prediction.watchBelow) {
    warning = 'watch';
    advice = `预计小幅超支 ${-margin} 分 / projected small overspend ${-margin} fen`;
  } else {
    warning = 'none';
    advice = `预计结余 ${margin} 分 / projected surplus ${margin} fen`;
  }
  return {
    group: g,
    drgName: scheme.drgInfo.get(g.drg)?.name ?? '',
    expectedLosDays: expectedLos,
    projectedCostFen: projectedCost,
    payment,
    standardPaymentFen: payment.standardPaymentFen,
    projectedMarginFen: margin,
    marginRate: rate,
    warning,
    advice,
  };
}
