/**
 * DuckDB-native import of settlement lines — the only kind with millions of rows per file.
 *
 * The record-by-record path (importer.ts: JS decode → CSV parse → kinds.ts validation → staging CSV →
 * COPY) spends most of its time handing every field through JavaScript twice. Here DuckDB reads the
 * CSV itself (all columns VARCHAR, typed explicitly), and one set-based INSERT … SELECT stores every
 * row that is *certainly* valid: every field in a strict form (no surrounding white space, strict
 * number / timestamp patterns, known enum values), every reference found with the right institution
 * (joins to encounters, institutions, practitioners, departments, code_mappings, catalog_items), and
 * amount = round(quantity × unit price) away from a rounding tie. That predicate is deliberately
 * narrower than kinds.ts: a row it does not take is a *suspect*, and every suspect is re-read from the
 * file (raw text, physical line) and judged by the very same kinds.ts parser — so reason codes,
 * messages, stored values and amounts are those of the JS path by construction, and only the common,
 * clean rows skip JavaScript.
 *
 * DuckDB's CSV reader and ours (csv.ts) agree only on plain RFC 4180, so a file takes this path only
 * when a byte scan (done in the same pass as the SHA-256) proves it plain: the exact canonical
 * header, the same field count on every line, no quoted line breaks, no blank lines, no stray quotes,
 * no NUL, one newline style. Then record k is physical line k + 2 on both sides. Anything else — and
 * any error from DuckDB's reader (invalid UTF-8, …) — goes to the JS path. GBK files are transcoded to a
 * UTF-8 temporary file first (the same iconv-lite decoder the JS path uses) and scanned as decoded.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { CHARGE_CATEGORIES, PAY_CLASSES, REGION_FILES, type Issue } from '../domain/index.js';
import type { SqlValue, Store } from '../store/index.js';
import { CsvParser } from './csv.js';
import type { SourceEncoding } from './decode.js';
import { KINDS, type ParseContext } from './kinds.js';
import { ReferenceData } from './refdata.js';
import type { SourceRecord } from './sources.js';
import { CsvSink, LINEAGE_COLUMNS, QUARANTINE_COLUMNS, moveStaged } from './staging.js';

const FILE_COLUMNS = REGION_FILES.settlementLines.columns;
const HEADER = FILE_COLUMNS.join(',');
const DEF = KINDS.settlementLines;
/** More suspects than this: the file is mostly bad, and the JS path handles it with less bookkeeping. */
const MAX_SUSPECTS = 1_000_000;

// ── the shape scan ──────────────────────────────────────────────────────────────────────────────

export interface CsvShape {
  /** plain RFC 4180 that DuckDB's reader and csv.ts read identically, one record per line */
  plain: boolean;
  /** why not plain (for diagnostics) */
  why?: string;
  /** data records (lines after the header) */
  records: number;
  crlf: boolean;
}

/**
 * Byte-level state machine over the file: field start / unquoted / quoted / quote seen in a quoted
 * field / CR seen. Only bytes ≤ 0x2C matter (NUL, LF, CR, `"`, `,`): UTF-8 multibyte sequences are
 * all ≥ 0x80, so the scan is encoding-safe and touches each byte once.
 */
export class ShapeScanner {
  private state = 0; // 0 field start · 1 unquoted · 2 quoted · 3 quote inside quoted · 4 CR seen
  private commas = 0;
  private lineBytes = 0;
  private lines = 0;
  private lfLines = 0;
  private crlfLines = 0;
  private headerBytes: number[] | undefined = [];
  private headerOk = false;
  why: string | undefined;

  constructor(private readonly fields: number, private readonly header: string) {}

