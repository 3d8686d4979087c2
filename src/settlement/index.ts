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
export { PolicySchema, parsePolicy, pickRule, selectPolicy, ASSISTANCE_CATEGORIES } from './policy.js';
export type { Policy, SchemePolicy, InpatientRule, OutpatientRule, ChronicRule, Tier2, Assistance, AssistanceCategory } from './policy.js';
export { explainSettlement, REASON_TEXT } from './explain.js';
