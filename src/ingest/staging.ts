/**
 * Staging shared by the import paths (importer.ts: the record-by-record path for every kind and
 * backend; native-lines.ts: the DuckDB-native settlement-line path): CSV sinks for staged and
 * quarantined rows, and the move of a batch's accepted rows into its table with the key checks.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Issue, RegionFileKind } from '../domain/index.js';
import type { Row, SqlValue, Store } from '../store/index.js';
import type { KindDef } from './kinds.js';

export const QUARANTINE_COLUMNS = ['batch_id', 'kind', 'source_file', 'source_row', 'institution_id', 'raw', 'reasons', 'reason_codes', 'amount_fen'] as const;
export const LINEAGE_COLUMNS = ['batch_id', 'source_file', 'source_row'] as const;
export const MONEY_KINDS: ReadonlySet<RegionFileKind> = new Set(['settlementLines', 'departmentCosts']);

const NEEDS_QUOTES = /[",\r\n]/;

/** Scratch folders older than this are left by imports that were killed (no import runs that long). */
export const STALE_SCRATCH_MS = 24 * 3600_000;

/**
 * A private temp folder for one import's staging files. An import killed mid-way (kill -9) cannot
 * remove its folder, so folders of the same prefix older than {@link STALE_SCRATCH_MS} are swept first.
 */
export function importScratchDir(prefix: 'medfund-import-' | 'medfund-native-', root = tmpdir(), now = Date.now()): string {
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    // an unreadable temp root: nothing to sweep, mkdtemp below reports the real problem
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const p = join(root, name);
    try {
      if (now - statSync(p).mtimeMs > STALE_SCRATCH_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      // gone already (another import swept it) or not ours to remove
    }
  }
  return mkdtempSync(join(root, prefix));
}

