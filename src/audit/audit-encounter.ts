import type { SettlementLine } from '../domain/index.js';
import type { AuditPlan } from './compile.js';
import { toColumns } from './columns.js';
import type { LineColumns } from './columns.js';
import { createEncounterAuditor } from './evaluate.js';
import type { EncounterAuditor } from './evaluate.js';
import type { AuditEncounter, Violation } from './types.js';

const auditors = new WeakMap<AuditPlan, EncounterAuditor>();

/**
 * Batch/post-mode audit of one encounter (its own rules only; cross-encounter rules such as 分解住院
 * need createBatchAudit). Accepts lines as objects or as columns (all of `cols` belong to ctx).
 */
export function auditEncounter(plan: AuditPlan, ctx: AuditEncounter, lines: readonly SettlementLine[] | LineColumns): Violation[] {
  let a = auditors.get(plan);
  if (!a) auditors.set(plan, (a = createEncounterAuditor(plan, 'post')));
  const cols = Array.isArray(lines) ? toColumns(plan, lines as SettlementLine[]) : (lines as LineColumns);
  const out: Violation[] = [];
  a.audit(ctx, cols, 0, cols.length, out);
  return out;
}
