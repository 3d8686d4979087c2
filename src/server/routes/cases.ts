/**
 * Audit work queue 审核工作台: violations with evidence (违规 → 证据), cases and their actions
 * (通知 → 申诉 → 复核决定 → 整改), and supervision scores. Bureau auditors act as the reviewer,
 * hospital insurance officers as the institution.
 */
import { z } from 'zod';
import { applyStoredAction, CaseWorkflowError, DECISION_OUTCOMES, SCORE_LEVELS, scoresFromStore, type CaseAction } from '../../casework/index.js';
import type { Row, SqlValue } from '../../store/store.js';
import { ApiError, notFound } from '../errors.js';
import { isoDate } from '../route.js';
import { IdParam, Paging, route } from '../route.js';

const num = (v: SqlValue | undefined) => Number(v ?? 0);
const READERS = ['bureau-auditor', 'hospital-insurance-officer', 'department-head'] as const;

export function caseView(r: Row) {
  return {
    caseId: r.case_id, violationId: r.violation_id, ruleId: r.rule_id, ruleVersion: num(r.rule_version), type: r.type, resultType: r.result_type,
    encounterId: r.encounter_id, institutionId: r.institution_id, departmentId: r.department_id, doctorId: r.doctor_id,
    amountFen: num(r.amount_fen), state: r.state, openedAt: r.opened_at, updatedAt: r.updated_at, notifiedAt: r.notified_at,
    appealDueDate: r.appeal_due_date, appealReason: r.appeal_reason, appealedAt: r.appealed_at,
    decisionOutcome: r.decision_outcome, decisionReason: r.decision_reason, deductedFen: num(r.deducted_fen), decidedAt: r.decided_at,
    rectificationRequired: r.rectification_required === true, rectificationDueDate: r.rectification_due_date, rectificationDoneDate: r.rectification_done_date,
    version: num(r.version),
  };
}

export const caseRoutes = [
  route({
    id: 'cases.list', method: 'get', path: '/api/audit/cases', tag: 'audit', access: READERS,
    summary: 'Audit cases (work queue) 违规案件列表',
    query: z.object({
      institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional(), type: z.string().max(64).optional(),
      state: z.string().max(32).optional(), year: z.string().regex(/^\d{4}$/).optional(), ...Paging,
    }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      const dept = scope.department(query.departmentId);
      const conds: string[] = [];
      const p: SqlValue[] = [];
      if (inst) conds.push(`c.institution_id = $${p.push(inst)}`);
      if (dept) conds.push(`c.department_id = $${p.push(dept)}`);
      if (query.type) conds.push(`c.type = $${p.push(query.type)}`);
      if (query.state) conds.push(`c.state = $${p.push(query.state)}`);
      if (query.year) {
        conds.push(`e.discharge_date >= $${p.push(`${query.year}-01-01`)}`);
        conds.push(`e.discharge_date <= $${p.push(`${query.year}-12-31`)}`);
      }
      const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
      const from = `FROM cases c JOIN encounters e ON e.id = c.encounter_id${where}`;
      const [agg] = await services.store.query(`SELECT COUNT(*) AS n, SUM(c.amount_fen) AS amount ${from}`, p);
      const rows = await services.store.query(`SELECT c.* ${from} ORDER BY c.amount_fen DESC, c.case_id LIMIT ${query.limit} OFFSET ${query.offset}`, p);
      return { rows: rows.map(caseView), total: num(agg?.n), amountFen: num(agg?.amount), limit: query.limit, offset: query.offset };
    },
  }),
  route({
    id: 'cases.get', method: 'get', path: '/api/audit/cases/:id', tag: 'audit', access: READERS, patientData: true,
    summary: 'One case with its evidence: the encounter, its lines and the case history 案件详情与证据',
    params: IdParam,
    handler: async ({ services, scope, params, log }) => {
      const [row] = await services.store.query(`SELECT * FROM cases WHERE case_id = $1`, [params.id]);
      if (!row) throw notFound(`case ${params.id}`);
      const c = caseView(row);
      scope.assertVisible(String(c.institutionId), String(c.departmentId));
      const encounter = await services.store.getEncounter(String(c.encounterId));
      const lines = await services.store.getLines(String(c.encounterId));
      const events = await services.store.query(`SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`, [params.id]);
      await log({ action: 'read', resource: 'case', resourceId: params.id });
      return {
        case: c, encounter, lines,
        events: events.map((e) => ({ seq: num(e.seq), action: e.action, fromState: e.from_state, toState: e.to_state, actorId: e.actor_id, actorRole: e.actor_role, at: e.occurred_at, details: JSON.parse(String(e.details)) as unknown })),
      };
    },
  }),
];

