/**
 * One storage interface, two backends: embedded DuckDB (default, no server) and PostgreSQL
 * (`DATABASE_URL`). Both run the same migrations (src/store/migrations/) and pass the same suite
 * (store.case.test.ts). Engines never see this: the CLI, server and workers load data through it
 * and hand plain domain values to the pure engines.
 *
 * SQL given to {@link Store.query}/{@link Store.exec} must be portable between DuckDB and
 * PostgreSQL: `$1, $2 …` parameters, `BIGINT`/`INTEGER`/`DOUBLE PRECISION`/`VARCHAR`/`BOOLEAN` types,
 * dates as ISO text (`YYYY-MM-DD`, lexically ordered, so ranges compare as strings). Integers come
 * back as JS numbers (fen sums stay far below 2^53), never as bigint or string.
 */
import type {
  CatalogItem,
  CodeMapping,
  Department,
  DepartmentCost,
  Encounter,
  Institution,
  InsuredPerson,
  Practitioner,
  SettlementLine,
} from '../domain/index.js';

export type Dialect = 'duckdb' | 'postgres';
export type SqlValue = string | number | boolean | null;
export type Row = Record<string, SqlValue>;

export interface EncounterFilter {
  kind?: Encounter['kind'];
  institutionId?: string;
  /** inclusive ISO date bounds on dischargeDate */
  dischargeFrom?: string;
  dischargeTo?: string;
  /** row order: by (admitDate, id) — the default — or by id, for merge joins with streamLines */
  orderBy?: 'admitDate' | 'id';
}

export interface LineFilter {
  institutionId?: string;
  /** inclusive ISO date bounds on the charge date (chargedAt's date part) */
  chargedFrom?: string;
  chargedTo?: string;
  encounterKind?: Encounter['kind'];
}

/**
 * A SQL string literal: single quotes doubled. A backslash is an ordinary character in a standard
 * literal (DuckDB; PostgreSQL with standard_conforming_strings, its default). For what cannot be a
 * parameter (settings, file paths) or is sent as literal text on purpose; a NUL cannot be carried.
 */
export function sqlString(v: string): string {
  return `'${v.replaceAll("'", "''")}'`;
}

export interface ExecOptions {
  /**
   * How far a long statement has come (0–1, called only when it grew), polled while it runs —
   * where the backend can tell (DuckDB's query progress, e.g. the bytes of a CSV it reads); other
   * backends never call it.
   */
  onProgress?: (fraction: number) => void;
  /** how often `onProgress` is polled, in ms (default 250) */
  progressEveryMs?: number;
}

export interface Store {
  readonly dialect: Dialect;
  /** Human-readable location (file path or redacted URL) for messages. */
  readonly location: string;

  /** Apply pending migrations; safe to call repeatedly. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /** Portable SQL (see file comment). */
  query<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  exec(sql: string, params?: readonly SqlValue[], opts?: ExecOptions): Promise<void>;
  /** Run `fn` in one transaction; everything it writes lands together or not at all. */
  withTransaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Bulk insert (DuckDB appender / PostgreSQL COPY). Rows are arrays in `columns` order. */
  appendRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[]): Promise<void>;
  /**
   * Bulk load a CSV file (no header; `""` is an empty string, an empty unquoted field is NULL) into
   * `table` — DuckDB reads the file itself, PostgreSQL streams it through COPY. The importer's path.
   */
  copyCsvFile(table: string, columns: readonly string[], path: string): Promise<void>;

  // ── typed reads for engines (ordered, deterministic) ──
  listInstitutions(): Promise<Institution[]>;
  listDepartments(institutionId?: string): Promise<Department[]>;
  listPractitioners(institutionId?: string): Promise<Practitioner[]>;
  listCatalog(): Promise<CatalogItem[]>;
  listCodeMappings(institutionId?: string): Promise<CodeMapping[]>;
  listDepartmentCosts(filter?: { institutionId?: string; monthFrom?: string; monthTo?: string }): Promise<DepartmentCost[]>;
  getPerson(personId: string): Promise<InsuredPerson | undefined>;
  getEncounter(encounterId: string): Promise<Encounter | undefined>;
  getLines(encounterId: string): Promise<SettlementLine[]>;
  /** Encounters in batches, ordered by (admitDate, id) or by id (`filter.orderBy`). */
  streamEncounters(filter?: EncounterFilter, batchSize?: number): AsyncIterable<Encounter[]>;
  /** Settlement lines in batches, ordered by (encounterId, chargedAt, id). */
  streamLines(filter?: LineFilter, batchSize?: number): AsyncIterable<SettlementLine[]>;
}
