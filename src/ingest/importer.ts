/**
 * The importer: one file = one import batch, committed atomically.
 *
 * 1. The batch id is derived from the file's kind and SHA-256: a file already committed is not read
 *    again (idempotent re-import).
 * 2. Records stream through the kind's parser; accepted rows are written to a staging CSV on disk and
 *    rejected rows to a quarantine CSV, so memory stays flat however large the file.
 * 3. One transaction: bulk-load the staging file into a temporary table, set aside rows whose key
 *    repeats inside the file or already exists (identical → counted as duplicates, different →
 *    quarantined as conflicts), move the rest into the target table, load the quarantine, record the
 *    batch. A crash (even kill -9) before COMMIT leaves nothing; re-running the import redoes it.
 *
 * Settlement lines on DuckDB take the set-based native path instead when the file is plain CSV
 * (native-lines.ts; same results, every doubtful row still judged by kinds.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REGION_FILES, type Issue, type RegionFileKind } from '../domain/index.js';
import type { Row, SqlValue, Store } from '../store/index.js';
import { CsvSink, importScratchDir, LINEAGE_COLUMNS, MONEY_KINDS, QUARANTINE_COLUMNS, moveStaged } from './staging.js';
import { detectEncoding, fileSize, type SourceEncoding } from './decode.js';
import { KINDS, kindOfFile, type KindDef, type ParseContext } from './kinds.js';
import { ReferenceData, loadCodeSets } from './refdata.js';
import { csvRecords, jsonlRecords, type Progress, type SourceRecord } from './sources.js';
import { pseudonymise } from './pseudonym.js';
import { NotNative, disposeNativeSource, importLinesNative, readForNative, type NativeSource } from './native-lines.js';

export interface FileReport {
  file: string;
  kind: RegionFileKind;
  batchId: string;
  /** imported now, or skipped because this exact file was committed before */
  status: 'imported' | 'already-imported';
  encoding: SourceEncoding;
  rowsRead: number;
  rowsStored: number;
  rowsQuarantined: number;
  /** rows identical to rows already stored (same key, same content): not stored twice */
  rowsDuplicate: number;
  /** settlement lines and department costs: money read, stored and quarantined (fen) */
  amountFenRead?: number;
  amountFenStored?: number;
  amountFenQuarantined?: number;
  /** reason code → rows */
  reasons: Record<string, number>;
  /**
   * set when the DuckDB-native settlement-line path imported the file (native-lines.ts), with the
   * rows it left to the record validator (kinds.ts)
   */
  native?: { suspectRows: number };
}

export interface ImportOptions {
  /** pseudonymisation key (see pseudonym.ts) */
  pseudonymKey: string;
  /** force the kind instead of deriving it from the file name */
  kind?: RegionFileKind;
  encoding?: SourceEncoding;
  /**
   * Settlement lines on DuckDB take the set-based native path (native-lines.ts) when the file suits
   * it; 'js' forces the record-by-record path (the reference the native path is tested against).
   * Default: MEDFUND_INGEST_ENGINE, else 'auto'.
   */
  engine?: 'auto' | 'js';
  /** name recorded as the source file (default: the file's base name) */
  sourceName?: string;
  /**
   * Reading progress; on the native settlement-line path the file is read first (bytes), then
   * stored by one statement whose progress comes as `storing` (0–1) with the bytes at the total.
   */
  onProgress?: (bytesRead: number, totalBytes: number, rowsRead: number, storing?: number) => void;
  clock?: () => Date;
}

/**
 * Fault injection for the crash tests (e2e/import-kill.test.ts): with MEDFUND_FAULT_INJECT=<point>
 * the process kills itself with SIGKILL at that point, exactly as a power cut would.
 */
function crashPoint(point: string): void {
  if (process.env.MEDFUND_FAULT_INJECT === point) process.kill(process.pid, 'SIGKILL');
}
const crashAfterRows = /^rows:(\d+)$/.exec(process.env.MEDFUND_FAULT_INJECT ?? '')?.[1];

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function formatOf(path: string): 'csv' | 'jsonl' {
  return /\.(jsonl|ndjson)$/i.test(path) ? 'jsonl' : 'csv';
}

