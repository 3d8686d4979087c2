import type { Migration } from './types.js';

/**
 * Real-time monitoring (src/monitor/): alerts, rejected stream input, and one checkpoint per consumer.
 * The checkpoint (source position + evaluator snapshot) is written in the same transaction as the
 * alerts it accounts for; `alert_id` is deterministic, so a replay after a crash inserts nothing twice.
 */
export const monitorMigration: Migration = {
  id: '350-monitor',
  up() {
    return [
      `CREATE TABLE IF NOT EXISTS monitor_alerts (
        alert_id VARCHAR PRIMARY KEY, consumer_id VARCHAR NOT NULL, rule_id VARCHAR NOT NULL,
        rule_version INTEGER NOT NULL, type VARCHAR NOT NULL, result_type VARCHAR NOT NULL, action VARCHAR NOT NULL,
        encounter_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, department_id VARCHAR NOT NULL,
        doctor_id VARCHAR NOT NULL, line_ids VARCHAR NOT NULL, amount_fen BIGINT NOT NULL, message VARCHAR NOT NULL,
        evidence VARCHAR NOT NULL, trigger_line_id VARCHAR NOT NULL, line_charged_at VARCHAR NOT NULL,
        source_position VARCHAR NOT NULL, detected_at VARCHAR NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS monitor_rejects (
        consumer_id VARCHAR NOT NULL, source_position VARCHAR NOT NULL, raw VARCHAR NOT NULL, reason VARCHAR NOT NULL,
        received_at VARCHAR NOT NULL, PRIMARY KEY (consumer_id, source_position))`,
      `CREATE TABLE IF NOT EXISTS monitor_checkpoints (
        consumer_id VARCHAR PRIMARY KEY, source VARCHAR NOT NULL, position VARCHAR NOT NULL,
        lines_processed BIGINT NOT NULL, alerts_emitted BIGINT NOT NULL, rejected BIGINT NOT NULL,
        evaluator_snapshot VARCHAR NOT NULL, updated_at VARCHAR NOT NULL)`,
    ];
  },
};
