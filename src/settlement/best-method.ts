/**
 * Best payment method before discharge (出院前支付方式预测): for a stay in progress, the hospital's and
 * the patient's position under each applicable method. Item-based (按项目) uses settle(); DRG and DIP
 * take the case payment computed by their engines (src/drg priceCase, clearing.dipCasePoints); single
 * disease uses its rule. In most regions the patient still pays by item under DRG/DIP
 * (shared/notes/drg-payment-costing.md §1.3), so the patient part is the item-based one there.
 */
import { roundFen } from '../domain/index.js';
import type { Fen } from '../domain/index.js';
import type { SingleDiseaseRule } from './clearing.js';
import type { SettlementResult } from './settle.js';

export const PAYMENT_METHODS = ['item', 'drg', 'dip', 'single-disease'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface MethodPosition {
  readonly method: PaymentMethod;
  /** what the hospital receives in total (fund + patient) */
  readonly hospitalReceivesFen: Fen;
  /** receipts − charges: the hospital's margin on this stay */
  readonly hospitalMarginFen: Fen;
  readonly fundFen: Fen;
  readonly patientFen: Fen;
  readonly note: string;
}

export interface MethodInputs {
  /** settle() of the stay so far (or projected to discharge) */
  readonly item: SettlementResult;
  /** DRG case payment (支付标准 incl. high/low-multiple adjustment) and group, when a DRG engine priced it */
  readonly drg?: { readonly paymentFen: Fen; readonly group: string; readonly caseType: string } | undefined;
  /** DIP case payment (病例分值 × 点值) */
  readonly dip?: { readonly paymentFen: Fen; readonly group: string; readonly kind: string } | undefined;
  readonly singleDisease?: SingleDiseaseRule | undefined;
  /** charges projected to discharge (e.g. predictStay's projectedCostFen); default: the item settlement's total */
  readonly projectedChargesFen?: Fen | undefined;
}

export interface MethodComparison {
  readonly positions: readonly MethodPosition[];
  /** the method with the highest hospital receipt among those that do not raise the patient's part */
  readonly best: PaymentMethod;
}

export function compareMethods(m: MethodInputs): MethodComparison {
  const charges = m.projectedChargesFen ?? m.item.totalFen;
  // the patient's item-based part, scaled to the projected charges when a projection is given
  const patientItem = m.projectedChargesFen === undefined || m.item.totalFen === 0 ? m.item.patientFen : roundFen((m.item.patientFen * m.projectedChargesFen) / m.item.totalFen);
  const positions: MethodPosition[] = [
    { method: 'item', hospitalReceivesFen: charges, hospitalMarginFen: 0, fundFen: charges - patientItem, patientFen: patientItem, note: '按项目付费: 医院收回全部费用 charges paid item by item' },
  ];
  if (m.drg) {
    const fund = Math.max(0, m.drg.paymentFen - patientItem);
    const receives = fund + patientItem;
    positions.push({ method: 'drg', hospitalReceivesFen: receives, hospitalMarginFen: receives - charges, fundFen: fund, patientFen: patientItem, note: `DRG ${m.drg.group} (${m.drg.caseType}): 基金支付 = 支付标准 − 个人按项目负担` });
  }
  if (m.dip) {
    const fund = Math.max(0, m.dip.paymentFen - patientItem);
    const receives = fund + patientItem;
    positions.push({ method: 'dip', hospitalReceivesFen: receives, hospitalMarginFen: receives - charges, fundFen: fund, patientFen: patientItem, note: `DIP ${m.dip.group} (${m.dip.kind}): 病例分值 × 点值 − 个人负担` });
  }
  if (m.singleDisease) {
    const r = m.singleDisease;
    if (r.mode === 'fixed') {
      const patient = roundFen((r.standardFen * r.patientShareBp) / 10000);
      positions.push({ method: 'single-disease', hospitalReceivesFen: r.standardFen, hospitalMarginFen: r.standardFen - charges, fundFen: r.standardFen - patient, patientFen: patient, note: `单病种 ${r.name}: 定额 fixed payment` });
    } else {
      const paid = Math.min(charges, r.standardFen);
      const patient = Math.min(patientItem, paid);
      positions.push({ method: 'single-disease', hospitalReceivesFen: paid, hospitalMarginFen: paid - charges, fundFen: paid - patient, patientFen: patient, note: `单病种 ${r.name}: 限额 limit, 超额不补` });
    }
  }
  let best = positions[0]!;
  for (const p of positions) if (p.patientFen <= patientItem && p.hospitalReceivesFen > best.hospitalReceivesFen) best = p;
  return { positions, best: best.method };
}
