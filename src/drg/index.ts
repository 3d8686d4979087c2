/**
 * DRG engine — the whole public surface. Everyone else imports `drg/index.js`, nothing deeper.
 *
 * Grouping (CHS-DRG 1.1 / 2.0 or any scheme folder under data/schemes/):
 *   loadScheme, listSchemes, chooseScheme, group, groupBatch, caseFromEncounter
 * Weights, rates and payment (费率法, 高/低倍率, 特例单议, 歧义组/未入组, 结余留用/超支分担):
 *   computeWeights, computeRate, priceCase, settleHospital, loadPaymentParams
 * Indicators (CMI, 费用/时间消耗指数, 低风险组死亡率): computeIndicators, classifyMortalityRisk
 * Pre-discharge prediction: predictStay
 *
 * The engine files are pure; loader.ts alone reads files. See docs/drg.md.
 */

// ── grouping ──
/** Load a compiled scheme by name (`'chs-drg-2.0'`), list schemes, choose one by discharge date. */
export { loadScheme, listSchemes, chooseScheme, readSchemeTables, schemesDir } from './loader.js';
export type { SchemeInfo, SchemePeriod, LoadOptions } from './loader.js';
/** Group one case / many cases; the CC/MCC analysis used in traces. */
export { group, groupBatch, analyseSeverity } from './group.js';
export type { GroupOptions } from './group.js';
/** Compile tables that are already in memory (pure; a loader reads them). */
export { compileScheme, describeCondition } from './compile.js';
/** A grouper case from the domain Encounter. */
export { caseFromEncounter } from './encounter.js';
/** CSV text form of cases and results (medfund group). */
export { CASE_COLUMNS, GROUP_COLUMNS, splitCsvRecord, csvField, parseListField, caseColumnIndex, caseFromRow, groupRow } from './csv.js';
export type {
  Scheme,
  SchemeProfile,
  SchemeTables,
  DrgCase,
  GroupResult,
  GroupTrace,
  GroupStatus,
  SeverityTrace,
  SeverityItem,
  Condition,
} from './types.js';

// ── weights, rates, payment ──
/** Relative weights from history with outlier trimming and policy adjustment. */
export { computeWeights, trimFences, trimCosts, quantile } from './weights.js';
export type { WeightCase, WeightOptions, WeightTable, DrgWeight, TrimRule } from './weights.js';
/** Base rate, per-case payment, year-end surplus / overspend sharing. */
export { computeRate, standardPaymentFen, priceCase, settleHospital, CASE_TYPES } from './payment.js';
export type { DrgPaymentParams, RateResult, PriceInput, DrgReference, CasePayment, CaseType, HospitalSettlement } from './payment.js';
/** Versioned payment parameters (data/payment/drg/). */
export { loadPaymentParams, listPaymentParams, paymentParamsDir } from './loader.js';

// ── indicators and prediction ──
export { computeIndicators, classifyMortalityRisk } from './indicators.js';
export type { IndicatorCase, Indicators, MortalityRisk } from './indicators.js';
export { predictStay, WARNING_LEVELS } from './predict.js';
export type { StayInProgress, StayPrediction, WarningLevel } from './predict.js';

// ── version impact ──
export { compareSchemes } from './compare.js';
export type { CompareCase, CompareReport } from './compare.js';
