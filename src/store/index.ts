/**
 * Storage: one {@link Store} interface, an embedded DuckDB default and PostgreSQL.
 *
 * Which store: `DATABASE_URL` (PostgreSQL) wins, else `MEDFUND_DB` (DuckDB file path), else the
 * embedded default `.medfund/medfund.duckdb` under the current directory.
 */
import { DuckDbStore } from './duckdb.js';
import { PostgresStore } from './postgres.js';
import type { Store } from './store.js';

export type { Store, Dialect, Row, SqlValue, EncounterFilter, ExecOptions, LineFilter } from './store.js';
export { MIGRATIONS } from './migrations/index.js';
export { sqlString } from './store.js';
/** Row → domain mappers, for code that reads store rows through portable SQL. */
export { toEncounter, toLine, toCatalogItem, toDepartment, toPerson } from './base.js';

export const DEFAULT_DB_PATH = '.medfund/medfund.duckdb';

export interface OpenStoreOptions {
  /** DuckDB file path (overrides MEDFUND_DB) */
  db?: string;
  /** PostgreSQL URL (overrides DATABASE_URL) */
  databaseUrl?: string;
  /** PostgreSQL schema to use (created if missing) */
  schema?: string;
  /** apply migrations (default true) */
  migrate?: boolean;
}

/** Open the configured store and bring its schema up to date. */
export async function openStore(opts: OpenStoreOptions = {}): Promise<Store> {
  const url = opts.databaseUrl ?? (opts.db ? undefined : process.env.DATABASE_URL);
  const store: Store = url
    ? await PostgresStore.open(url, opts.schema ?? process.env.MEDFUND_PG_SCHEMA)
    : await DuckDbStore.open(opts.db ?? process.env.MEDFUND_DB ?? DEFAULT_DB_PATH);
  if (opts.migrate !== false) await store.migrate();
  return store;
}

/** A fresh, migrated in-memory DuckDB store (tests, previews). */
export async function openMemoryStore(): Promise<Store> {
  const store = await DuckDbStore.open(':memory:');
  await store.migrate();
  return store;
}

export { DuckDbStore, PostgresStore };
