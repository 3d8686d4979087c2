/** Audit cases 违规案件: the work queue (violation → evidence → appeal → decision), read side. */
import { z } from 'zod';
import type { Row, SqlValue } from '../../store/store.js';
import { notFound } from '../errors.js';
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