function violationView(r: Row) {
  let evidence: unknown = {};
  try {
    evidence = JSON.parse(String(r.evidence));
  } catch {
    evidence = { text: String(r.evidence) };
  }
  return {
    id: r.id, runId: r.run_id, ruleId: r.rule_id, ruleVersion: num(r.rule_version), kind: r.kind, type: r.type, resultType: r.result_type, action: r.action,
    nationalClasses: String(r.national_classes).split('|').filter(Boolean).map(Number), encounterId: r.encounter_id, institutionId: r.institution_id,
    departmentId: r.department_id, doctorId: r.doctor_id, lineIds: String(r.line_ids).split('|').filter(Boolean), amountFen: num(r.amount_fen),
    message: r.message, evidence, detectedAt: r.detected_at, caseId: r.case_id ?? null, caseState: r.case_state ?? null,
  };
}

const ActionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('notify'), appealDueDate: isoDate, note: z.string().max(2000).optional(), expectedVersion: z.number().int().min(0).optional() }),
  z.strictObject({ kind: z.literal('appeal'), reason: z.string().min(1).max(4000), attachments: z.array(z.string().max(2000)).max(20).optional(), expectedVersion: z.number().int().min(0).optional() }),
  z.strictObject({ kind: z.literal('decide'), outcome: z.enum(DECISION_OUTCOMES), reason: z.string().min(1).max(4000), deductedFen: z.number().int().nonnegative().max(1e12).optional(), expectedVersion: z.number().int().min(0).optional() }),
  z.strictObject({ kind: z.literal('require-rectification'), dueDate: isoDate, note: z.string().max(2000).optional(), expectedVersion: z.number().int().min(0).optional() }),
  z.strictObject({ kind: z.literal('complete-rectification'), doneDate: isoDate, note: z.string().max(2000).optional(), expectedVersion: z.number().int().min(0).optional() }),
]);

