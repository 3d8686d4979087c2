import type { Migration } from './types.js';

/**
 * Settlement results (src/settlement/, `medfund settle`/`clear`/`stats`, demo step). One row per settled
 * encounter with every bucket of the national settlement output (money BIGINT fen) plus the charge
 * category split used by the analysis; a re-run of a run_id deletes its rows first. Clearing and
 * department allocation rows are keyed by (run_id, institution, …).
 */
export const settlementMigration: Migration = {
  id: '200-settlement',
  up() {
    return [
      `CREATE TABLE IF NOT EXISTS settlement_results (
        run_id VARCHAR NOT NULL, encounter_id VARCHAR NOT NULL, person_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL,
        department_id VARCHAR NOT NULL, doctor_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, scheme VARCHAR NOT NULL,
        person_type VARCHAR NOT NULL, policy_id VARCHAR NOT NULL, path VARCHAR NOT NULL, discharge_date VARCHAR NOT NULL,
        month VARCHAR NOT NULL, los_days INTEGER NOT NULL, discharge_type VARCHAR NOT NULL,
        total_fen BIGINT NOT NULL, full_self_pay_fen BIGINT NOT NULL, over_limit_fen BIGINT NOT NULL,
        pre_self_pay_fen BIGINT NOT NULL, in_scope_fen BIGINT NOT NULL, deductible_fen BIGINT NOT NULL,
        co_pay_fen BIGINT NOT NULL, above_cap_fen BIGINT NOT NULL, fund_fen BIGINT NOT NULL, tier2_fen BIGINT NOT NULL,
        assistance_fen BIGINT NOT NULL, fund_total_fen BIGINT NOT NULL, patient_fen BIGINT NOT NULL,
        account_fen BIGINT NOT NULL, cash_fen BIGINT NOT NULL, drug_fen BIGINT NOT NULL, consumable_fen BIGINT NOT NULL,
        service_fen BIGINT NOT NULL, facility_fen BIGINT NOT NULL, expensive_drug_fen BIGINT NOT NULL,
        issue_codes VARCHAR NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS settlement_runs (
        run_id VARCHAR NOT NULL, created_at VARCHAR NOT NULL, policy_ids VARCHAR NOT NULL, encounters BIGINT NOT NULL,
        total_fen BIGINT NOT NULL, fund_total_fen BIGINT NOT NULL, patient_fen BIGINT NOT NULL, note VARCHAR NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS clearing_results (
        run_id VARCHAR NOT NULL, period VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, method VARCHAR NOT NULL,
        budget_fen BIGINT NOT NULL, claims_fen BIGINT NOT NULL, due_fen BIGINT NOT NULL, prepaid_fen BIGINT NOT NULL,
        year_end_payment_fen BIGINT NOT NULL, retained_surplus_fen BIGINT NOT NULL, fund_shared_overspend_fen BIGINT NOT NULL,
        hospital_borne_overspend_fen BIGINT NOT NULL, detail VARCHAR NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS department_allocations (
        run_id VARCHAR NOT NULL, period VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, department_id VARCHAR NOT NULL,
        share_bp INTEGER NOT NULL, budget_fen BIGINT NOT NULL, quota_per_visit_fen BIGINT NOT NULL, method VARCHAR NOT NULL)`,
    ];
  },
};
