import type { Migration } from './types.js';

/**
 * Security tables (src/security/): users, sessions, the tamper-evident audit log and its keyed head,
 * and received FHIR claims (payload encrypted at rest). Portable SQL; ids are text.
 */
export const securityMigration: Migration = {
  id: '500-security',
  up() {
    return [
      // display_name / phone are encrypted at rest (enc:v1:…); username is the login name (not personal data).
      `CREATE TABLE IF NOT EXISTS users (
        id VARCHAR PRIMARY KEY, username VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, role VARCHAR NOT NULL,
        institution_id VARCHAR NOT NULL, department_id VARCHAR NOT NULL, display_name_enc VARCHAR NOT NULL,
        created_at VARCHAR NOT NULL, disabled BOOLEAN NOT NULL)`,
      // id_hash = HMAC(tokenKey, token): the bearer token itself is never stored.
      `CREATE TABLE IF NOT EXISTS sessions (
        id_hash VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, created_at VARCHAR NOT NULL, expires_at VARCHAR NOT NULL)`,
      // Hash chain: hash = HMAC(auditKey, prev_hash || canonical(entry)). seq starts at 1, no gaps.
      `CREATE TABLE IF NOT EXISTS audit_log (
        seq BIGINT NOT NULL, logged_at VARCHAR NOT NULL, actor VARCHAR NOT NULL, role VARCHAR NOT NULL,
        institution_id VARCHAR NOT NULL, action VARCHAR NOT NULL, resource VARCHAR NOT NULL,
        resource_id VARCHAR NOT NULL, outcome VARCHAR NOT NULL, detail VARCHAR NOT NULL,
        prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL)`,
      // One row: the last (seq, hash) with a MAC, so deleting the newest entries is detected too.
      `CREATE TABLE IF NOT EXISTS audit_log_head (seq BIGINT NOT NULL, hash VARCHAR NOT NULL, mac VARCHAR NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS fhir_claims (
        id VARCHAR NOT NULL, received_at VARCHAR NOT NULL, actor VARCHAR NOT NULL, institution_id VARCHAR NOT NULL,
        patient_pseudonym VARCHAR NOT NULL, payload_enc VARCHAR NOT NULL, outcome VARCHAR NOT NULL)`,
    ];
  },
};
