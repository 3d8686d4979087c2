/**
 * Smart audit (智能审核与监控): one compiled rule set, three modes.
 *
 * @example
 * const plan = compileRules(loadRuleLibrary(), { asOf: '2026-11-23', region: { catalog, codeMappings } });
 * const batch = createBatchAudit(plan);          // 事后: add(ctx, cols, from, to) per encounter, then finish()
 * const verdict = checkOrder(plan, request);      // 事前: proposed order in, verdicts out
 * const live = createStreamEvaluator(plan);       // 事中: push(line, ctx) → alerts; snapshot()/restore()
 */
export { compileRules, implementedClasses, BIT } from './compile.js';
export type { AuditPlan, CompiledRule, PlanItem, CompileOptions } from './compile.js';
export { toColumns, allocColumns, pushLine, dayNumber, minuteOf } from './columns.js';
export type { LineColumns } from './columns.js';
export { createEncounterAuditor, renderMessage } from './evaluate.js';
export type { EncounterAuditor } from './evaluate.js';
export { createBatchAudit } from './batch.js';
export type { BatchAudit } from './batch.js';
export { auditEncounter } from './audit-encounter.js';
export { checkOrder } from './preorder.js';
export type { OrderRequest, OrderLine, OrderVerdict, OrderCheckResult } from './preorder.js';
export { createStreamEvaluator } from './stream.js';
export type { StreamEvaluator, StreamSnapshot, StreamEvaluatorOptions } from './stream.js';
export { scoreFindings } from './scoring.js';
export type { TypeScore } from './scoring.js';
export { loadRuleLibrary, watchRuleLibrary, DEFAULT_DATA_DIR } from './loader.js';
export { ruleCoverage } from './coverage.js';
export type { Coverage } from './coverage.js';
export {
  AUDIT_MODES,
  AUDIT_ACTIONS,
  ACTION_ZH,
  RESULT_TYPES,
  RESULT_TYPE_ZH,
  RULE_KINDS,
  RULE_CATEGORIES,
} from './types.js';
export type {
  AuditMode,
  AuditAction,
  ResultType,
  RuleKind,
  RuleDef,
  RuleLibrary,
  RegionKnowledge,
  AuditEncounter,
  Violation,
  Alert,
} from './types.js';
