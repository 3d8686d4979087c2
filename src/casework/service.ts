/**
 * Store-backed case service: opens cases from the audit's `violations`, applies workflow actions
 * (pure state machine in machine.ts) and persists the case and its event in one transaction, and
 * loads the inputs of the scores. Portable SQL only (DuckDB and PostgreSQL).
 *
 * Concurrency: the event's primary key (case_id, seq) and the `version` check on update mean two
 * reviewers acting on the same case at once cannot both succeed — the second transaction fails and
 * changes nothing.
 */
import type { Row, SqlValue, Store } from '../store/index.js';
import { MedfundError, issue } from '../domain/index.js';
import { applyCaseAction, checkCaseInvariants, type Case, type CaseAction, type CaseEvent, type CaseState, type DecisionOutcome } from './machine.js';
import { computeScores, type ActivityCell, type ScoreCase, type ScoreLevel, type UnitScore } from './scores.js';

/** Case id of a violation: deterministic, so opening cases twice opens nothing twice. */
export const caseIdOf = (violationId: string): string => `C-${violationId}`;

const str = (v: SqlValue | undefined): string | null => (v === null || v === undefined ? null : String(v));

export function rowToCase(r: Row): Case {
  return {
    caseId: String(r.case_id),
    violationId: String(r.violation_id),
    ruleId: String(r.rule_id),
    encounterId: String(r.encounter_id),
    institutionId: String(r.institution_id),
    departmentId: String(r.department_id),
    doctorId: String(r.doctor_id),
    amountFen: Number(r.amount_fen),
    state: String(r.state) as CaseState,
    openedAt: String(r.opened_at),
    updatedAt: String(r.updated_at),
    notifiedAt: str(r.notified_at),
    appealDueDate: str(r.appeal_due_date),
    appeal:
      r.appealed_at === null || r.appealed_at === undefined
        ? null
        : { reason: String(r.appeal_reason ?? ''), attachments: JSON.parse(String(r.appeal_attachments ?? '[]')) as string[], at: String(r.appealed_at) },
    decision:
      r.decision_outcome === null || r.decision_outcome === undefined
        ? null
        : { outcome: String(r.decision_outcome) as DecisionOutcome, reason: String(r.decision_reason ?? ''), deductedFen: Number(r.deducted_fen), at: String(r.decided_at) },
    rectification: {
      required: r.rectification_required === true || r.rectification_required === 1,
      dueDate: str(r.rectification_due_date),
      doneDate: str(r.rectification_done_date),
      note: String(r.rectification_note ?? ''),
    },
    version: Number(r.version),
  };
}

function eventFrom(r: Row): CaseEvent {
  return {
    caseId: String(r.case_id),
    seq: Number(r.seq),
    action: String(r.action) as CaseEvent['action'],
    fromState: String(r.from_state) as CaseState,
    toState: String(r.to_state) as CaseState,
    actorId: String(r.actor_id),
    actorRole: String(r.actor_role) as CaseEvent['actorRole'],
    at: String(r.occurred_at),
    details: JSON.parse(String(r.details)) as Record<string, unknown>,
  };
}

/**
 * Open a case (state `open`) for every violation that has none yet. Returns how many were opened.
 * Reads the audit engine's `violations` table (migration 300-audit).
 */
export async function openCasesFromViolations(store: Store, openedAt: string): Promise<{ opened: number; total: number }> {
  return store.withTransaction(async (tx) => {
    const before = Number((await tx.query(`SELECT COUNT(*) AS n FROM cases`))[0]?.n ?? 0);
    await tx.exec(
      `INSERT INTO cases (case_id, violation_id, rule_id, rule_version, type, result_type, encounter_id, institution_id,
         department_id, doctor_id, amount_fen, state, opened_at, updated_at, deducted_fen, rectification_required,
         rectification_note, version)
       SELECT 'C-' || CAST(v.id AS VARCHAR), CAST(v.id AS VARCHAR), v.rule_id, v.rule_version, COALESCE(v.type, ''), v.result_type,
         v.encounter_id, v.institution_id, v.department_id, v.doctor_id, v.amount_fen, 'open', $1, $1, 0, FALSE, '', 0
       FROM violations v
       WHERE NOT EXISTS (SELECT 1 FROM cases c WHERE c.case_id = 'C-' || CAST(v.id AS VARCHAR))`,
      [openedAt],
    );
    const total = Number((await tx.query(`SELECT COUNT(*) AS n FROM cases`))[0]?.n ?? 0);
    return { opened: total - before, total };
  });
}

export async function getCase(store: Store, caseId: string): Promise<Case | undefined> {
  const r = (await store.query(`SELECT * FROM cases WHERE case_id = $1`, [caseId]))[0];
  return r ? rowToCase(r) : undefined;
}

