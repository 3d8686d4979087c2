/**
 * Two languages: Simplified Chinese first (the default), English second. Every user-facing string
 * goes through `t(key)`; a key missing in a language is a type error, so the two never drift apart.
 */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const DICT = {
  appName: { zh: 'MedFund 医保基金监管平台', en: 'MedFund fund supervision platform' },
  appShort: { zh: 'MedFund', en: 'MedFund' },
  switchLang: { zh: 'English', en: '中文' },
  logout: { zh: '退出登录', en: 'Sign out' },
  login: { zh: '登录', en: 'Sign in' },
  loginTitle: { zh: '登录医保基金监管平台', en: 'Sign in to MedFund' },
  loginHint: {
    zh: '医保局审核人员、医院医保办、成本会计、科室主任与医生使用各自账号登录，数据按机构和科室授权可见。',
    en: 'Bureau auditors, hospital insurance officers, cost accountants, department heads and doctors sign in with their own accounts; data is scoped by institution and department.',
  },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  loggingIn: { zh: '正在登录…', en: 'Signing in…' },
  loginFailed: { zh: '登录失败', en: 'Sign-in failed' },
  role: { zh: '角色', en: 'Role' },
  institution: { zh: '机构', en: 'Institution' },
  allInstitutions: { zh: '全部机构', en: 'All institutions' },
  department: { zh: '科室', en: 'Department' },
  month: { zh: '月份', en: 'Month' },
  loading: { zh: '加载中…', en: 'Loading…' },
  error: { zh: '出错了', en: 'Something went wrong' },
  retry: { zh: '重试', en: 'Retry' },
  notAvailableTitle: { zh: '此功能尚未开放', en: 'Not available yet' },
  notAvailableBody: {
    zh: '服务器尚未提供此页面所需的接口，上线后此处将显示真实数据。本页不会显示任何示意数字。',
    en: 'The server does not offer the API this page needs yet; real figures appear here once it does. This page never shows placeholder figures.',
  },
  missingRoutes: { zh: '缺少的接口', en: 'Missing routes' },
  noData: { zh: '暂无数据', en: 'No data' },
  rows: { zh: '明细数据', en: 'Rows' },
  rowsBehind: { zh: '明细：', en: 'Rows behind: ' },
  rowCount: { zh: '共 {n} 行', en: '{n} rows' },
  showingFirst: { zh: '（显示前 {n} 行）', en: ' (showing the first {n})' },
  close: { zh: '关闭', en: 'Close' },
  clickToDrill: { zh: '点击图形查看明细', en: 'Click a figure to see its rows' },
  prevPage: { zh: '上一页', en: 'Previous' },
  nextPage: { zh: '下一页', en: 'Next' },
  pageOf: { zh: '第 {p} / {n} 页', en: 'Page {p} of {n}' },
  yuan: { zh: '元', en: 'CNY' },
  submit: { zh: '提交', en: 'Submit' },
  total: { zh: '合计', en: 'Total' },
  unknown: { zh: '未知', en: 'unknown' },

  // navigation
  navFundMap: { zh: '基金运行一张图', en: 'Fund operation map' },
  navDrg: { zh: 'DRG 核心指标看板', en: 'DRG board' },
  navCost: { zh: '成本驾驶舱', en: 'Cost cockpit' },
  navAudit: { zh: '审核工作台', en: 'Audit work queue' },
  navPrecheck: { zh: '医生工作站事前审核', en: 'Pre-order check' },
  navSettle: { zh: '患者结算模拟', en: 'Settlement simulator' },
  navQuality: { zh: '数据质量', en: 'Data quality' },

  // data quality
  qualityTitle: { zh: '数据质量', en: 'Data quality' },
  qualityIntro: {
    zh: '每次导入的读取、入库、隔离与重复行数及金额；被隔离的行保留原文与原因，可逐条追溯。',
    en: 'Rows and amounts read, stored, quarantined and duplicated by each import; quarantined rows keep their raw text and reasons.',
  },
  batches: { zh: '导入批次', en: 'Import batches' },
  rowsRead: { zh: '读取行数', en: 'Rows read' },
  rowsStored: { zh: '入库行数', en: 'Rows stored' },
  rowsQuarantined: { zh: '隔离行数', en: 'Rows quarantined' },
  rowsDuplicate: { zh: '重复行数', en: 'Duplicate rows' },
  amountRead: { zh: '读取金额', en: 'Amount read' },
  amountStored: { zh: '入库金额', en: 'Amount stored' },
  amountQuarantined: { zh: '隔离金额', en: 'Amount quarantined' },
  quarantineByReason: { zh: '隔离原因分布', en: 'Quarantine by reason' },
  quarantineByFile: { zh: '各文件导入情况', en: 'Import by file' },
  quarantinedRows: { zh: '隔离行', en: 'Quarantined rows' },
  tableCounts: { zh: '各表行数', en: 'Rows per table' },
  encoding: { zh: '编码', en: 'Encoding' },
  rawRow: { zh: '原始行', en: 'Raw row' },
  fileKind: { zh: '文件类别', en: 'File kind' },
  reason: { zh: '原因', en: 'Reason' },

  // fund map
  fundMapTitle: { zh: '基金运行一张图', en: 'Fund operation map' },
  fundMapIntro: {
    zh: '各定点机构按月的医保基金支出与预算（总额预算）对比，以及违规线索热点。',
    en: 'Fund spending against budget by institution and month, and violation hot spots.',
  },
  spending: { zh: '医疗费用', en: 'Medical spending' },
  budget: { zh: '预算', en: 'Budget' },
  execRate: { zh: '预算执行率', en: 'Budget execution' },
  year: { zh: '年度', en: 'Year' },
  fundSpending: { zh: '基金支出', en: 'Fund spending' },
  annualBudget: { zh: '年度总额预算', en: 'Annual global budget' },
  encountersInvolved: { zh: '涉及就诊', en: 'Encounters' },
  budgetMissing: { zh: '未加载预算', en: 'No budget loaded' },
  encountersSettled: { zh: '结算人次', en: 'Encounters settled' },
  spendingByInstitution: { zh: '机构 × 月份 医疗费用热力图', en: 'Spending by institution × month' },
  spendingByMonth: { zh: '各机构按月医疗费用（按出院月份）', en: 'Spending by discharge month and institution' },
  hotspots: { zh: '违规线索热点', en: 'Violation hot spots' },
  violations: { zh: '违规线索', en: 'Violations' },
  violationAmount: { zh: '涉及金额', en: 'Amount involved' },

  // DRG
  drgTitle: { zh: 'DRG 核心指标看板', en: 'DRG core indicators' },
  drgIntro: {
    zh: '病例组合指数（CMI）、费用消耗指数与时间消耗指数，以及按 DRG 组与科室的盈亏。',
    en: 'Case-mix index (CMI), cost and time consumption indices, and margins by DRG and department.',
  },
  cmi: { zh: '病例组合指数 CMI', en: 'CMI' },
  costIndex: { zh: '费用消耗指数', en: 'Cost consumption index' },
  timeIndex: { zh: '时间消耗指数', en: 'Time consumption index' },
  cases: { zh: '病例数', en: 'Cases' },
  groups: { zh: 'DRG 组数', en: 'DRG groups' },
  marginByDrg: { zh: '按 DRG 组盈亏', en: 'Margin by DRG' },
  marginByDept: { zh: '按科室盈亏', en: 'Margin by department' },
  indicesByDept: { zh: '科室 CMI 与消耗指数', en: 'CMI and indices by department' },
  grouped: { zh: '入组', en: 'grouped' },
  margin: { zh: '盈亏', en: 'Margin' },
  payment: { zh: 'DRG 支付', en: 'DRG payment' },
  cost: { zh: '费用', en: 'Cost' },
  weight: { zh: '权重', en: 'Weight' },

  // costing
  costTitle: { zh: '成本驾驶舱', en: 'Cost cockpit' },
  costIntro: {
    zh: '科室成本结构（《公立医院成本核算规范》七类成本项目）、预算与实际对比、DRG 成本效益。',
    en: 'Department cost structure (the seven cost items of the public-hospital costing standard), budget vs actual, DRG cost-benefit.',
  },
  costStructure: { zh: '科室成本结构', en: 'Department cost structure' },
  budgetVsActual: { zh: '预算与实际', en: 'Budget vs actual' },
  drgCostBenefit: { zh: 'DRG 成本效益', en: 'DRG cost-benefit' },
  actual: { zh: '实际', en: 'Actual' },
  directCost: { zh: '直接成本', en: 'Direct cost' },
  indirectCost: { zh: '间接成本', en: 'Indirect cost' },
  totalCost: { zh: '全成本', en: 'Full cost' },
  costItem: { zh: '成本项目', en: 'Cost item' },
  denied: { zh: '拒付', en: 'Denied' },
  marginRate: { zh: '盈亏率', en: 'Margin rate' },

  // audit
  auditTitle: { zh: '审核工作台', en: 'Audit work queue' },
  auditIntro: {
    zh: '违规线索 → 证据 → 申诉 → 裁定。点击一条线索查看触发规则、证据明细与处理记录。',
    en: 'Violation → evidence → appeal → decision. Click a finding to see the rule, the evidence rows and its history.',
  },
  findings: { zh: '违规线索', en: 'Findings' },
  rule: { zh: '规则', en: 'Rule' },
  status: { zh: '状态', en: 'Status' },
  evidence: { zh: '证据', en: 'Evidence' },
  appeal: { zh: '申诉', en: 'Appeal' },
  decision: { zh: '裁定', en: 'Decision' },
  appealReason: { zh: '申诉理由', en: 'Appeal reason' },
  decide: { zh: '作出裁定', en: 'Decide' },
  uphold: { zh: '维持（扣款）', en: 'Uphold (deduct)' },
  overturn: { zh: '撤销', en: 'Overturn' },
  byRule: { zh: '按违规类型统计', en: 'By irregularity type' },
  history: { zh: '处理记录', en: 'History' },
  notice: { zh: '通知', en: 'Notice' },
  appealDue: { zh: '申诉截止日期', en: 'Appeal due' },
  rectifyDue: { zh: '整改期限', en: 'Rectify by' },
  requireRectification: { zh: '责令整改', en: 'Require rectification' },
  rectified: { zh: '整改完成', en: 'Rectification done' },
  flaggedLines: { zh: '标记明细 {n} 条', en: '{n} flagged lines' },
  notify: { zh: '通知机构', en: 'Notify institution' },
  decisionNote: { zh: '裁定理由', en: 'Reason for the decision' },
  action: { zh: '操作', en: 'Action' },
  time: { zh: '时间', en: 'Time' },
  showAll: { zh: '显示全部', en: 'Show all' },
  scores: { zh: '监管评分（基金安全指数由低到高）', en: 'Supervision scores (least safe first)' },
  violationRate: { zh: '违规率', en: 'Violation rate' },
  deducted: { zh: '已扣款', en: 'Deducted' },
  appealSuccess: { zh: '申诉成功率', en: 'Appeal success' },
  rectifyTimely: { zh: '整改及时率', en: 'Rectified on time' },
  fundSafetyIndex: { zh: '基金安全指数', en: 'Fund safety index' },
  otherRules: { zh: '其他规则（未分类）', en: 'Other rules (no type)' },

  // pre-order check
  precheckTitle: { zh: '医生工作站事前审核', en: 'Doctor workstation pre-order check' },
  precheckIntro: {
    zh: '开具医嘱前提交诊断与拟开项目，即时返回限性别、限年龄、限定支付范围、超频次等提醒。',
    en: 'Before ordering, submit the diagnoses and planned items; restrictions (sex, age, indication, frequency) come back at once.',
  },
  patientSex: { zh: '性别', en: 'Sex' },
  male: { zh: '男', en: 'Male' },
  female: { zh: '女', en: 'Female' },
  age: { zh: '年龄（岁）', en: 'Age (years)' },
  diagnoses: { zh: '诊断（ICD-10，逗号分隔，主诊断在前）', en: 'Diagnoses (ICD-10, comma-separated, principal first)' },
  items: { zh: '拟开项目（每行：医保编码, 数量[, 开单时间]）', en: 'Planned items (one per line: code, quantity[, ordered at])' },
  check: { zh: '审核', en: 'Check' },
  passed: { zh: '未发现问题', en: 'No issues found' },
  itemsChecked: { zh: '审核项目数', en: 'Items checked' },
  itemsFlagged: { zh: '有提示的项目', en: 'Items flagged' },
  code: { zh: '医保编码', en: 'Code' },
  qty: { zh: '数量', en: 'Quantity' },
  itemName: { zh: '项目名称', en: 'Item' },
  payClass: { zh: '甲乙丙类', en: 'Class' },
  verdicts: { zh: '审核结果', en: 'Verdicts' },
  severity: { zh: '级别', en: 'Severity' },
  message: { zh: '说明', en: 'Message' },
  drgPredict: { zh: 'DRG 入组预测（在院病例）', en: 'DRG prediction for a stay in progress' },
  procedures: { zh: '手术操作（ICD-9-CM-3，逗号分隔）', en: 'Procedures (ICD-9-CM-3, comma-separated)' },
  daysSoFar: { zh: '已住院天数', en: 'Days so far' },
  costSoFar: { zh: '已发生费用（元）', en: 'Cost so far (CNY)' },
  expectYuan: { zh: '应为金额，最多两位小数', en: 'expected an amount with at most 2 decimals' },
  predict: { zh: '预测', en: 'Predict' },
  expectedLos: { zh: '预计住院天数', en: 'Expected LOS (days)' },
  standardPayment: { zh: '标准支付', en: 'Standard payment' },
  projectedCost: { zh: '预计总费用', en: 'Projected cost' },
  fromEncounter: { zh: '从已有就诊载入', en: 'Load from an encounter' },

  // settlement
  settleTitle: { zh: '患者结算模拟', en: 'Patient settlement simulator' },
  settleIntro: {
    zh: '按统筹区政策模拟一次就诊的结算：起付线、共付段、封顶线、甲乙丙类、先行自付，每一分钱的去向都可追溯。',
    en: 'Simulate one encounter under the regional policy: deductible, co-pay bands, cap, A/B/C classes, self-pay-first; every fen is traced.',
  },
  encounterId: { zh: '就诊号', en: 'Encounter id' },
  simulate: { zh: '模拟结算', en: 'Simulate' },
  fundPays: { zh: '统筹基金支付', en: 'Fund pays' },
  patientPays: { zh: '个人负担', en: 'Patient pays' },
  totalAmount: { zh: '医疗总费用', en: 'Total amount' },
  steps: { zh: '计算过程', en: 'Calculation steps' },
  amount: { zh: '金额', en: 'Amount' },
  share: { zh: '分项', en: 'Share' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MsgKey = keyof typeof DICT;

export function translate(lang: Lang, key: MsgKey, vars?: Record<string, string | number>): string {
  let s: string = DICT[key][lang];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MsgKey, vars?: Record<string, string | number>): string;
  /** pick the text for the current language from a {zh, en} pair sent by the API */
  pick(text: string | { zh?: string; en?: string } | undefined | null): string;
}

const I18nContext = createContext<I18n | null>(null);
const STORAGE_KEY = 'medfund.lang';

function initialLang(): Lang {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return saved === 'en' ? 'en' : 'zh';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      pick: (text) => {
        if (text == null) return '';
        if (typeof text === 'string') return text;
        return (lang === 'zh' ? text.zh ?? text.en : text.en ?? text.zh) ?? '';
      },
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
