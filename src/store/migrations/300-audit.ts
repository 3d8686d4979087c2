import type { Migration } from './types.js';

/**
 * Audit results (src/audit): one row per violation (违规) with evidence and amount at stake, and
 * one row per audit run. Violation ids are deterministic (rule, rule version, encounter), so a
 * re-run replaces rows instead of duplicating them and the case workflow keeps its references.
 */
export const auditMigration: Migration = {
  id: '300-audit',
  up(dialect) {
    const pk = (cols: string) => (dialect === 'postgres' ? `, PRIMARY KEY (${cols})` : '');
    return [
      `CREATE TABLE IF NOT EXISTS audit_runs (
        run_id VARCHAR NOT NULL, mode VARCHAR NOT NULL, library_version VARCHAR NOT NULL, as_of VARCHAR NOT NULL,
        started_at VARCHAR NOT NULL, finished_at VARCHAR NOT NULL, encounters BIGINT NOT NULL, lines BIGINT NOT NULL,
        violations BIGINT NOT NULL, amount_fen BIGINT NOT NULL${pk('run_id')})`,
      `CREATE TABLE IF NOT EXISTS violations (
        id VARCHAR NOT NULL, run_id VARCHAR NOT NULL, rule_id VARCHAR NOT NULL, rule_version INTEGER NOT NULL,
        kind VARCHAR NOT NULL, type VARCHAR NOT NULL, result_type VARCHAR NOT NULL, action VARCHAR NOT NULL,
        national_classes VARCHAR NOT NULL, encounter_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL,
        department_id VARCHAR NOT NULL, doctor_id VARCHAR NOT NULL, line_ids VARCHAR NOT NULL, amount_fen BIGINT NOT NULL,
        message VARCHAR NOT NULL, evidence VARCHAR NOT NULL, detected_at VARCHAR NOT NULL${pk('id')})`,
    ];
  },
};