  push(b: Uint8Array): void {
    if (this.why !== undefined) return;
    let state = this.state;
    let commas = this.commas;
    let lineBytes = this.lineBytes;
    let i = 0;
    if (this.headerBytes) {
      // The header line (first ≤ 4 KiB) is compared as text.
      while (i < b.length && b[i] !== 10 && this.headerBytes.length < 4096) this.headerBytes.push(b[i++]!);
      if (i === b.length && this.headerBytes.length < 4096) return;
      const endsCr = this.headerBytes[this.headerBytes.length - 1] === 13;
      const text = Buffer.from(this.headerBytes).toString('latin1').replace(/\r$/, '');
      this.headerOk = text === this.header;
      this.headerBytes = undefined;
      if (!this.headerOk) {
        this.why = 'header differs from the canonical column list';
        return;
      }
      state = this.state = 0;
      this.lines = 1; // the header
      if (b[i] === 10) {
        if (endsCr) this.crlfLines++;
        else this.lfLines++;
        i++;
      }
    }
    const n = b.length;
    for (; i < n; i++) {
      const c = b[i]!;
      if (c > 44 || (c !== 0 && c !== 10 && c !== 13 && c !== 34 && c !== 44)) {
        if (state === 0) state = 1;
        else if (state >= 3) return this.fail(state === 3 ? 'text after a closing quote' : 'CR not followed by LF');
        lineBytes++;
        continue;
      }
      switch (c) {
        case 0:
          return this.fail('NUL byte');
        case 34:
          if (state === 0) state = 2;
          else if (state === 2) state = 3;
          else if (state === 3) state = 2; // "" inside a quoted field
          else return this.fail(state === 1 ? 'quote inside an unquoted field' : 'CR not followed by LF');
          lineBytes++;
          break;
        case 44:
          if (state === 2) {
            lineBytes++;
            break;
          }
          if (state === 4) return this.fail('CR not followed by LF');
          commas++;
          lineBytes++;
          state = 0;
          break;
        case 10:
          if (state === 2) return this.fail('line break inside a quoted field');
          if (lineBytes === 0) return this.fail('blank line');
          if (commas + 1 !== this.fields) return this.fail(`a line with ${commas + 1} fields`);
          this.lines++;
          if (state === 4) this.crlfLines++;
          else this.lfLines++;
          commas = 0;
          lineBytes = 0;
          state = 0;
          break;
        case 13:
          if (state === 2 || state === 4) return this.fail('CR inside a field');
          state = 4;
          break;
      }
    }
    this.state = state;
    this.commas = commas;
    this.lineBytes = lineBytes;
  }

  private fail(why: string): void {
    this.why = why;
  }

  finish(): CsvShape {
    if (this.why === undefined && this.headerBytes) this.why = this.headerBytes.length ? 'header line only' : 'empty file';
    if (this.why === undefined) {
      if (this.state === 2) this.why = 'unterminated quote';
      else if (this.state === 4) this.why = 'CR at the end of the file';
      else if (this.lineBytes > 0 || this.commas > 0) {
        if (this.commas + 1 !== this.fields) this.why = `a line with ${this.commas + 1} fields`;
        else this.lines++;
      }
    }
    if (this.why === undefined && this.lfLines > 0 && this.crlfLines > 0) this.why = 'mixed LF and CRLF line ends';
    if (this.why === undefined && this.lines < 2) this.why = 'no data rows';
    return { plain: this.why === undefined, why: this.why, records: Math.max(0, this.lines - 1), crlf: this.crlfLines > 0 };
  }
}

/** SHA-256 of the file and its shape, in one read. */
export async function hashAndScan(path: string, onBytes?: (n: number) => void): Promise<{ sha: string; shape: CsvShape }> {
  const hash = createHash('sha256');
  const scanner = new ShapeScanner(FILE_COLUMNS.length, HEADER);
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    scanner.push(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    onBytes?.(bytes);
  }
  return { sha: hash.digest('hex'), shape: scanner.finish() };
}

/** GBK → UTF-8 temp file with the JS path's decoder; the shape is scanned on the decoded bytes. */
async function transcodeGbk(src: string, dst: string): Promise<CsvShape> {
  const decoder = iconv.getDecoder('gbk');
  const scanner = new ShapeScanner(FILE_COLUMNS.length, HEADER);
  const out = createWriteStream(dst);
  const put = async (text: string): Promise<void> => {
    if (!text) return;
    const buf = Buffer.from(text, 'utf8');
    scanner.push(buf);
    if (!out.write(buf)) await once(out, 'drain');
  };
  for await (const chunk of createReadStream(src, { highWaterMark: 1 << 20 })) await put(decoder.write(chunk as Buffer));
  await put(decoder.end() ?? '');
  out.end();
  await once(out, 'finish');
  return scanner.finish();
}

// ── the set-based pass ──────────────────────────────────────────────────────────────────────────

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** JS String.prototype.trim's white space, as an RE2 class (a field starting/ending with one is a suspect). */
const WS = String.raw`[\s\x0B\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`;
const TEXT_FIELDS = ['id', 'enc', 'inst', 'lc', 'ic', 'name', 'doc', 'dept'];

