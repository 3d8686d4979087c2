/**
 * Settlement engine (医保结算与支付方式): patient settlement of one encounter, hospital clearing,
 * department allocation, monitoring, payment-method comparison and analysis. Pure: no I/O (the policy
 * loader is in ./load.ts, used by the CLI).
 *
 * @example
 * const policy = resolvePolicy('440700');                    // from ./load.js
 * const r = settle({ encounter, lines, institutionLevel: '2', personType: 'in-service' }, policy, ytd, catalog);
 * r.fundFen; r.patientFen; r.ytd;                             // next accumulators
 */
export { settle, bandPay, SETTLEMENT_PATHS } from './settle.js';
export type { SettleInput, EncounterInput, SettlementResult, LineResult, SettlementPath } from './settle.js';
export { classifyLine, LINE_REASONS } from './classify.js';
export type { CatalogEntry, CatalogLookup, LineInput, LineReason, LineSplit } from './classify.js';
export { emptyYearToDate, forYear } from './accumulators.js';
export type { YearToDate } from './accumulators.js';
export { PolicySchema, parsePolicy, pickRule, selectPolicy, ASSISTANCE_CATEGORIES, STAND_IN_POLICIES } from './policy.js';
export type { Policy, SchemePolicy, InpatientRule, OutpatientRule, ChronicRule, Tier2, Assistance, AssistanceCategory } from './policy.js';
export { explainSettlement, REASON_TEXT } from './explain.js';
export {
  shareSurplus, clearGlobalBudget, clearPerVisitQuota, dipBudgetPointValue, dipSettlementPointValue, dipCasePoints, clearDip, clearSingleDisease, DIP_DEFAULT_THRESHOLDS,
} from './clearing.js';
export type {
  SharingRule, SharingResult, GlobalBudgetInput, GlobalBudgetResult, PerVisitQuotaInput, PerVisitQuotaResult, DipCase, DipCaseKind, DipClearingInput, DipClearingResult,
  DipThresholds, SingleDiseaseRule, SingleDiseaseResult,
} from './clearing.js';
export { allocateToDepartments, HISTORY_WEIGHTS } from './allocation.js';
export type { DepartmentYear, DepartmentAllocation } from './allocation.js';
export { monitorDepartments, projectYear, DEFAULT_THRESHOLDS, ALERT_KINDS } from './monitoring.js';
export type { DepartmentActivity, MonitoringThresholds, Alert, AlertKind } from './monitoring.js';
export { compareMethods, PAYMENT_METHODS } from './best-method.js';
export type { MethodInputs, MethodPosition, MethodComparison, PaymentMethod } from './best-method.js';
export { analyse, ANALYSIS_DIMENSIONS } from './analysis.js';
export type { AnalysisRow, AnalysisGroup, AnalysisDimension } from './analysis.js';
export { computeDipScores, dipCoreKey, dipComprehensiveKey } from './dip.js';
export type { DipHistoryCase, DipGroupScore, DipScoreTable } from './dip.js';