export const auditQueueRoutes = [
  route({
    id: 'violations.list', method: 'get', path: '/api/audit/violations', tag: 'audit', access: READERS,
    summary: 'Violations with evidence summary and case state 违规列表',
    query: z.object({
      institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional(), type: z.string().max(64).optional(),
      ruleId: z.string().max(64).optional(), year: z.string().regex(/^\d{4}$/).optional(), ...Paging,
    }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      const dept = scope.department(query.departmentId);
      const conds: string[] = [];
      const p: SqlValue[] = [];
      if (inst) conds.push(`v.institution_id = $${p.push(inst)}`);
      if (dept) conds.push(`v.department_id = $${p.push(dept)}`);
      if (query.type) conds.push(`v.type = $${p.push(query.type)}`);
      if (query.ruleId) conds.push(`v.rule_id = $${p.push(query.ruleId)}`);
      if (query.year) {
        conds.push(`e.discharge_date >= $${p.push(`${query.year}-01-01`)}`);
        conds.push(`e.discharge_date <= $${p.push(`${query.year}-12-31`)}`);
      }
      const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
      const from = `FROM violations v JOIN encounters e ON e.id = v.encounter_id LEFT JOIN cases c ON c.violation_id = v.id${where}`;
      const [agg] = await services.store.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT v.encounter_id) AS encounters, SUM(v.amount_fen) AS amount ${from}`, p);
      const rows = await services.store.query(`SELECT v.*, c.case_id, c.state AS case_state ${from} ORDER BY v.amount_fen DESC, v.id LIMIT ${query.limit} OFFSET ${query.offset}`, p);
      return { rows: rows.map(violationView), total: num(agg?.n), encounters: num(agg?.encounters), amountFen: num(agg?.amount), limit: query.limit, offset: query.offset };
    },
  }),
  route({
    id: 'violations.get', method: 'get', path: '/api/audit/violations/:id', tag: 'audit', access: READERS, patientData: true,
    summary: 'One violation with its evidence: the flagged lines, the encounter and the case 违规证据',
    params: IdParam,
    handler: async ({ services, scope, params, log }) => {
      const [row] = await services.store.query(`SELECT v.*, c.case_id, c.state AS case_state FROM violations v LEFT JOIN cases c ON c.violation_id = v.id WHERE v.id = $1`, [params.id]);
      if (!row) throw notFound(`violation ${params.id}`);
      const v = violationView(row);
      scope.assertVisible(String(v.institutionId), String(v.departmentId));
      const encounter = await services.store.getEncounter(String(v.encounterId));
      const flagged = new Set(v.lineIds);
      const lines = (await services.store.getLines(String(v.encounterId))).map((l) => ({ ...l, flagged: flagged.has(l.id) }));
      await log({ action: 'read', resource: 'violation', resourceId: params.id });
      return { violation: v, encounter, lines };
    },
  }),
  route({
    id: 'cases.action', method: 'post', path: '/api/audit/cases/:id/actions', tag: 'audit',
    access: ['bureau-auditor', 'hospital-insurance-officer'],
    summary: 'Act on a case: notify / decide / require-rectification (bureau), appeal / complete-rectification (hospital) 案件处理',
    params: IdParam,
    body: ActionSchema,
    handler: async ({ services, scope, params, body, principal, log }) => {
      const [row] = await services.store.query(`SELECT institution_id, department_id, version FROM cases WHERE case_id = $1`, [params.id]);
      if (!row) throw notFound(`case ${params.id}`);
      scope.assertVisible(String(row.institution_id), String(row.department_id));
      if (body.expectedVersion !== undefined && body.expectedVersion !== num(row.version)) {
        throw new ApiError(409, 'conflict', `the case changed meanwhile (version ${num(row.version)}, you saw ${body.expectedVersion}); reload it (案件已被他人更新)`);
      }
      const at = services.clock().toISOString().slice(0, 19);
      const actor = { id: principal.username, role: principal.role === 'bureau-auditor' ? ('reviewer' as const) : ('institution' as const) };
      const { expectedVersion: _v, ...rest } = body;
      const action = { ...rest, at, actor } as CaseAction;
      try {
        const result = await applyStoredAction(services.store, params.id, action);
        await log({ action: 'update', resource: 'case', resourceId: params.id, detail: { kind: body.kind, from: result.event.fromState, to: result.event.toState } });
        return { case: result.case, event: result.event };
      } catch (err) {
        if (err instanceof CaseWorkflowError) throw new ApiError(409, 'conflict', err.message, err.issues.map((i) => ({ path: i.path ? `body.${i.path}` : 'body.kind', code: i.code, message: i.message })));
        throw err;
      }
    },
  }),
  route({
    id: 'audit.scores', method: 'get', path: '/api/audit/scores', tag: 'audit', access: ['bureau-auditor', 'hospital-insurance-officer', 'department-head'],
    summary: 'Supervision scores 监管评分: violation rate, amounts, appeal success, rectification timeliness, fund safety index',
    query: z.object({ level: z.enum(SCORE_LEVELS).default('hospital'), institutionId: z.string().max(64).optional(), departmentId: z.string().max(64).optional(), asOf: isoDate.optional() }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      const dept = scope.department(query.departmentId);
      const asOf = query.asOf ?? services.clock().toISOString().slice(0, 10);
      const all = await scoresFromStore(services.store, query.level, asOf);
      // a department head sees only units of the department (department and doctor levels)
      const rows = all.filter((u) => (!inst || u.institutionId === inst) && (!dept || u.departmentId === dept));
      return { level: query.level, asOf, rows, total: rows.length };
    },
  }),
];