/** INSERT … SELECT of the certainly-valid rows of a plain file into `table` (see the file comment). */
function cleanInsertSql(table: string, csvPath: string, crlf: boolean, batchId: string, sourceName: string): string {
  const columns = `{${FILE_COLUMNS.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}`;
  const reader = `read_csv(${sqlString(csvPath)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
    new_line = '${crlf ? '\\r\\n' : '\\n'}', strict_mode = true, allow_quoted_nulls = false, nullstr = '<medfund:null>', columns = ${columns})`;
  // Empty fields read as '' (not NULL) through an improbable null string: cheaper than COALESCE on
  // every column. A field that *is* that string reads as NULL and fails the predicate (a suspect), or
  // trips NOT NULL on insert (the file then takes the JS path) — never a wrong stored value.
  const f = (col: string): string => `"${col}"`;
  const inList = (xs: readonly string[]): string => xs.map(sqlString).join(', ');
  return `
INSERT INTO ${table} (${[...DEF.columns, ...LINEAGE_COLUMNS].join(', ')})
WITH r AS (
  -- row_number() OVER () numbers the records in file order (insertion order is preserved)
  SELECT row_number() OVER () + 1 AS source_row,
    ${f('id')} AS id, ${f('encounterId')} AS enc, ${f('institutionId')} AS inst, ${f('localCode')} AS lc,
    ${f('itemCode')} AS ic, ${f('itemName')} AS name, ${f('category')} AS cat, ${f('payClass')} AS pc,
    ${f('quantity')} AS q_txt, ${f('unitPriceFen')} AS p_txt, ${f('amountFen')} AS a_txt, ${f('doctorId')} AS doc,
    ${f('departmentId')} AS dept, ${f('chargedAt')} AS ts
  FROM ${reader}
), s AS (
  SELECT source_row, id, enc, inst, lc, ic, name, cat, pc, doc, dept, ts,
    TRY_CAST(q_txt AS DOUBLE) AS q, TRY_CAST(p_txt AS BIGINT) AS p, TRY_CAST(a_txt AS BIGINT) AS a
  FROM r
  WHERE id <> '' AND enc <> '' AND inst <> '' AND doc <> '' AND dept <> '' AND (ic <> '' OR lc <> '')
    AND NOT regexp_matches(concat_ws(chr(1), ${TEXT_FIELDS.join(', ')}), '(^|\\x01)${WS}|${WS}(\\x01|$)')
    AND cat IN (${inList(CHARGE_CATEGORIES)}) AND pc IN (${inList(PAY_CLASSES)})
    AND regexp_full_match(q_txt, '\\d{1,9}(\\.\\d{1,9})?') AND regexp_full_match(p_txt, '\\d{1,12}') AND regexp_full_match(a_txt, '\\d{1,15}')
    AND regexp_full_match(ts, '\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d')
    AND TRY_CAST(left(ts, 10) AS DATE) IS NOT NULL
), m AS (
  SELECT s.*, CASE WHEN s.ic <> '' THEN s.ic ELSE cm.national_code END AS item_code
  FROM s LEFT JOIN code_mappings cm ON cm.institution_id = s.inst AND cm.local_code = s.lc -- a pure equi-join (a hash join); the key is unique
)
SELECT m.id, m.enc, m.inst, m.lc, m.item_code, c.item_id, m.name, m.cat, m.pc, m.q, m.p, m.a, m.doc, m.dept, m.ts,
  ${sqlString(batchId)}, ${sqlString(sourceName)}, m.source_row
FROM m
JOIN catalog_items c ON c.code = m.item_code
JOIN encounters e ON e.id = m.enc AND e.institution_id = m.inst
JOIN institutions i ON i.id = m.inst
JOIN practitioners pr ON pr.id = m.doc AND pr.institution_id = m.inst
JOIN departments d ON d.id = m.dept AND d.institution_id = m.inst
-- amount = quantity × unit price rounded (money.ts lineAmountFen); rows near a rounding tie are left to kinds.ts
WHERE m.q > 0 AND m.q * m.p < 1e15 AND m.a = round(m.q * m.p) AND abs(m.q * m.p - m.a) < 0.49`;
}

// ── suspects: re-read and judged by kinds.ts ────────────────────────────────────────────────────

/** The given physical lines (sorted, 1-based) of a UTF-8 file, without their line ends. */
async function* linesAt(path: string, wanted: readonly number[]): AsyncGenerator<{ line: number; text: string }> {
  let k = 0;
  let line = 1;
  let carry: Buffer | undefined;
  for await (const c of createReadStream(path, { highWaterMark: 1 << 20 })) {
    if (k >= wanted.length) break;
    const chunk = c as Buffer;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        const rest = chunk.subarray(start);
        carry = carry ? Buffer.concat([carry, rest]) : Buffer.from(rest);
        break;
      }
      if (line === wanted[k]) {
        const part = chunk.subarray(start, nl);
        const bytes = carry ? Buffer.concat([carry, part]) : part;
        const text = bytes.toString('utf8');
        yield { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
        k++;
        if (k >= wanted.length) return;
      }
      carry = undefined;
      line++;
      start = nl + 1;
    }
  }
  if (k < wanted.length && carry && line === wanted[k]) {
    const text = carry.toString('utf8');
    yield { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  }
}

