/**
 * Pre-order check (事前): a doctor's proposed order plus the patient's context in, verdicts out.
 * Runs the same compiled rules as batch and real-time modes (those whose modes include `pre`) over
 * the day's earlier orders and the proposed one, and reports the hits on the proposed order.
 */
import { CHARGE_CATEGORIES, lineAmountFen } from '../domain/index.js';
import type { BenefitType, ChargeCategory, EncounterKind, InstitutionLevel, Scheme, Sex, SettlementLine } from '../domain/index.js';
import type { AuditPlan } from './compile.js';
import { toColumns } from './columns.js';
import { createEncounterAuditor } from './evaluate.js';
import type { EncounterAuditor } from './evaluate.js';
import { ACTION_ZH, RESULT_TYPE_ZH } from './types.js';
import type { AuditAction, ResultType, Violation } from './types.js';

export interface OrderLine {
  itemCode: string;
  localCode?: string;
  itemName?: string;
  category?: ChargeCategory;
  quantity: number;
  unitPriceFen?: number;
  /** ISO timestamp of the order (or of the earlier charge) */
  at: string;
  doctorId?: string;
}

export interface OrderRequest {
  patient: { sex: Sex; ageYears: number; ageDays?: number };
  encounter: {
    id?: string;
    kind: EncounterKind;
    benefitType?: BenefitType;
    scheme?: Scheme;
    institutionId: string;
    institutionLevel: InstitutionLevel;
    departmentId?: string;
    doctorId: string;
    admitDate: string;
    diagnoses: string[];
    procedures?: string[];
  };
  order: OrderLine;
  /** orders / charges already made in this encounter (for per-day quantities and pairs) */
  earlier?: OrderLine[];
}

export interface OrderVerdict {
  ruleId: string;
  nameZh: string;
  nameEn: string;
  action: AuditAction;
  actionZh: string;
  resultType: ResultType;
  resultTypeZh: string;
  messageZh: string;
  amountFen: number;
}

export interface OrderCheckResult {
  /** strongest action among the verdicts: block > refer > deduct > remind; `pass` when none */
  decision: 'pass' | AuditAction;
  verdicts: OrderVerdict[];
}

const auditors = new WeakMap<AuditPlan, EncounterAuditor>();
const RANK: Record<AuditAction, number> = { remind: 1, deduct: 2, refer: 3, block: 4 };

export function checkOrder(plan: AuditPlan, req: OrderRequest): OrderCheckResult {
  let auditor = auditors.get(plan);
  if (!auditor) auditors.set(plan, (auditor = createEncounterAuditor(plan, 'pre')));
  const enc = req.encounter;
  const encounterId = enc.id ?? 'pre-order';
  const toLine = (o: OrderLine, id: string): SettlementLine => {
    const idx = plan.codeIndex.get(o.itemCode);
    const item = idx !== undefined ? plan.items[idx] : undefined;
    const category = o.category ?? (item && item.category >= 0 ? CHARGE_CATEGORIES[item.category]! : 'drug');
    const unitPriceFen = o.unitPriceFen ?? item?.priceCapFen ?? 0;
    return {
      id,
      encounterId,
      institutionId: enc.institutionId,
      localCode: o.localCode ?? '',
      itemCode: o.itemCode,
      itemName: o.itemName ?? item?.name ?? '',
      category,
      payClass: 'A',
      quantity: o.quantity,
      unitPriceFen,
      amountFen: lineAmountFen(o.quantity, unitPriceFen),
      doctorId: o.doctorId ?? enc.doctorId,
      departmentId: enc.departmentId ?? '',
      chargedAt: o.at,
    };
  };
  const lines = [...(req.earlier ?? []).map((o, i) => toLine(o, `earlier-${i}`)), toLine(req.order, 'order')];
  const cols = toColumns(plan, lines);
  const day = req.order.at.slice(0, 10);
  const vs: Violation[] = [];
  auditor.audit(
    {
      institutionLevel: enc.institutionLevel,
      encounter: {
        id: encounterId,
        institutionId: enc.institutionId,
        departmentId: enc.departmentId ?? '',
        personId: 'pre-order',
        doctorId: enc.doctorId,
        kind: enc.kind,
        benefitType: enc.benefitType ?? 'general',
        scheme: enc.scheme ?? 'employee',
        sex: req.patient.sex,
        ageYears: req.patient.ageYears,
        ageDays: req.patient.ageDays ?? 0,
        birthWeightGrams: 0,
        admitDate: enc.admitDate,
        dischargeDate: day > enc.admitDate ? day : enc.admitDate,
        dischargeType: '1',
        losDays: 0,
        diagnoses: enc.diagnoses.length ? enc.diagnoses : ['R69'],
        procedures: enc.procedures ?? [],
      },
    },
    cols,
    0,
    cols.length,
    vs,
  );
  const verdicts: OrderVerdict[] = [];
  for (const v of vs) {
    if (!v.lineIds.includes('order')) continue;
    const def = plan.rules.find((r) => r.id === v.ruleId)!.def;
    verdicts.push({ ruleId: v.ruleId, nameZh: def.nameZh, nameEn: def.nameEn, action: v.action, actionZh: ACTION_ZH[v.action], resultType: v.resultType, resultTypeZh: RESULT_TYPE_ZH[v.resultType], messageZh: v.message, amountFen: v.amountFen });
  }
  verdicts.sort((a, b) => RANK[b.action] - RANK[a.action]);
  return { decision: verdicts[0]?.action ?? 'pass', verdicts };
}
