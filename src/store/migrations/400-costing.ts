import type { Migration } from './types.js';

/**
 * Hospital cost accounting results (src/costing/, `medfund cost`). One run per (period, allocation
 * method, case method): `run_id` = `<period>:<allocation>:<case>`; a re-run deletes its rows first,
 * so running a period twice changes nothing. Money BIGINT fen; unit costs and ratios DOUBLE.
 */
export const costingMigration: Migration = {
  id: '400-costing',
  up() {
    return [
      `CREATE TABLE IF NOT EXISTS cost_runs (
        run_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, period VARCHAR NOT NULL,
        allocation_method VARCHAR NOT NULL, case_method VARCHAR NOT NULL, config_version VARCHAR NOT NULL,
        imported_fen BIGINT NOT NULL, allocated_fen BIGINT NOT NULL, unallocated_fen BIGINT NOT NULL,
        case_cost_fen BIGINT NOT NULL, unassigned_fen BIGINT NOT NULL, cases BIGINT NOT NULL, created_at VARCHAR NOT NULL,
        PRIMARY KEY (run_id, institution_id))`,
      `CREATE TABLE IF NOT EXISTS cost_department_results (
        run_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, department_id VARCHAR NOT NULL,
        cost_category VARCHAR NOT NULL, cost_item VARCHAR NOT NULL, direct_fen BIGINT NOT NULL,
        received_l1_fen BIGINT NOT NULL, received_l2_fen BIGINT NOT NULL, received_l3_fen BIGINT NOT NULL,
        allocated_out_fen BIGINT NOT NULL, full_fen BIGINT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS cost_allocation_flows (
        run_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, from_id VARCHAR NOT NULL, to_id VARCHAR NOT NULL,
        level INTEGER NOT NULL, cost_item VARCHAR NOT NULL, driver VARCHAR NOT NULL, amount_fen BIGINT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS cost_item_results (
        run_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, center_id VARCHAR NOT NULL, item_code VARCHAR NOT NULL,
        item_name VARCHAR NOT NULL, quantity DOUBLE PRECISION NOT NULL, revenue_fen BIGINT NOT NULL,
        minutes DOUBLE PRECISION NOT NULL, basis VARCHAR NOT NULL, cost_fen BIGINT NOT NULL,
        unit_cost_fen DOUBLE PRECISION NOT NULL, cost_to_charge DOUBLE PRECISION)`,
      `CREATE TABLE IF NOT EXISTS cost_case_results (
        run_id VARCHAR NOT NULL, encounter_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL,
        department_id VARCHAR NOT NULL, doctor_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, drg VARCHAR NOT NULL,
        drug_fen BIGINT NOT NULL, material_fen BIGINT NOT NULL, service_fen BIGINT NOT NULL, total_fen BIGINT NOT NULL,
        payment_fen BIGINT NOT NULL, denied_fen BIGINT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS cost_drg_benefit (
        run_id VARCHAR NOT NULL, dimension VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, key VARCHAR NOT NULL,
        drg VARCHAR NOT NULL, cases BIGINT NOT NULL, cost_fen BIGINT NOT NULL, payment_fen BIGINT NOT NULL,
        denied_fen BIGINT NOT NULL, margin_fen BIGINT NOT NULL, margin_rate DOUBLE PRECISION)`,
      `CREATE TABLE IF NOT EXISTS cost_budget_results (
        run_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, center_id VARCHAR NOT NULL, cost_item VARCHAR NOT NULL,
        period VARCHAR NOT NULL, granularity VARCHAR NOT NULL, budget_fen BIGINT NOT NULL, actual_fen BIGINT NOT NULL,
        variance_fen BIGINT NOT NULL, forecast_fen BIGINT, status VARCHAR NOT NULL, basis VARCHAR NOT NULL)`,
    ];
  },
};