/** Import one CSV / JSON Lines file of a region file kind. */
export async function importFile(store: Store, path: string, opts: ImportOptions): Promise<FileReport> {
  const kind = opts.kind ?? kindOfFile(basename(path));
  if (!kind) throw new Error(`${path}: cannot tell what the file holds from its name; expected one of ${Object.values(REGION_FILES).map((f) => f.file).join(', ')} (or pass a kind)`);
  const def = KINDS[kind];
  const sourceName = opts.sourceName ?? basename(path);
  const encoding = opts.encoding ?? detectEncoding(path);
  const total = fileSize(path);
  const engine = opts.engine ?? (process.env.MEDFUND_INGEST_ENGINE === 'js' ? 'js' : 'auto');
  const native = engine === 'auto' && kind === 'settlementLines' && store.dialect === 'duckdb' && formatOf(path) === 'csv';
  // The native path needs the file's shape and a numbered copy: made while the hash is computed.
  let source: NativeSource | undefined;
  try {
    source = native ? await readForNative(path, encoding, opts.onProgress ? (bytes) => opts.onProgress!(bytes, total, 0) : undefined) : undefined;
    const sha = source?.sha ?? (await sha256File(path));
    const batchId = `${kind}-${sha.slice(0, 24)}`;

    const existing = await store.query(`SELECT * FROM import_batches WHERE batch_id = $1`, [batchId]);
    if (existing[0]) return reportFromBatch(existing[0], sourceName, kind, encoding, await reasonCounts(store, batchId));

    if (source) {
      try {
        const r = await importLinesNative(store, {
          source, encoding, batchId, sha, sourceName, pseudonymKey: opts.pseudonymKey,
          clock: opts.clock ?? (() => new Date()), crashPoint, crashAfterRows: crashAfterRows === undefined ? undefined : Number(crashAfterRows),
          onStoreProgress: opts.onProgress ? (f) => opts.onProgress!(total, total, 0, f) : undefined,
        });
        if (r) {
          opts.onProgress?.(total, total, r.rowsRead);
          const { suspects, ...counts } = r;
          return { file: sourceName, kind, batchId, status: 'imported', encoding, ...counts, native: { suspectRows: suspects } };
        }
      } catch (err) {
        if (!(err instanceof NotNative)) throw err;
        // rolled back: the record-by-record path below reads the file instead
      }
      disposeNativeSource(source);
      source = undefined;
    }
    const progress: Progress = { bytesRead: 0 };
    const records = formatOf(path) === 'jsonl' ? jsonlRecords(path, encoding, progress) : csvRecords(path, encoding, progress);
    return await importRecords(store, def, records, {
      batchId, sha, encoding, sourceName, pseudonymKey: opts.pseudonymKey, clock: opts.clock,
      onProgress: opts.onProgress ? (rows) => opts.onProgress!(progress.bytesRead, total, rows) : undefined,
    });
  } finally {
    if (source) disposeNativeSource(source);
  }
}

export interface RecordImportOptions {
  batchId: string;
  sha: string;
  encoding: SourceEncoding;
  sourceName: string;
  pseudonymKey: string;
  clock?: () => Date;
  onProgress?: (rowsRead: number) => void;
}

