/** Columns for a drill-down whose row shape is the API's: money for `…Fen`, numbers right-aligned. */
import type { Column } from '../components/DataTable';
import type { Lang } from '../i18n';

/** Field names the API uses → Chinese first, English second. An unknown field shows its own name. */
export const FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  id: { zh: '编号', en: 'ID' },
  encounterId: { zh: '就诊号', en: 'Encounter' },
  encounters: { zh: '就诊人次', en: 'Encounters' },
  institutionId: { zh: '机构', en: 'Institution' },
  departmentId: { zh: '科室', en: 'Department' },
  doctorId: { zh: '医师', en: 'Doctor' },
  personId: { zh: '参保人（假名）', en: 'Person (pseudonym)' },
  kind: { zh: '类别', en: 'Kind' },
  benefitType: { zh: '医疗类别', en: 'Benefit type' },
  scheme: { zh: '险种', en: 'Scheme' },
  sex: { zh: '性别', en: 'Sex' },
  ageYears: { zh: '年龄', en: 'Age' },
  admitDate: { zh: '入院日期', en: 'Admitted' },
  dischargeDate: { zh: '出院日期', en: 'Discharged' },
  dischargeType: { zh: '离院方式', en: 'Discharge type' },
  losDays: { zh: '住院天数', en: 'LOS (days)' },
  diagnoses: { zh: '诊断', en: 'Diagnoses' },
  procedures: { zh: '手术操作', en: 'Procedures' },
  principalDiagnosis: { zh: '主要诊断', en: 'Principal diagnosis' },
  lineCount: { zh: '明细条数', en: 'Lines' },
  spendingFen: { zh: '医疗费用', en: 'Spending' },
  amountFen: { zh: '金额', en: 'Amount' },
  totalFen: { zh: '总额', en: 'Total' },
  itemCode: { zh: '医保编码', en: 'Item code' },
  localCode: { zh: '院内编码', en: 'Local code' },
  itemName: { zh: '项目名称', en: 'Item' },
  category: { zh: '费用类别', en: 'Category' },
  payClass: { zh: '甲乙丙类', en: 'Class' },
  quantity: { zh: '数量', en: 'Quantity' },
  unitPriceFen: { zh: '单价', en: 'Unit price' },
  chargedAt: { zh: '收费时间', en: 'Charged at' },
  month: { zh: '月份', en: 'Month' },
  costItem: { zh: '成本项目', en: 'Cost item' },
  direct: { zh: '直接成本', en: 'Direct' },
  drgCode: { zh: 'DRG 组', en: 'DRG' },
  drgName: { zh: 'DRG 名称', en: 'DRG name' },
  weight: { zh: '权重', en: 'Weight' },
  paymentFen: { zh: 'DRG 支付', en: 'Payment' },
  costFen: { zh: '成本', en: 'Cost' },
  marginFen: { zh: '盈亏', en: 'Margin' },
  caseId: { zh: '案件号', en: 'Case' },
  ruleId: { zh: '规则', en: 'Rule' },
  type: { zh: '类型', en: 'Type' },
  state: { zh: '状态', en: 'State' },
  batchId: { zh: '批次', en: 'Batch' },
  sourceFile: { zh: '来源文件', en: 'File' },
  sourceRow: { zh: '行号', en: 'Row' },
  reasonCodes: { zh: '原因代码', en: 'Reason codes' },
  reasons: { zh: '原因', en: 'Reasons' },
  costCategory: { zh: '成本中心类别', en: 'Center category' },
  directFen: { zh: '直接成本', en: 'Direct cost' },
  receivedL1Fen: { zh: '一级分摊转入', en: 'Received (level 1)' },
  receivedL2Fen: { zh: '二级分摊转入', en: 'Received (level 2)' },
  receivedL3Fen: { zh: '三级分摊转入', en: 'Received (level 3)' },
  allocatedOutFen: { zh: '分摊转出', en: 'Allocated out' },
  fullFen: { zh: '全成本', en: 'Full cost' },
  centerId: { zh: '成本中心', en: 'Cost center' },
  period: { zh: '期间', en: 'Period' },
  granularity: { zh: '粒度', en: 'Granularity' },
  budgetFen: { zh: '预算', en: 'Budget' },
  actualFen: { zh: '实际', en: 'Actual' },
  varianceFen: { zh: '差异', en: 'Variance' },
  forecastFen: { zh: '预测', en: 'Forecast' },
  basis: { zh: '依据', en: 'Basis' },
  drugFen: { zh: '药品费', en: 'Drugs' },
  materialFen: { zh: '卫生材料费', en: 'Materials' },
  serviceFen: { zh: '医疗服务费', en: 'Services' },
  deniedFen: { zh: '拒付', en: 'Denied' },
  standardPaymentFen: { zh: '标准支付', en: 'Standard payment' },
  caseType: { zh: '病例类型', en: 'Case type' },
  status: { zh: '状态', en: 'Status' },
  mdc: { zh: 'MDC', en: 'MDC' },
  adrg: { zh: 'ADRG', en: 'ADRG' },
  drg: { zh: 'DRG', en: 'DRG' },
  flagged: { zh: '标记', en: 'Flagged' },
  fullSelfPayFen: { zh: '全自费', en: 'Fully self-paid' },
  overLimitFen: { zh: '超限价自费', en: 'Over price limit' },
  preSelfPayFen: { zh: '先行自付', en: 'Self-pay-first' },
  inScopeFen: { zh: '政策范围内', en: 'In scope' },
  fundFen: { zh: '基金支付', en: 'Funds pay' },
  patientFen: { zh: '个人负担', en: 'Patient pays' },
  reason: { zh: '说明', en: 'Reason' },
  lineId: { zh: '明细', en: 'Line' },
  message: { zh: '说明', en: 'Message' },
};

/** Keys never worth a column in a rows table. */
const SKIP = new Set(['drill', 'raw', 'evidence']);

export function fieldLabel(key: string, lang: Lang): string {
  const l = FIELD_LABELS[key];
  return l ? l[lang] : key;
}

export function genericColumns(rows: readonly object[], lang: Lang): Column<Record<string, unknown>>[] {
  const first = rows[0] as Record<string, unknown> | undefined;
  if (!first) return [];
  return Object.keys(first)
    .filter((k) => !SKIP.has(k))
    .slice(0, 14)
    .map((k) => {
      const v = first[k];
      const kind = /Fen$/.test(k) ? 'money' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'dec') : 'text';
      return { key: k, label: fieldLabel(k, lang), kind } as Column<Record<string, unknown>>;
    });
}
