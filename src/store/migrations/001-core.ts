import type { Migration } from './types.js';

/**
 * Core tables of the data platform. Every imported row keeps its lineage: the import batch, the
 * source file and the 1-based data row number in that file. Dates are ISO text; money BIGINT fen.
 *
 * Uniqueness of ids: PostgreSQL declares primary keys. DuckDB's ART indexes make bulk appends to
 * multi-million-row tables slow and memory-hungry, so there the importer enforces uniqueness with an
 * anti-join from its staging table (see src/ingest/commit.ts); the same suite checks both.
 */
const LINEAGE = `batch_id VARCHAR NOT NULL, source_file VARCHAR NOT NULL, source_row BIGINT NOT NULL`;

export const coreMigration: Migration = {
  id: '001-core',
  up(dialect) {
    const pk = (cols: string) => (dialect === 'postgres' ? `, PRIMARY KEY (${cols})` : '');
    return [
      `CREATE TABLE IF NOT EXISTS import_batches (
        batch_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, source_file VARCHAR NOT NULL,
        file_sha256 VARCHAR NOT NULL, encoding VARCHAR NOT NULL, started_at VARCHAR NOT NULL,
        finished_at VARCHAR NOT NULL, rows_read BIGINT NOT NULL, rows_stored BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL, rows_duplicate BIGINT NOT NULL, amount_fen_read BIGINT NOT NULL,
        amount_fen_stored BIGINT NOT NULL, amount_fen_quarantined BIGINT NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS institutions (
        id VARCHAR NOT NULL, name VARCHAR NOT NULL, level VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        region_code VARCHAR NOT NULL, ${LINEAGE}${pk('id')})`,
      `CREATE TABLE IF NOT EXISTS departments (
        id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, name VARCHAR NOT NULL, dept_code VARCHAR NOT NULL,
        cost_category VARCHAR NOT NULL, parent_id VARCHAR NOT NULL, staff_count INTEGER NOT NULL,
        floor_area_m2 DOUBLE PRECISION NOT NULL, beds INTEGER NOT NULL, ${LINEAGE}${pk('id')})`,
      `CREATE TABLE IF NOT EXISTS practitioners (
        id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, department_id VARCHAR NOT NULL,
        title VARCHAR NOT NULL, ${LINEAGE}${pk('id')})`,
      `CREATE TABLE IF NOT EXISTS persons (
        id VARCHAR NOT NULL, sex VARCHAR NOT NULL, birth_date VARCHAR NOT NULL, scheme VARCHAR NOT NULL,
        person_type VARCHAR NOT NULL, region_code VARCHAR NOT NULL, ${LINEAGE}${pk('id')})`,
      `CREATE TABLE IF NOT EXISTS catalog_items (
        code VARCHAR NOT NULL, item_id INTEGER NOT NULL, name VARCHAR NOT NULL, category VARCHAR NOT NULL,
        pay_class VARCHAR NOT NULL, unit VARCHAR NOT NULL, price_cap_fen BIGINT NOT NULL,
        self_pay_first_permille INTEGER NOT NULL, restrict_sex VARCHAR NOT NULL, min_age_years INTEGER,
        max_age_years INTEGER, min_institution_level VARCHAR NOT NULL, indication_prefixes VARCHAR NOT NULL,
        benefit_types VARCHAR NOT NULL, max_quantity_per_day DOUBLE PRECISION, effective_from VARCHAR NOT NULL,
        effective_to VARCHAR NOT NULL, ${LINEAGE}${pk('code')})`,
      `CREATE TABLE IF NOT EXISTS code_mappings (
        institution_id VARCHAR NOT NULL, local_code VARCHAR NOT NULL, national_code VARCHAR NOT NULL,
        ${LINEAGE}${pk('institution_id, local_code')})`,
      `CREATE TABLE IF NOT EXISTS encounters (
        id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL, department_id VARCHAR NOT NULL,
        person_id VARCHAR NOT NULL, doctor_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, benefit_type VARCHAR NOT NULL,
        scheme VARCHAR NOT NULL, sex VARCHAR NOT NULL, age_years INTEGER NOT NULL, age_days INTEGER NOT NULL,
        birth_weight_grams INTEGER NOT NULL, admit_date VARCHAR NOT NULL, discharge_date VARCHAR NOT NULL,
        discharge_type VARCHAR NOT NULL, los_days INTEGER NOT NULL,
        diagnoses VARCHAR NOT NULL, procedures VARCHAR NOT NULL, ${LINEAGE}${pk('id')})`,
      `CREATE TABLE IF NOT EXISTS settlement_lines (
        id VARCHAR NOT NULL, encounter_id VARCHAR NOT NULL, institution_id VARCHAR NOT NULL,
        local_code VARCHAR NOT NULL, item_code VARCHAR NOT NULL, item_id INTEGER NOT NULL, item_name VARCHAR NOT NULL,
        category VARCHAR NOT NULL, pay_class VARCHAR NOT NULL, quantity DOUBLE PRECISION NOT NULL,
        unit_price_fen BIGINT NOT NULL, amount_fen BIGINT NOT NULL, doctor_id VARCHAR NOT NULL,
        department_id VARCHAR NOT NULL, charged_at VARCHAR NOT NULL, ${LINEAGE}${pk('id')})`,
      `CREATE TABLE IF NOT EXISTS department_costs (
        institution_id VARCHAR NOT NULL, department_id VARCHAR NOT NULL, month VARCHAR NOT NULL,
        cost_item VARCHAR NOT NULL, amount_fen BIGINT NOT NULL, direct BOOLEAN NOT NULL,
        ${LINEAGE}${pk('institution_id, department_id, month, cost_item')})`,
      // Rejected rows: the raw row as read and every reason (JSON array of Issue).
      `CREATE TABLE IF NOT EXISTS quarantine (
        batch_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, source_file VARCHAR NOT NULL, source_row BIGINT NOT NULL,
        institution_id VARCHAR NOT NULL, raw VARCHAR NOT NULL, reasons VARCHAR NOT NULL, reason_codes VARCHAR NOT NULL,
        amount_fen BIGINT NOT NULL)`,
    ];
  },
};