export async function getCaseEvents(store: Store, caseId: string): Promise<CaseEvent[]> {
  return (await store.query(`SELECT * FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId])).map(eventFrom);
}

export interface CaseFilter {
  state?: CaseState;
  institutionId?: string;
  ruleId?: string;
  limit?: number;
}

export async function listCases(store: Store, f: CaseFilter = {}): Promise<Case[]> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, v: SqlValue | undefined): void => {
    if (v === undefined) return;
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  add('state = ?', f.state);
  add('institution_id = ?', f.institutionId);
  add('rule_id = ?', f.ruleId);
  const limit = f.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(f.limit))}` : '';
  const sql = `SELECT * FROM cases${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY case_id${limit}`;
  return (await store.query(sql, params)).map(rowToCase);
}

/** Counts per state (for reports). */
export async function countCasesByState(store: Store): Promise<Record<CaseState, number>> {
  const out: Record<CaseState, number> = { open: 0, notified: 0, appealed: 0, deducted: 0, cleared: 0 };
  for (const r of await store.query(`SELECT state, COUNT(*) AS n FROM cases GROUP BY state`)) out[String(r.state) as CaseState] = Number(r.n);
  return out;
}

/**
 * Apply one action to a stored case: load, transition (pure), write the case and its event in one
 * transaction. Throws CaseWorkflowError for a rejected action (nothing is written) and
 * MedfundError `unknown-case` for an unknown id.
 */
export async function applyStoredAction(store: Store, caseId: string, action: CaseAction): Promise<{ case: Case; event: CaseEvent }> {
  return store.withTransaction(async (tx) => {
    const row = (await tx.query(`SELECT * FROM cases WHERE case_id = $1`, [caseId]))[0];
    if (!row) throw new MedfundError([issue('unknown-case', 'caseId', `no case ${caseId} (see medfund cases list)`)]);
    const current = rowToCase(row);
    const result = applyCaseAction(current, action);
    const c = result.case;
    const broken = checkCaseInvariants(c);
    if (broken.length) throw new MedfundError([issue('case-invariant', caseId, broken.join('; '))]);
    await tx.exec(
      `UPDATE cases SET state = $1, updated_at = $2, notified_at = $3, appeal_due_date = $4, appeal_reason = $5,
         appeal_attachments = $6, appealed_at = $7, decision_outcome = $8, decision_reason = $9, deducted_fen = $10,
         decided_at = $11, rectification_required = $12, rectification_due_date = $13, rectification_done_date = $14,
         rectification_note = $15, version = $16
       WHERE case_id = $17 AND version = $18`,
      [
        c.state, c.updatedAt, c.notifiedAt, c.appealDueDate, c.appeal?.reason ?? null,
        c.appeal ? JSON.stringify(c.appeal.attachments) : null, c.appeal?.at ?? null, c.decision?.outcome ?? null,
        c.decision?.reason ?? null, c.decision?.deductedFen ?? 0, c.decision?.at ?? null, c.rectification.required,
        c.rectification.dueDate, c.rectification.doneDate, c.rectification.note, c.version, caseId, current.version,
      ],
    );
    const e = result.event;
    // (case_id, seq) is the primary key: a concurrent action on the same version fails here
    await tx.exec(
      `INSERT INTO case_events (case_id, seq, action, from_state, to_state, actor_id, actor_role, occurred_at, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.caseId, e.seq, e.action, e.fromState, e.toState, e.actorId, e.actorRole, e.at, JSON.stringify(e.details)],
    );
    return result;
  });
}

/** Denominators per (institution, department, doctor) of the encounter: encounters and billed fen. */
export async function loadActivity(store: Store): Promise<ActivityCell[]> {
  const rows = await store.query(
    `SELECT e.institution_id, e.department_id, e.doctor_id, COUNT(*) AS encounters, COALESCE(SUM(t.amount_fen), 0) AS billed
     FROM encounters e
     LEFT JOIN (SELECT encounter_id, SUM(amount_fen) AS amount_fen FROM settlement_lines GROUP BY encounter_id) t ON t.encounter_id = e.id
     GROUP BY e.institution_id, e.department_id, e.doctor_id
     ORDER BY e.institution_id, e.department_id, e.doctor_id`,
  );
  return rows.map((r) => ({
    institutionId: String(r.institution_id),
    departmentId: String(r.department_id),
    doctorId: String(r.doctor_id),
    encounters: Number(r.encounters),
    billedFen: Number(r.billed),
  }));
}

export async function loadScoreCases(store: Store): Promise<ScoreCase[]> {
  const rows = await store.query(
    `SELECT encounter_id, institution_id, department_id, doctor_id, amount_fen, state, appealed_at, decision_outcome,
       deducted_fen, rectification_required, rectification_due_date, rectification_done_date
     FROM cases ORDER BY case_id`,
  );
  return rows.map((r) => ({
    encounterId: String(r.encounter_id),
    institutionId: String(r.institution_id),
    departmentId: String(r.department_id),
    doctorId: String(r.doctor_id),
    amountFen: Number(r.amount_fen),
    state: String(r.state) as CaseState,
    appealed: r.appealed_at !== null && r.appealed_at !== undefined,
    decisionOutcome: r.decision_outcome === null || r.decision_outcome === undefined ? null : (String(r.decision_outcome) as DecisionOutcome),
    deductedFen: Number(r.deducted_fen),
    rectificationRequired: r.rectification_required === true || r.rectification_required === 1,
    rectificationDueDate: str(r.rectification_due_date),
    rectificationDoneDate: str(r.rectification_done_date),
  }));
}

/** Scores at one level from the store (see scores.ts for the formulas). */
export async function scoresFromStore(store: Store, level: ScoreLevel, asOf: string): Promise<UnitScore[]> {
  const [activity, cases] = await Promise.all([loadActivity(store), loadScoreCases(store)]);
  return computeScores(level, activity, cases, asOf);
}
