import type { Migration } from './types.js';

/**
 * Case workflow (src/casework/): one row per case (the current state, opened from a violation) and
 * the append-only log of every accepted state change with who and when (case_events).
 * `version` = number of events, checked on update (optimistic concurrency between reviewers).
 */
export const caseworkMigration: Migration = {
  id: '360-casework',
  up() {
    return [
      `CREATE TABLE IF NOT EXISTS cases (
        case_id VARCHAR PRIMARY KEY, violation_id VARCHAR NOT NULL, rule_id VARCHAR NOT NULL,
        rule_version INTEGER NOT NULL, type VARCHAR NOT NULL, result_type VARCHAR NOT NULL,
        encounter_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, department_id VARCHAR NOT NULL,
        doctor_id VARCHAR NOT NULL, amount_fen BIGINT NOT NULL, state VARCHAR NOT NULL,
        opened_at VARCHAR NOT NULL, updated_at VARCHAR NOT NULL, notified_at VARCHAR, appeal_due_date VARCHAR,
        appeal_reason VARCHAR, appeal_attachments VARCHAR, appealed_at VARCHAR,
        decision_outcome VARCHAR, decision_reason VARCHAR, deducted_fen BIGINT NOT NULL, decided_at VARCHAR,
        rectification_required BOOLEAN NOT NULL, rectification_due_date VARCHAR, rectification_done_date VARCHAR,
        rectification_note VARCHAR NOT NULL, version INTEGER NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS case_events (
        case_id VARCHAR NOT NULL, seq INTEGER NOT NULL, action VARCHAR NOT NULL, from_state VARCHAR NOT NULL,
        to_state VARCHAR NOT NULL, actor_id VARCHAR NOT NULL, actor_role VARCHAR NOT NULL, occurred_at VARCHAR NOT NULL,
        details VARCHAR NOT NULL, PRIMARY KEY (case_id, seq))`,
    ];
  },
};