const HEADER_INDEX = new Map<string, number>(FILE_COLUMNS.map((c, i) => [c, i]));

class LineRecord implements SourceRecord {
  constructor(readonly row: number, readonly raw: string, private readonly fields: string[]) {}
  get(column: string): string | undefined {
    const i = HEADER_INDEX.get(column);
    return i === undefined ? undefined : this.fields[i];
  }
}

// ── the import ──────────────────────────────────────────────────────────────────────────────────

export interface NativeFileReport {
  rowsRead: number;
  rowsStored: number;
  rowsQuarantined: number;
  rowsDuplicate: number;
  amountFenRead: number;
  amountFenStored: number;
  amountFenQuarantined: number;
  reasons: Record<string, number>;
  /** rows judged by kinds.ts (those the set-based predicate did not take) */
  suspects: number;
}

export interface NativeOptions {
  path: string;
  encoding: SourceEncoding;
  shape: CsvShape | undefined;
  batchId: string;
  sha: string;
  sourceName: string;
  pseudonymKey: string;
  clock: () => Date;
  crashPoint: (point: string) => void;
  crashAfterRows: number | undefined;
}

/** Thrown inside the transaction when the file turns out not to suit this path: the caller falls back. */
export class NotNative extends Error {}

/**
 * Import a settlement-line CSV through DuckDB (see the file comment). Returns undefined, having
 * touched nothing, when the file does not suit this path; throws NotNative when DuckDB's reader
 * refused it inside the (then rolled back) transaction.
 */