function csvValue(v: SqlValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === '') return '""';
  // Quote when needed; DuckDB and PostgreSQL both read RFC 4180 quoting.
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export class CsvSink {
  private buf = '';
  readonly stream: WriteStream;
  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }
  /**
   * Append one CSV line from `values` followed by `tail` (lineage), without building arrays.
   * Synchronous on the hot path; returns true when the caller should `await flush()`.
   */
  write(values: readonly SqlValue[], tail?: readonly SqlValue[]): boolean {
    let line = csvValue(values[0]!);
    for (let i = 1; i < values.length; i++) line += ',' + csvValue(values[i]!);
    if (tail) for (let i = 0; i < tail.length; i++) line += ',' + csvValue(tail[i]!);
    this.buf += line + '\n';
    return this.buf.length > 1 << 16; // small buffers die young: cheap for the GC
  }
  async flush(): Promise<void> {
    if (!this.buf) return;
    const ok = this.stream.write(this.buf);
    this.buf = '';
    if (!ok) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

export interface SetAside {
  row: number;
  institutionId: string;
  raw: string;
  amountFen: number;
  issue: Issue;
}

/**
 * Load the accepted rows and move the new ones into the target table (see the file comment).
 * Runs inside the caller's transaction.
 */
export async function moveStaged(
  tx: Store,
  def: KindDef,
  /** fills the given table with the batch's accepted rows (table columns + lineage) */
  load: (table: string) => Promise<void>,
  batchId: string,
): Promise<{ rowsStored: number; rowsDuplicate: number; amountStored: number; conflicts: SetAside[] }> {
  const cols = [...def.columns, ...LINEAGE_COLUMNS];
  const hasAmount = def.columns.includes('amount_fen');
  if (tx.dialect === 'duckdb') {
    // DuckDB has no key constraints to trip over (see 001-core): load straight into the table and
    // check the batch for clashes afterwards — one copy of the data instead of two. On a clash the
    // batch's rows are removed again and the general path below sorts them out.
    await load(def.table);
    const keyJoin = def.key.map((k) => `o.${k} = n.${k}`).join(' AND ');
    // In-file repeats are looked for by a hash of the key: an 8-byte group key, a smaller hash table
    // than the key strings (0.14 vs 0.19 s on 1M lines). A repeated key always repeats its hash; a
    // mere hash collision only sends the batch the exact way below.
    const [clash] = await tx.query<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM ${def.table} WHERE batch_id = $1 GROUP BY hash(${def.key.join(', ')}) HAVING COUNT(*) > 1) d) +
              (SELECT COUNT(*) FROM ${def.table} n JOIN ${def.table} o ON ${keyJoin} WHERE n.batch_id = $1 AND o.batch_id <> $1) AS n`,
      [batchId],
    );
    if (Number(clash?.n ?? 0) === 0) {
      const [st] = await tx.query<{ n: number; a: number | null }>(
        `SELECT COUNT(*) AS n, ${hasAmount ? 'SUM(amount_fen)' : '0'} AS a FROM ${def.table} WHERE batch_id = $1`,
        [batchId],
      );
      return { rowsStored: st?.n ?? 0, rowsDuplicate: 0, amountStored: Number(st?.a ?? 0), conflicts: [] };
    }
    await tx.exec(`DELETE FROM ${def.table} WHERE batch_id = $1`, [batchId]);
  }
  const stg = `stg_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await tx.exec(`CREATE TEMP TABLE ${stg} AS SELECT ${cols.join(', ')} FROM ${def.table} LIMIT 0`);
  try {
    await load(stg);
    const keyJoin = def.key.map((k) => `t.${k} = s.${k}`).join(' AND ');
    const same = def.columns.map((c) => `t.${c} IS NOT DISTINCT FROM s.${c}`).join(' AND ');
    const ranked = `(SELECT ${stg}.*, ROW_NUMBER() OVER (PARTITION BY ${def.key.join(', ')} ORDER BY source_row) AS rn FROM ${stg}) s`;
    // Fast path (the usual first import): no key repeats inside the file and none already stored.
    const [clash] = await tx.query<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM ${stg} GROUP BY ${def.key.join(', ')} HAVING COUNT(*) > 1) d) +
              (SELECT COUNT(*) FROM ${stg} s JOIN ${def.table} t ON ${keyJoin}) AS n`,
    );
    if (Number(clash?.n ?? 0) === 0) {
      await tx.exec(`INSERT INTO ${def.table} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM ${stg}`);
      const [st] = await tx.query<{ n: number; a: number | null }>(`SELECT COUNT(*) AS n, ${hasAmount ? 'SUM(amount_fen)' : '0'} AS a FROM ${stg}`);
      return { rowsStored: st?.n ?? 0, rowsDuplicate: 0, amountStored: Number(st?.a ?? 0), conflicts: [] };
    }
    const [dup] = await tx.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${ranked} JOIN ${def.table} t ON ${keyJoin} WHERE s.rn = 1 AND ${same}`,
    );
    const conflictRows = await tx.query<Row & { rn: number; present: boolean }>(
      `SELECT s.*, (t.${def.key[0]} IS NOT NULL) AS present FROM ${ranked} LEFT JOIN ${def.table} t ON ${keyJoin}
       WHERE s.rn > 1 OR (t.${def.key[0]} IS NOT NULL AND NOT (${same})) ORDER BY s.source_row`,
    );
    await tx.exec(
      `INSERT INTO ${def.table} (${cols.join(', ')}) SELECT ${cols.map((c) => `s.${c}`).join(', ')} FROM ${ranked}
       LEFT JOIN ${def.table} t ON ${keyJoin} WHERE s.rn = 1 AND t.${def.key[0]} IS NULL`,
    );
    const [stored] = await tx.query<{ n: number; a: number | null }>(
      `SELECT COUNT(*) AS n, ${hasAmount ? 'SUM(amount_fen)' : '0'} AS a FROM ${def.table} WHERE batch_id = $1`,
      [batchId],
    );
    const conflicts: SetAside[] = conflictRows.map((r) => {
      const key = def.key.map((k) => String(r[k])).join(' / ');
      const raw = JSON.stringify(Object.fromEntries(def.columns.map((c) => [c, r[c] ?? null])));
      const issue: Issue =
        r.rn > 1
          ? { severity: 'error', code: 'duplicate-key-in-file', path: def.key.join(','), message: `${key} repeats an earlier row of the same file` }
          : { severity: 'error', code: 'duplicate-key-conflict', path: def.key.join(','), message: `${key} is already stored with different content` };
      return { row: Number(r.source_row), institutionId: String(r.institution_id ?? ''), raw, amountFen: hasAmount ? Number(r.amount_fen ?? 0) : 0, issue };
    });
    return { rowsStored: stored?.n ?? 0, rowsDuplicate: dup?.n ?? 0, amountStored: Number(stored?.a ?? 0), conflicts };
  } finally {
    // After a failed statement the transaction is aborted and rolls back (temp table included);
    // dropping then would only mask the original error.
    await tx.exec(`DROP TABLE IF EXISTS ${stg}`).catch(() => undefined);
  }
}