/** The shared pipeline for every source format (CSV, JSONL, FHIR-derived records). */
export async function importRecords(store: Store, def: KindDef, records: AsyncIterable<SourceRecord[]>, o: RecordImportOptions): Promise<FileReport> {
  const clock = o.clock ?? (() => new Date());
  const startedAt = clock().toISOString();
  const ref = await ReferenceData.load(store, def.needs);
  const ctx: ParseContext = {
    ref,
    codes: def.kind === 'encounters' ? loadCodeSets() : { diagnoses: new Set(), procedures: new Set(), sexBlocks: [], sources: [] },
    pseudonymise: (id) => pseudonymise(o.pseudonymKey, id),
  };
  const moneyKind = MONEY_KINDS.has(def.kind);
  const dir = importScratchDir('medfund-import-');
  const staging = new CsvSink(join(dir, 'staging.csv'));
  const quarantine = new CsvSink(join(dir, 'quarantine.csv'));
  const reasons: Record<string, number> = {};
  let rowsRead = 0;
  let rowsAccepted = 0;
  let rowsQuarantined = 0;
  let amountRead = 0;
  let amountQuarantined = 0;

  const quarantineRow = async (row: number, institutionId: string, raw: string, issues: readonly Issue[], amountFen: number): Promise<void> => {
    rowsQuarantined++;
    amountQuarantined += amountFen;
    const codes = [...new Set(issues.map((i) => i.code))];
    for (const c of codes) reasons[c] = (reasons[c] ?? 0) + 1;
    // The raw row is kept as read; a NUL (not storable in PostgreSQL text) is kept visibly as \\u0000.
    const keptRaw = raw.includes('\u0000') ? raw.replace(/\u0000/g, '\\u0000') : raw;
    if (quarantine.write([o.batchId, def.kind, o.sourceName, row, institutionId.replace(/\u0000/g, ''), keptRaw, JSON.stringify(issues), codes.join('|'), amountFen])) {
      await quarantine.flush();
    }
  };

  const lineage: SqlValue[] = [o.batchId, o.sourceName, 0];
  try {
    for await (const batch of records) {
      for (const rec of batch) {
        rowsRead++;
        if (crashAfterRows !== undefined && rowsRead === Number(crashAfterRows)) process.kill(process.pid, 'SIGKILL');
        if (rec.structuralError) {
          await quarantineRow(rec.row, '', rec.raw, [{ severity: 'error', code: rec.structuralError.code, path: '', message: rec.structuralError.message }], 0);
          continue;
        }
        let parsed;
        try {
          parsed = def.parse(rec, ctx);
        } catch (err) {
          // A parser bug must not lose the row: it is quarantined with the error as its reason.
          await quarantineRow(rec.row, '', rec.raw, [{ severity: 'error', code: 'parse-error', path: '', message: String((err as Error).message) }], 0);
          continue;
        }
        if (moneyKind) amountRead += parsed.amountFen;
        if (parsed.issues.some((i) => i.severity === 'error')) {
          await quarantineRow(rec.row, parsed.institutionId, rec.raw, parsed.issues, parsed.amountFen);
        } else {
          rowsAccepted++;
          lineage[2] = rec.row;
          if (staging.write(parsed.values, lineage)) await staging.flush();
        }
      }
      o.onProgress?.(rowsRead);
    }
    await staging.close();
    await quarantine.close();

    const finishedAt = () => clock().toISOString();
    const moved = await store.withTransaction(async (tx) => {
      crashPoint('in-transaction');
      const m = await moveStaged(tx, def, (table) => tx.copyCsvFile(table, [...def.columns, ...LINEAGE_COLUMNS], staging.path), o.batchId);
      crashPoint('after-move');
      // Rows set aside by the move: in-file repeats and conflicts are quarantined with their reason.
      const extra: SqlValue[][] = [];
      for (const c of m.conflicts) {
        rowsQuarantined++;
        amountQuarantined += c.amountFen;
        reasons[c.issue.code] = (reasons[c.issue.code] ?? 0) + 1;
        extra.push([o.batchId, def.kind, o.sourceName, c.row, c.institutionId, c.raw, JSON.stringify([c.issue]), c.issue.code, c.amountFen]);
      }
      await tx.copyCsvFile('quarantine', QUARANTINE_COLUMNS, quarantine.path);
      if (extra.length) await tx.appendRows('quarantine', QUARANTINE_COLUMNS, extra);
      await tx.exec(
        `INSERT INTO import_batches (batch_id, kind, source_file, file_sha256, encoding, started_at, finished_at, rows_read, rows_stored,
          rows_quarantined, rows_duplicate, amount_fen_read, amount_fen_stored, amount_fen_quarantined)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [o.batchId, def.kind, o.sourceName, o.sha, o.encoding, startedAt, finishedAt(), rowsRead, m.rowsStored, rowsQuarantined, m.rowsDuplicate,
          amountRead, m.amountStored, amountQuarantined],
      );
      crashPoint('before-commit');
      return m;
    });
    crashPoint('after-commit');
    const report: FileReport = {
      file: o.sourceName, kind: def.kind, batchId: o.batchId, status: 'imported', encoding: o.encoding,
      rowsRead, rowsStored: moved.rowsStored, rowsQuarantined, rowsDuplicate: moved.rowsDuplicate, reasons,
    };
    if (moneyKind) {
      report.amountFenRead = amountRead;
      report.amountFenStored = moved.amountStored;
      report.amountFenQuarantined = amountQuarantined;
    }
    return report;
  } finally {
    staging.stream.destroy();
    quarantine.stream.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

function reportFromBatch(b: Row, file: string, kind: RegionFileKind, encoding: SourceEncoding, reasons: Record<string, number>): FileReport {
  const r: FileReport = {
    file, kind, batchId: String(b.batch_id), status: 'already-imported', encoding: (b.encoding as SourceEncoding) ?? encoding,
    rowsRead: Number(b.rows_read), rowsStored: Number(b.rows_stored), rowsQuarantined: Number(b.rows_quarantined), rowsDuplicate: Number(b.rows_duplicate), reasons,
  };
  if (MONEY_KINDS.has(kind)) {
    r.amountFenRead = Number(b.amount_fen_read);
    r.amountFenStored = Number(b.amount_fen_stored);
    r.amountFenQuarantined = Number(b.amount_fen_quarantined);
  }
  return r;
}

async function reasonCounts(store: Store, batchId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await store.query(`SELECT reason_codes FROM quarantine WHERE batch_id = $1`, [batchId])) {
    for (const c of String(r.reason_codes).split('|')) if (c) out[c] = (out[c] ?? 0) + 1;
  }
  return out;
}

/** The region's files in dependency order, as present in `dir`. */
export function regionFilesIn(dir: string, exists: (p: string) => boolean): Array<{ kind: RegionFileKind; path: string }> {
  const out: Array<{ kind: RegionFileKind; path: string }> = [];
  for (const [kind, spec] of Object.entries(REGION_FILES) as Array<[RegionFileKind, { file: string }]>) {
    for (const name of [spec.file, spec.file.replace(/\.csv$/, '.jsonl')]) {
      const p = join(dir, name);
      if (exists(p)) out.push({ kind, path: p });
    }
  }
  return out;
}

export interface RegionImportReport {
  dir: string;
  files: FileReport[];
  totals: { rowsRead: number; rowsStored: number; rowsQuarantined: number; rowsDuplicate: number };
}

/** Import every region file found in `dir`, in dependency order (institutions first, lines last). */
export async function importRegion(
  store: Store,
  dir: string,
  opts: Omit<ImportOptions, 'kind' | 'sourceName' | 'onProgress'> & { onFile?: (kind: RegionFileKind, path: string) => ImportOptions['onProgress'] },
): Promise<RegionImportReport> {
  const { existsSync } = await import('node:fs');
  const files = regionFilesIn(dir, existsSync);
  if (files.length === 0) throw new Error(`${dir}: no region files found (expected ${Object.values(REGION_FILES).map((f) => f.file).join(', ')})`);
  const reports: FileReport[] = [];
  for (const f of files) {
    reports.push(await importFile(store, f.path, { ...opts, kind: f.kind, onProgress: opts.onFile?.(f.kind, f.path) }));
  }
  const totals = { rowsRead: 0, rowsStored: 0, rowsQuarantined: 0, rowsDuplicate: 0 };
  for (const r of reports) {
    totals.rowsRead += r.rowsRead;
    totals.rowsStored += r.rowsStored;
    totals.rowsQuarantined += r.rowsQuarantined;
    totals.rowsDuplicate += r.rowsDuplicate;
  }
  return { dir, files: reports, totals };
}