export async function importLinesNative(store: Store, o: NativeOptions): Promise<NativeFileReport | undefined> {
  const startedAt = o.clock().toISOString();
  const dir = mkdtempSync(join(tmpdir(), 'medfund-native-'));
  try {
    let csvPath = o.path;
    let shape = o.shape;
    if (o.encoding === 'gbk') {
      csvPath = join(dir, 'utf8.csv');
      shape = await transcodeGbk(o.path, csvPath);
    }
    if (!shape?.plain) return undefined;
    const records = shape.records;

    const reasons: Record<string, number> = {};
    let rowsQuarantined = 0;
    let amountQuarantined = 0;
    let amountRead = 0;
    let suspectsJudged: { accepted: string; quarantined: string; count: number } | undefined;

    /** Judge the suspect lines once (the move may load twice), into an accepted and a quarantine CSV. */
    const judgeSuspects = async (tx: Store, suspectRows: number[]): Promise<{ accepted: string; quarantined: string; count: number }> => {
      if (suspectsJudged) return suspectsJudged;
      const accepted = new CsvSink(join(dir, 'accepted.csv'));
      const quarantine = new CsvSink(join(dir, 'quarantine.csv'));
      const ctx: ParseContext = {
        // Loading the reference maps (all encounters…) is only worth it when there is a row to judge.
        ref: suspectRows.length ? await ReferenceData.load(tx, DEF.needs) : new ReferenceData(),
        codes: { diagnoses: new Set(), procedures: new Set(), sexBlocks: [], sources: [] },
        pseudonymise: () => '',
      };
      const lineage: SqlValue[] = [o.batchId, o.sourceName, 0];
      const quarantineRow = async (row: number, institutionId: string, raw: string, issues: readonly Issue[], amountFen: number): Promise<void> => {
        rowsQuarantined++;
        amountQuarantined += amountFen;
        const codes = [...new Set(issues.map((i) => i.code))];
        for (const c of codes) reasons[c] = (reasons[c] ?? 0) + 1;
        if (quarantine.write([o.batchId, DEF.kind, o.sourceName, row, institutionId, raw, JSON.stringify(issues), codes.join('|'), amountFen])) await quarantine.flush();
      };
      try {
        for await (const { line, text } of linesAt(csvPath, suspectRows)) {
          // The line is a whole record (plain file): the JS parser yields exactly its fields.
          const parser = new CsvParser();
          const [rec] = [...parser.push(text + '\n'), ...parser.end()];
          const src = new LineRecord(line, text, rec?.fields ?? []);
          let parsed;
          try {
            parsed = DEF.parse(src, ctx);
          } catch (err) {
            await quarantineRow(line, '', text, [{ severity: 'error', code: 'parse-error', path: '', message: String((err as Error).message) }], 0);
            continue;
          }
          amountRead += parsed.amountFen;
          if (parsed.issues.some((i) => i.severity === 'error')) {
            await quarantineRow(line, parsed.institutionId, text, parsed.issues, parsed.amountFen);
          } else {
            lineage[2] = line;
            if (accepted.write(parsed.values, lineage)) await accepted.flush();
          }
        }
        await accepted.close();
        await quarantine.close();
      } finally {
        accepted.stream.destroy();
        quarantine.stream.destroy();
      }
      suspectsJudged = { accepted: accepted.path, quarantined: quarantine.path, count: suspectRows.length };
      return suspectsJudged;
    };

    let cleanAmount = 0;
    const load = async (tx: Store, table: string): Promise<void> => {
      try {
        await tx.exec(cleanInsertSql(table, csvPath, shape.crlf, o.batchId, o.sourceName));
      } catch (err) {
        throw new NotNative(`DuckDB's CSV reader refused the file: ${(err as Error).message}`);
      }
      const [st] = await tx.query<{ n: number; a: number | null }>(`SELECT COUNT(*) AS n, SUM(amount_fen) AS a FROM ${table} WHERE batch_id = $1`, [o.batchId]);
      const clean = Number(st?.n ?? 0);
      cleanAmount = Number(st?.a ?? 0);
      let suspects: number[] = [];
      if (clean < records) {
        if (records - clean > MAX_SUSPECTS) throw new NotNative(`${records - clean} suspect rows`);
        const rows = await tx.query<{ r: number }>(
          `SELECT t.r FROM range(2, $2) t(r) WHERE NOT EXISTS (SELECT 1 FROM ${table} x WHERE x.batch_id = $1 AND x.source_row = t.r) ORDER BY t.r`,
          [o.batchId, records + 2],
        );
        suspects = rows.map((r) => Number(r.r));
      }
      const judged = await judgeSuspects(tx, suspects);
      await tx.copyCsvFile(table, [...DEF.columns, ...LINEAGE_COLUMNS], judged.accepted);
    };

    const result = await store.withTransaction(async (tx) => {
      o.crashPoint('in-transaction');
      const m = await moveStaged(tx, DEF, (table) => load(tx, table), o.batchId);
      // The record-by-record path can be killed mid-stream (MEDFUND_FAULT_INJECT=rows:N); here the
      // rows are all read by one statement, so that point is right after it, still inside the transaction.
      if (o.crashAfterRows !== undefined && o.crashAfterRows <= records) process.kill(process.pid, 'SIGKILL');
      o.crashPoint('after-move');
      const judged = suspectsJudged ?? { quarantined: '', count: 0 };
      const extra: SqlValue[][] = [];
      for (const c of m.conflicts) {
        rowsQuarantined++;
        amountQuarantined += c.amountFen;
        reasons[c.issue.code] = (reasons[c.issue.code] ?? 0) + 1;
        extra.push([o.batchId, DEF.kind, o.sourceName, c.row, c.institutionId, c.raw, JSON.stringify([c.issue]), c.issue.code, c.amountFen]);
      }
      if (judged.quarantined) await tx.copyCsvFile('quarantine', QUARANTINE_COLUMNS, judged.quarantined);
      if (extra.length) await tx.appendRows('quarantine', QUARANTINE_COLUMNS, extra);
      const amountFenRead = cleanAmount + amountRead;
      await tx.exec(
        `INSERT INTO import_batches (batch_id, kind, source_file, file_sha256, encoding, started_at, finished_at, rows_read, rows_stored,
          rows_quarantined, rows_duplicate, amount_fen_read, amount_fen_stored, amount_fen_quarantined)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
        [o.batchId, DEF.kind, o.sourceName, o.sha, o.encoding, startedAt, o.clock().toISOString(), records, m.rowsStored, rowsQuarantined, m.rowsDuplicate,
          amountFenRead, m.amountStored, amountQuarantined],
      );
      o.crashPoint('before-commit');
      return {
        rowsRead: records, rowsStored: m.rowsStored, rowsQuarantined, rowsDuplicate: m.rowsDuplicate, amountFenRead,
        amountFenStored: m.amountStored, amountFenQuarantined: amountQuarantined, reasons, suspects: judged.count,
      };
    });
    o.crashPoint('after-commit');
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
