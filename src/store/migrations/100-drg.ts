import type { Migration } from './types.js';

/**
 * DRG results (src/drg, `medfund demo` / `medfund drg run`): one row per (encounter, scheme) with
 * the group, weight, payment and case type; the weights computed from the history; the rate of
 * each run. Money BIGINT fen, weights DOUBLE PRECISION. Column order matters for appendRows.
 */
export const DRG_RESULT_COLUMNS = [
  'encounter_id', 'scheme', 'institution_id', 'department_id', 'doctor_id', 'discharge_date', 'status', 'mdc', 'adrg',
  'drg', 'weight', 'standard_payment_fen', 'payment_fen', 'case_type', 'cost_fen', 'margin_fen', 'los_days', 'params_id',
] as const;
export const DRG_WEIGHT_COLUMNS = [
  'scheme', 'drg', 'weight', 'cases', 'cases_kept', 'avg_cost_fen', 'avg_los_days', 'cv', 'version',
] as const;
export const DRG_RATE_COLUMNS = [
  'scheme', 'version', 'rate_per_weight_fen', 'forecast_total_fen', 'total_weight', 'history_cases', 'history_cost_fen',
] as const;

export const drgMigration: Migration = {
  id: '100-drg',
  up(dialect) {
    const pk = (cols: string) => (dialect === 'postgres' ? `, PRIMARY KEY (${cols})` : '');
    return [
      `CREATE TABLE IF NOT EXISTS drg_results (
        encounter_id VARCHAR NOT NULL, scheme VARCHAR NOT NULL, institution_id VARCHAR NOT NULL,
        department_id VARCHAR NOT NULL, doctor_id VARCHAR NOT NULL, discharge_date VARCHAR NOT NULL,
        status VARCHAR NOT NULL, mdc VARCHAR NOT NULL, adrg VARCHAR NOT NULL, drg VARCHAR NOT NULL,
        weight DOUBLE PRECISION NOT NULL, standard_payment_fen BIGINT NOT NULL, payment_fen BIGINT NOT NULL,
        case_type VARCHAR NOT NULL, cost_fen BIGINT NOT NULL, margin_fen BIGINT NOT NULL, los_days INTEGER NOT NULL,
        params_id VARCHAR NOT NULL${pk('encounter_id, scheme')})`,
      `CREATE TABLE IF NOT EXISTS drg_weights (
        scheme VARCHAR NOT NULL, drg VARCHAR NOT NULL, weight DOUBLE PRECISION NOT NULL, cases INTEGER NOT NULL,
        cases_kept INTEGER NOT NULL, avg_cost_fen BIGINT NOT NULL, avg_los_days DOUBLE PRECISION NOT NULL,
        cv DOUBLE PRECISION NOT NULL, version VARCHAR NOT NULL${pk('scheme, drg, version')})`,
      `CREATE TABLE IF NOT EXISTS drg_rates (
        scheme VARCHAR NOT NULL, version VARCHAR NOT NULL, rate_per_weight_fen BIGINT NOT NULL,
        forecast_total_fen BIGINT NOT NULL, total_weight DOUBLE PRECISION NOT NULL, history_cases INTEGER NOT NULL,
        history_cost_fen BIGINT NOT NULL${pk('scheme, version')})`,
    ];
  },
};
