/**
 * A settlement explained so a patient can read it (Chinese first, English second). Kept apart from
 * settle() so the hot path builds no text.
 */
import { formatYuan } from '../domain/index.js';
import type { LineReason } from './classify.js';
import type { SettlementPath, SettlementResult } from './settle.js';

export const REASON_TEXT: Record<LineReason, string> = {
  'in-scope': '符合政策范围 in scope',
  'self-pay-first': '乙类先行自付 Class B self-pay-first part',
  'over-price-cap': '超过医保限价，超出部分自付 price above the insurance cap',
  'class-c': '丙类/目录外，全自费 Class C, not covered',
  'not-in-catalog': '不在医保目录，全自费 not in the catalog',
  'restricted-sex': '限性别，不符合支付条件，全自费 restricted to the other sex',
  'restricted-age': '限年龄，不符合支付条件，全自费 outside the age limits',
  'restricted-level': '限医疗机构级别，全自费 not payable at this institution level',
  'restricted-indication': '限适应症，诊断不符，全自费 diagnosis does not meet the restriction',
  'restricted-benefit': '限工伤/生育保险，基本医保不支付 payable only by work-injury/maternity insurance',
};

const PATH_TEXT: Record<SettlementPath, string> = {
  inpatient: '住院 inpatient',
  outpatient: '普通门诊 outpatient',
  'chronic-special': '门诊慢特病 chronic/special outpatient disease',
  'not-covered': '不属于基本医保支付 not paid by the basic scheme',
};

export function explainSettlement(r: SettlementResult): string[] {
  const y = formatYuan;
  const out = [
    `结算类别 ${PATH_TEXT[r.path]} · 政策 policy ${r.policyId}`,
    `医疗费总额 total ${y(r.totalFen)} 元 = 全自费 ${y(r.fullSelfPayFen)} + 超限价自费 ${y(r.overLimitFen)} + 先行自付 ${y(r.preSelfPayFen)} + 符合政策范围 ${y(r.inScopeFen)}`,
    `政策范围内: 起付线 deductible ${y(r.deductibleFen)}，共付段个人负担 co-pay ${y(r.coPayFen)}，封顶线以上 above cap ${y(r.aboveCapFen)}`,
    `基金支付 funds ${y(r.fundTotalFen)} 元 = 统筹基金 basic ${y(r.fundFen)} + 大病/大额 tier 2 ${y(r.tier2Fen)} + 医疗救助 assistance ${y(r.assistanceFen)}`,
    `个人负担 you pay ${y(r.patientFen)} 元 = 个人账户 account ${y(r.accountFen)} + 现金 cash ${y(r.cashFen)}`,
  ];
  const byReason = new Map<LineReason, number>();
  for (const l of r.lines) if (l.reason !== 'in-scope') byReason.set(l.reason, (byReason.get(l.reason) ?? 0) + l.amountFen);
  for (const [reason, amt] of byReason) out.push(`  ${REASON_TEXT[reason]}: ${y(amt)} 元 (相关明细金额 lines' amount)`);
  for (const i of r.issues) out.push(`  注意 note [${i.code}] ${i.message}`);
  return out;
}
