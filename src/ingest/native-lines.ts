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
 * when a byte scan (done while the SHA-256 is computed) proves it plain: a header of the
 * canonical columns in any order, maybe with more (settlementLineColumns), the same field count on every line, no quoted line breaks, no blank lines, no stray quotes,
 * no NUL, one newline style. Then record k is physical line k + 2 on both sides. Anything else — and
 * any error from DuckDB's reader (invalid UTF-8, …) — goes to the JS path. The scan writes a numbered
 * UTF-8 copy (`<physical line>,<line>,<proof>`) that DuckDB reads instead of the file: the line number
 * comes with each row, so the statement needs no row_number() window and runs on every core; the proof
 * (0) says the scan already saw every field in its strict form (FIELD_FORMS), so the SQL tests those
 * forms only on the other lines (1). GBK files are
 * decoded in the same read (the iconv-lite decoder the JS path uses) and scanned and copied as UTF-8.
 */
import { createReadStream, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import iconv from 'iconv-lite';
import { CHARGE_CATEGORIES, PAY_CLASSES, REGION_FILES, type Issue } from '../domain/index.js';
import { sqlString, type SqlValue, type Store } from '../store/index.js';
import { CsvParser } from './csv.js';
import type { SourceEncoding } from './decode.js';
import { KINDS, type ParseContext } from './kinds.js';
import { ReferenceData } from './refdata.js';
import type { SourceRecord } from './sources.js';
import { CsvSink, importScratchDir, LINEAGE_COLUMNS, QUARANTINE_COLUMNS, moveStaged } from './staging.js';

const FILE_COLUMNS = REGION_FILES.settlementLines.columns;
const DEF = KINDS.settlementLines;
/** What the scan proves of each settlement-line field (FieldForm); the SQL tests only unproven lines. */
const FIELD_FORMS: Record<(typeof FILE_COLUMNS)[number], FieldForm> = {
  id: 'text', encounterId: 'text', institutionId: 'text', localCode: 'text', itemCode: 'text', itemName: 'text',
  category: 'any', payClass: 'any', // the SQL's IN lists test them exactly, and cheaply
  quantity: 'decimal', unitPriceFen: 'digits12', amountFen: 'digits15', doctorId: 'text', departmentId: 'text', chargedAt: 'timestamp',
};
/** Up to this many suspects are held in memory while judged (≈ 150 B each), and only their encounters loaded. */
const INLINE_SUSPECTS = 200_000;
/** More suspects than this: the file is mostly bad, and the JS path handles it with less bookkeeping. */
const MAX_SUSPECTS = 1_000_000;
/**
 * DuckDB's memory limit while a file is imported. By default DuckDB may cache up to 80 % of RAM, and the
 * blocks a big uncommitted batch writes stay cached: peak RSS grew with the file (≈ 740 MiB at 5M
 * lines). Under this limit they are evicted (they are on disk already) and RSS stays flat, at about
 * the same speed (docs/architecture.md § Import pipeline). MEDFUND_IMPORT_MEMORY_LIMIT sets another
 * (a DuckDB size, e.g. "1GiB"); it is read when the module loads.
 */
const IMPORT_MEMORY_LIMIT = process.env.MEDFUND_IMPORT_MEMORY_LIMIT || '512MiB';

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
 * What the scan may prove of a field, so that DuckDB need not test it (see `verify` below):
 * 'text' — neither starts nor ends with white space; 'decimal' — `\d{1,9}(\.\d{1,9})?`;
 * 'digits12' / 'digits15' — 1–12 / 1–15 ASCII digits; 'timestamp' — `YYYY-MM-DDTHH:mm:ss`, a
 * calendar date from year 1000, hour ≤ 23, minutes and seconds ≤ 59; 'any' — nothing to prove.
 */
export type FieldForm = 'text' | 'decimal' | 'digits12' | 'digits15' | 'timestamp' | 'any';

const FORM_CODE: Record<FieldForm, number> = { any: 0, text: 1, decimal: 2, digits12: 3, digits15: 4, timestamp: 5 };

/**
 * Could the field b[s, e) (non-empty) start or end with white space — JS `trim`'s set: ASCII TAB, VT,
 * FF, space, or U+00A0 (C2 A0), U+1680 (E1 9A 80), U+2000–U+200A, U+2028/9, U+202F (E2 80 xx),
 * U+205F (E2 81 9F), U+3000 (E3 80 80), U+FEFF (EF BB BF)? Tested on the first two and last three
 * bytes, a little wider than exact (a yes only means "let DuckDB test it"); CJK text (E4–E9 leads) is
 * never a yes.
 */
function mayHaveEdgeWs(b: Uint8Array, s: number, e: number): boolean {
  const f = b[s]!;
  if (f < 0x80) {
    if (f === 32 || (f >= 9 && f <= 12)) return true;
  } else if (f === 0xc2 || f === 0xe1 || f === 0xe2 || f === 0xe3 || f === 0xef) {
    const g = s + 1 < e ? b[s + 1]! : 0;
    if ((f === 0xc2 && g === 0xa0) || (f === 0xe1 && g === 0x9a) || (f === 0xe2 && (g === 0x80 || g === 0x81)) || (f === 0xe3 && g === 0x80) || (f === 0xef && g === 0xbb)) return true;
  }
  const l = b[e - 1]!;
  if (l < 0x80) return l === 32 || (l >= 9 && l <= 12);
  if (e - s >= 2 && l === 0xa0 && b[e - 2] === 0xc2) return true;
  if (e - s < 3) return false;
  const lead = b[e - 3]!;
  const mid = b[e - 2]!;
  return (lead === 0xe1 && mid === 0x9a) || (lead === 0xe2 && (mid === 0x80 || mid === 0x81)) || (lead === 0xe3 && mid === 0x80) || (lead === 0xef && mid === 0xbb);
}
function digitsOnly(b: Uint8Array, s: number, e: number): boolean {
  for (let k = s; k < e; k++) {
    const c = b[k]!;
    if (c < 48 || c > 57) return false;
  }
  return true;
}
/** two ASCII digits at k as a number, or -1 */
function two(b: Uint8Array, k: number): number {
  const x = b[k]! - 48;
  const y = b[k + 1]! - 48;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function timestampOk(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 19 || b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 || b[s + 13] !== 58 || b[s + 16] !== 58) return false;
  const century = two(b, s);
  const yy = two(b, s + 2);
  const month = two(b, s + 5);
  const day = two(b, s + 8);
  const hour = two(b, s + 11);
  const minute = two(b, s + 14);
  const second = two(b, s + 17);
  if (century < 10 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** Does the unquoted field b[s, e) certainly have the form (FORM_CODE)? s < 0: it began in an earlier chunk — not proven. */
function proven(b: Uint8Array, s: number, e: number, form: number): boolean {
  if (s < 0) return false;
  if (e === s) return form <= 1; // empty: 'any' and 'text' (the SQL tests emptiness itself)
  if (b[s] === 34) return false; // quoted: DuckDB unquotes it, the scan does not
  switch (form) {
    case 0:
      return true;
    case 1:
      return !mayHaveEdgeWs(b, s, e);
    case 2: {
      let dot = -1;
      for (let k = s; k < e; k++) {
        const c = b[k]!;
        if (c === 46 && dot < 0) dot = k;
        else if (c < 48 || c > 57) return false;
      }
      return dot < 0 ? e - s <= 9 : dot - s >= 1 && dot - s <= 9 && e - dot - 1 >= 1 && e - dot - 1 <= 9;
    }
    case 3:
      return e - s <= 12 && digitsOnly(b, s, e);
    case 4:
      return e - s <= 15 && digitsOnly(b, s, e);
    default:
      return timestampOk(b, s, e);
  }
}

/** fieldProven of a whole field text (tests): the scan's verdict on that field. */
export function fieldProven(text: string, form: FieldForm): boolean {
  const b = Buffer.from(text, 'utf8');
  return proven(b, 0, b.length, FORM_CODE[form]);
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
  /** the next data line's number is still to be written (its first byte is in a later chunk) */
  private numberDue = false;
  /** the next data line's number as ASCII digits (incremented in place: no string per line) */
  private digits = Uint8Array.of(50); // "2": the first data line
  /** two output buffers, used in turn: one may still be being written while the next chunk is scanned */
  private outs = [Buffer.alloc(0), Buffer.alloc(0)];
  private turn = 0;
  private out = this.outs[0]!;
  /** the form code (FORM_CODE) of each field, when proofs are written */
  private verify: Uint8Array | undefined;
  /** every field of the current line so far has its `verify` form */
  private lineProven = true;
  why: string | undefined;

  /**
   * `header`: the exact header line, or a function that accepts the header line's text (undefined:
   * not accepted) and tells the field count and forms of files with that header.
   * `verify` (one form per field): the numbered copy then ends each line with `,0` when the scan
   * proved every field's form (DuckDB may skip those tests) or `,1` when it did not.
   */
  constructor(
    private fields: number,
    private readonly header: string | ((text: string) => { fields: number; verify?: readonly FieldForm[] } | undefined),
    verify?: readonly FieldForm[],
  ) {
    this.setForms(verify);
  }

  private setForms(verify: readonly FieldForm[] | undefined): void {
    if (verify && verify.length !== this.fields) throw new Error(`verify has ${verify.length} forms for ${this.fields} fields`);
    this.verify = verify && Uint8Array.from(verify, (f) => FORM_CODE[f]);
  }

  push(b: Uint8Array): void {
    this.scan(b);
  }

  /**
   * Scan a chunk and return its data lines as `<physical line number>,<line as read>` (header left
   * out), so DuckDB's reader gets each record's line number as a column and may read the copy in
   * parallel — no order-dependent `row_number()`. With `verify`, each line ends in its proof (`,0` /
   * `,1`). The result is a view of one of two buffers used in turn: it stays intact during the next
   * call and is overwritten by the one after; undefined once the scan has failed.
   */
  pushNumbered(b: Uint8Array): Buffer | undefined {
    const n = this.scan(b);
    return this.why === undefined ? this.out.subarray(0, n) : undefined;
  }

  /** Returns the bytes of numbered output written to `this.out`. */
  private scan(b: Uint8Array): number {
    if (this.why !== undefined) return 0;
    // a line has ≥ `fields` bytes (commas + line end); a number takes ≤ 17 bytes with its comma, the proof 2
    const room = b.length + (Math.floor(b.length / this.fields) + 2) * 19;
    this.turn ^= 1;
    if (this.outs[this.turn]!.length < room) this.outs[this.turn] = Buffer.allocUnsafe(room);
    const out = (this.out = this.outs[this.turn]!);
    let state = this.state;
    let commas = this.commas;
    let lineBytes = this.lineBytes;
    let i = 0;
    if (this.headerBytes) {
      // The header line (first ≤ 4 KiB) is compared as text.
      while (i < b.length && b[i] !== 10 && this.headerBytes.length < 4096) this.headerBytes.push(b[i++]!);
      if (i === b.length && this.headerBytes.length < 4096) return 0;
      const endsCr = this.headerBytes[this.headerBytes.length - 1] === 13;
      const text = Buffer.from(this.headerBytes).toString('latin1').replace(/\r$/, '');
      this.headerBytes = undefined;
      if (typeof this.header === 'string') this.headerOk = text === this.header;
      else {
        const plan = this.header(text);
        this.headerOk = plan !== undefined;
        if (plan) {
          this.fields = plan.fields;
          this.setForms(plan.verify);
        }
      }
      if (!this.headerOk) return this.fail('header not accepted (the canonical columns, each once, unquoted)');
      state = this.state = 0;
      this.lines = 1; // the header
      if (b[i] === 10) {
        if (endsCr) this.crlfLines++;
        else this.lfLines++;
        i++;
      }
      this.numberDue = true;
    }
    const n = b.length;
    const verify = this.verify;
    // where the current field began in this chunk; -1: in an earlier chunk (not proven)
    let fieldStart = state === 0 ? i : -1;
    let o = 0;
    if (this.numberDue && i < n) {
      o = this.putNumber(out, o);
      this.numberDue = false;
    }
    let lineProven = this.lineProven;
    while (i < n) {
      let c = b[i]!;
      if (c > 44 || (c !== 0 && c !== 10 && c !== 13 && c !== 34 && c !== 44)) {
        if (state === 0) state = 1;
        else if (state >= 3) return this.fail(state === 3 ? 'text after a closing quote' : 'CR not followed by LF');
        // the rest of this run of bytes above ',' (most of a line, UTF-8 sequences included) in a tight loop
        const from = i;
        out[o++] = c;
        while (++i < n && (c = b[i]!) > 44) out[o++] = c;
        lineBytes += i - from;
        continue;
      }
      out[o++] = c;
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
          if (verify && lineProven && !proven(b, fieldStart, i, verify[commas]!)) lineProven = false;
          fieldStart = i + 1;
          commas++;
          lineBytes++;
          state = 0;
          break;
        case 10:
          if (state === 2) return this.fail('line break inside a quoted field');
          if (lineBytes === 0) return this.fail('blank line');
          if (commas + 1 !== this.fields) return this.fail(`a line with ${commas + 1} fields`);
          this.lines++;
          if (verify) {
            if (lineProven && !proven(b, fieldStart, state === 4 ? i - 1 : i, verify[commas]!)) lineProven = false;
            // the proof goes before the line end: `,0` or `,1`
            o -= state === 4 ? 2 : 1;
            out[o++] = 44;
            out[o++] = lineProven ? 48 : 49;
            if (state === 4) out[o++] = 13;
            out[o++] = 10;
            lineProven = true;
            fieldStart = i + 1;
          }
          if (state === 4) this.crlfLines++;
          else this.lfLines++;
          commas = 0;
          lineBytes = 0;
          state = 0;
          // the next line's number, unless the chunk ends here (then maybe the file does too)
          if (i + 1 < n) o = this.putNumber(out, o);
          else this.numberDue = true;
          break;
        case 13:
          if (state === 2 || state === 4) return this.fail('CR inside a field');
          state = 4;
          break;
      }
      i++;
    }
    this.lineProven = lineProven;
    this.state = state;
    this.commas = commas;
    this.lineBytes = lineBytes;
    return o;
  }

  /** Writes the next data line's number and a comma at `o`, then counts on; returns the new offset. */
  private putNumber(out: Buffer, o: number): number {
    const d = this.digits;
    for (let k = 0; k < d.length; k++) out[o++] = d[k]!;
    out[o++] = 44;
    let k = d.length - 1;
    while (k >= 0 && d[k] === 57) d[k--] = 48; // 9 → 0, carry
    if (k >= 0) d[k]!++;
    else {
      this.digits = new Uint8Array(d.length + 1).fill(48);
      this.digits[0] = 49;
    }
    return o;
  }

  /**
   * With `verify`: the proof of a last line that has no line end (`,1`: not proven — its first
   * fields were in an earlier chunk), to be written after the last pushNumbered; else empty.
   */
  endNumbered(): Buffer {
    const open = this.why === undefined && !this.headerBytes && !this.numberDue && (this.lineBytes > 0 || this.commas > 0);
    return this.verify && open ? Buffer.from(',1') : Buffer.alloc(0);
  }

  private fail(why: string): number {
    this.why = why;
    return 0;
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

/** SHA-256 of a file, computed by a worker thread (plain JS: no loader needed there). */
function sha256OnWorker(path: string): Promise<string> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const hash = require('node:crypto').createHash('sha256');
     require('node:fs').createReadStream(workerData, { highWaterMark: 1 << 20 })
       .on('data', (c) => hash.update(c))
       .on('end', () => parentPort.postMessage(hash.digest('hex')))
       .on('error', (e) => { throw e; });`,
    { eval: true, workerData: path, execArgv: [] },
  );
  return new Promise((resolve, reject) => {
    worker.once('message', (sha: string) => resolve(sha));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`hash worker exited with code ${code}`)));
  });
}

/** What the one pass over a native candidate yields (see readForNative); disposeNativeSource removes `dir`. */
export interface NativeSource {
  /** SHA-256 of the file as stored */
  sha: string;
  /** shape of its UTF-8 text (GBK decoded) */
  shape: CsvShape;
  /** the data lines as `<physical line>,<line>,<proof>` in UTF-8 (complete only when the shape is plain) */
  numbered: string;
  /** the file's columns in file order (its header: the canonical columns in any order, maybe more) */
  columns: readonly string[];
  dir: string;
}

/**
 * The header of a settlement-line file the native path reads: names split at commas and trimmed (as
 * csv.ts + sources.ts read a header), every canonical column present, no name twice or empty, no
 * quotes. Columns beyond the canonical ones are allowed and ignored, as on the record path. Else
 * undefined (the record path reads the file).
 */
export function settlementLineColumns(headerText: string): string[] | undefined {
  if (headerText.includes('"')) return undefined;
  const names = headerText.split(',').map((n) => n.trim());
  if (names.some((n) => n === '') || new Set(names).size !== names.length) return undefined;
  return FILE_COLUMNS.every((c) => names.includes(c)) ? names : undefined;
}

/**
 * One pass over the file: its SHA-256 (the batch id), its shape and the numbered UTF-8 copy DuckDB
 * reads. GBK is decoded with the JS path's iconv-lite decoder and scanned and copied as decoded.
 */
export async function readForNative(path: string, encoding: SourceEncoding, onBytes?: (n: number) => void): Promise<NativeSource> {
  const dir = importScratchDir('medfund-native-');
  try {
    // The hash runs on a worker thread (its own read of the file) while this thread scans.
    const sha = sha256OnWorker(path);
    sha.catch(() => undefined); // awaited below; a scan error must not leave it unhandled
    let columns: readonly string[] = FILE_COLUMNS;
    const formOf = (c: string): FieldForm => (c in FIELD_FORMS ? FIELD_FORMS[c as keyof typeof FIELD_FORMS] : 'any');
    const scanner = new ShapeScanner(FILE_COLUMNS.length, (text) => {
      const names = settlementLineColumns(text);
      if (names) columns = names;
      return names && { fields: names.length, verify: names.map(formOf) };
    });
    const decoder = encoding === 'gbk' ? iconv.getDecoder('gbk') : undefined;
    const numbered = join(dir, 'numbered.csv');
    const out = await open(numbered, 'w');
    // The copy is written on libuv's thread pool while the next chunk is scanned: a write can block
    // for a while (the kernel throttles a process that dirties many pages, as right after a big file
    // was written), and the scan is the one serial step of the import. The scanner's two output
    // buffers are used in turn, so the one being written is never the one being filled.
    let writing: Promise<unknown> = Promise.resolve();
    try {
      const put = async (text: Uint8Array): Promise<void> => {
        if (scanner.why !== undefined || text.length === 0) return;
        const lines = scanner.pushNumbered(text);
        await writing;
        if (lines?.length) writing = writeAll(out, lines);
      };
      let bytes = 0;
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
        // A UTF-8 byte-order mark (Excel's "CSV UTF-8") is dropped, as the record path drops it:
        // the header then matches, and line numbers do not change.
        const bom = !decoder && bytes === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
        await put(decoder ? Buffer.from(decoder.write(chunk as Buffer), 'utf8') : bom ? (chunk as Buffer).subarray(3) : (chunk as Buffer));
        bytes += (chunk as Buffer).length;
        onBytes?.(bytes);
        if (scanner.why !== undefined) break; // not plain: the record path reads it (the hash goes on)
      }
      if (decoder && scanner.why === undefined) await put(Buffer.from(decoder.end() ?? '', 'utf8'));
      await writing;
      if (scanner.why === undefined) await writeAll(out, scanner.endNumbered());
    } finally {
      await writing.catch(() => undefined);
      await out.close();
    }
    return { sha: await sha, shape: scanner.finish(), numbered, columns, dir };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function writeAll(file: FileHandle, b: Uint8Array): Promise<void> {
  for (let at = 0; at < b.length; ) at += (await file.write(b, at, b.length - at)).bytesWritten;
}

export function disposeNativeSource(src: NativeSource): void {
  rmSync(src.dir, { recursive: true, force: true });
}

// ── the set-based pass ──────────────────────────────────────────────────────────────────────────

/** JS String.prototype.trim's white space, as an RE2 class (a field starting/ending with one is a suspect). */
const WS = String.raw`[\s\x0B\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`;
const TEXT_FIELDS = ['id', 'enc', 'inst', 'lc', 'ic', 'name', 'doc', 'dept'];

/** INSERT … SELECT of the certainly-valid rows of a plain file's numbered copy into `table` (see the file comment). */
function cleanInsertSql(table: string, numberedPath: string, fileColumns: readonly string[], batchId: string, sourceName: string): string {
  // the file's columns by position (c0, c1, …: a header name need not be a safe SQL name); the
  // canonical ones are picked by their position below
  const columns = `{'source_row': 'BIGINT', ${fileColumns.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ')}, 'unproven': 'UTINYINT'}`;
  const reader = `read_csv(${sqlString(numberedPath)}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"',
    strict_mode = true, allow_quoted_nulls = false, nullstr = '<medfund:null>', columns = ${columns})`;
  // No new_line option: the scan allows CR only in CRLF line ends, so the reader's own line-end
  // handling reads LF and CRLF files alike (an explicit '\r\n' made DuckDB 1.5 drop rows here).
  // Empty fields read as '' (not NULL) through an improbable null string: cheaper than COALESCE on
  // every column. A field that *is* that string reads as NULL and fails the predicate (a suspect), or
  // trips NOT NULL on insert (the file then takes the JS path) — never a wrong stored value.
  const f = (col: string): string => `c${fileColumns.indexOf(col)}`;
  const inList = (xs: readonly string[]): string => xs.map(sqlString).join(', ');
  return `
INSERT INTO ${table} (${[...DEF.columns, ...LINEAGE_COLUMNS].join(', ')})
WITH r AS (
  -- the line number comes with the line (no row_number(): that would keep the whole statement on one thread)
  SELECT source_row,
    ${f('id')} AS id, ${f('encounterId')} AS enc, ${f('institutionId')} AS inst, ${f('localCode')} AS lc,
    ${f('itemCode')} AS ic, ${f('itemName')} AS name, ${f('category')} AS cat, ${f('payClass')} AS pc,
    ${f('quantity')} AS q_txt, ${f('unitPriceFen')} AS p_txt, ${f('amountFen')} AS a_txt, ${f('doctorId')} AS doc,
    ${f('departmentId')} AS dept, ${f('chargedAt')} AS ts, unproven
  FROM ${reader}
), s AS (
  SELECT source_row, id, enc, inst, lc, ic, name, cat, pc, doc, dept, ts,
    TRY_CAST(q_txt AS DOUBLE) AS q, TRY_CAST(p_txt AS BIGINT) AS p, TRY_CAST(a_txt AS BIGINT) AS a
  FROM r
  WHERE id <> '' AND enc <> '' AND inst <> '' AND doc <> '' AND dept <> '' AND (ic <> '' OR lc <> '')
    AND cat IN (${inList(CHARGE_CATEGORIES)}) AND pc IN (${inList(PAY_CLASSES)})
    -- the forms the scan proved (FIELD_FORMS) are tested here only on lines it could not prove
    AND (unproven = 0 OR (
      NOT regexp_matches(concat_ws(chr(1), ${TEXT_FIELDS.join(', ')}), '(^|\\x01)${WS}|${WS}(\\x01|$)')
      AND regexp_full_match(q_txt, '\\d{1,9}(\\.\\d{1,9})?') AND regexp_full_match(p_txt, '\\d{1,12}') AND regexp_full_match(a_txt, '\\d{1,15}')
      AND regexp_full_match(ts, '\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d')
      AND TRY_CAST(left(ts, 10) AS DATE) IS NOT NULL))
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

/** The given physical lines (sorted, ≥ 2) of the source, read from its numbered copy, without number, proof and line end. */
async function* linesAt(path: string, wanted: readonly number[]): AsyncGenerator<{ line: number; text: string }> {
  const unnumbered = (text: string): string => {
    const t = text.slice(text.indexOf(',') + 1);
    return t.slice(0, t.endsWith('\r') ? -3 : -2);
  };
  let k = 0;
  let line = 2; // the copy starts at the first data line
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
        yield { line, text: unnumbered(bytes.toString('utf8')) };
        k++;
        if (k >= wanted.length) return;
      }
      carry = undefined;
      line++;
      start = nl + 1;
    }
  }
  if (k < wanted.length && carry && line === wanted[k]) {
    yield { line, text: unnumbered(carry.toString('utf8')) };
  }
}


/** A suspect line as kinds.ts reads it: fields looked up through the file's own header. */
class LineRecord implements SourceRecord {
  constructor(readonly row: number, readonly raw: string, private readonly fields: string[], private readonly index: ReadonlyMap<string, number>) {}
  get(column: string): string | undefined {
    const i = this.index.get(column);
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
  source: NativeSource;
  encoding: SourceEncoding;
  batchId: string;
  sha: string;
  sourceName: string;
  pseudonymKey: string;
  clock: () => Date;
  crashPoint: (point: string) => void;
  crashAfterRows: number | undefined;
  /** how far the set-based INSERT has come (0–1; DuckDB's progress of reading the numbered copy) */
  onStoreProgress?: (fraction: number) => void;
}

/** Bytes of a size as DuckDB prints and accepts it ("18.8 GiB", "256MiB", "1GB"); NaN if not one. */
export function sizeBytes(text: string): number {
  const m = /^\s*([\d.]+)\s*(bytes|B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?\s*$/i.exec(text);
  if (!m) return NaN;
  const unit = (m[2] ?? 'B').toLowerCase();
  const scale: Record<string, number> = { bytes: 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };
  return Number(m[1]) * scale[unit]!;
}

/**
 * Runs `fn` with DuckDB's memory limit lowered to `limit` (never raised), then puts the previous
 * limit back: RESET first, since SET with the printed (rounded) value would drift.
 */
async function withMemoryLimit<T>(store: Store, limit: string, fn: () => Promise<T>): Promise<T> {
  const current = async (): Promise<string> => String((await store.query<{ v: string }>(`SELECT current_setting('memory_limit') AS v`))[0]?.v);
  const before = await current();
  // An in-memory database has no file to evict written blocks to: left as it is.
  if (store.location === ':memory:' || !(sizeBytes(limit) < sizeBytes(before))) return fn();
  await store.exec(`SET memory_limit = ${sqlString(limit)}`);
  try {
    return await fn();
  } finally {
    await store.exec(`RESET memory_limit`);
    if ((await current()) !== before) await store.exec(`SET memory_limit = ${sqlString(before)}`);
  }
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
  const { shape, numbered: csvPath } = o.source;
  const headerIndex = new Map(o.source.columns.map((c, i) => [c, i]));
  if (!shape.plain) return undefined;
  const dir = importScratchDir('medfund-native-');
  try {
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
      // The suspects, parsed. The usual few are held in memory, so that only the encounters they name
      // are loaded (a region's every encounter made memory grow with the region); beyond
      // INLINE_SUSPECTS they stream past and every encounter is loaded.
      const fieldsOf = (text: string): string[] => {
        // The line is a whole record (plain file): the JS parser yields exactly its fields.
        const parser = new CsvParser();
        const [rec] = [...parser.push(text + '\n'), ...parser.end()];
        return rec?.fields ?? [];
      };
      let suspects: AsyncIterable<{ line: number; text: string; fields?: string[] }> | { line: number; text: string; fields: string[] }[];
      let ref: ReferenceData;
      if (suspectRows.length === 0) {
        suspects = [];
        ref = new ReferenceData();
      } else if (suspectRows.length <= INLINE_SUSPECTS) {
        const held: { line: number; text: string; fields: string[] }[] = [];
        for await (const s of linesAt(csvPath, suspectRows)) held.push({ ...s, fields: fieldsOf(s.text) });
        const at = headerIndex.get('encounterId')!;
        // every form kinds.ts may look an encounter id up by (trimmed; NULs removed)
        const ids = new Set(held.flatMap((h) => [(h.fields[at] ?? '').trim(), (h.fields[at] ?? '').replace(/\u0000/g, '')]));
        suspects = held;
        ref = await ReferenceData.load(tx, DEF.needs, { encounterIds: ids });
      } else {
        suspects = linesAt(csvPath, suspectRows);
        ref = await ReferenceData.load(tx, DEF.needs);
      }
      const ctx: ParseContext = {
        ref,
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
        for await (const { line, text, fields } of suspects) {
          const src = new LineRecord(line, text, fields ?? fieldsOf(text), headerIndex);
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
      // The plan as written: the file's rows probe, each reference table builds. DuckDB estimates the
      // filtered CSV at a few hundred rows, so its join-order optimiser made the file the build side
      // of the encounter join — a hash table of every line — and a realistic region (519k encounters,
      // 5.5M lines) ran out of the 512 MiB import limit and fell back to the record path.
      // (Settings are not transactional: after a failed INSERT the transaction is aborted and the
      // reset happens once it has been rolled back, at the end of importLinesNative.)
      await tx.exec(`SET disabled_optimizers = 'join_order,build_side_probe_side'`);
      try {
        await tx.exec(cleanInsertSql(table, csvPath, o.source.columns, o.batchId, o.sourceName), undefined, { onProgress: o.onStoreProgress });
      } catch (err) {
        throw new NotNative(`DuckDB's CSV reader refused the file: ${(err as Error).message}`);
      }
      await tx.exec(`RESET disabled_optimizers`);
      const [st] = await tx.query<{ n: number; a: number | null }>(`SELECT COUNT(*) AS n, SUM(amount_fen) AS a FROM ${table} WHERE batch_id = $1`, [o.batchId]);
      const clean = Number(st?.n ?? 0);
      cleanAmount = Number(st?.a ?? 0);
      let suspects: number[] = [];
      if (clean < records) {
        if (records - clean > MAX_SUSPECTS) throw new NotNative(`${records - clean} suspect rows`);
        // The lines not stored are the gaps in the stored lines' numbers (2 … records + 1): found by
        // one ordered pass with lag() — an anti-join against the range of numbers built a hash table
        // of every stored line (1.0 s, 2 CPU-s and ≈ 500 MiB of RSS on 5.5M lines; this: 0.4 s, 0.65, ≈ 150).
        if (clean === 0) suspects = Array.from({ length: records }, (_, k) => k + 2);
        else {
          const gaps = await tx.query<{ lo: number; hi: number }>(
            `SELECT prev + 1 AS lo, source_row - 1 AS hi
               FROM (SELECT source_row, lag(source_row, 1, 1) OVER (ORDER BY source_row) AS prev FROM ${table} WHERE batch_id = $1)
              WHERE source_row - prev > 1
             UNION ALL
             SELECT max(source_row) + 1, $2 FROM ${table} WHERE batch_id = $1 HAVING max(source_row) < $2`,
            [o.batchId, records + 1],
          );
          for (const g of gaps) for (let r = Number(g.lo); r <= Number(g.hi); r++) suspects.push(r);
          suspects.sort((a, b) => a - b);
        }
        if (suspects.length !== records - clean) throw new Error(`native import: ${suspects.length} gaps for ${records - clean} lines not stored`);
      }
      const judged = await judgeSuspects(tx, suspects);
      await tx.copyCsvFile(table, [...DEF.columns, ...LINEAGE_COLUMNS], judged.accepted);
    };

    const result = await withMemoryLimit(store, IMPORT_MEMORY_LIMIT, () => store.withTransaction(async (tx) => {
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
    }));
    o.crashPoint('after-commit');
    return result;
  } finally {
    await store.exec(`RESET disabled_optimizers`); // set for the INSERT only (see load)
    rmSync(dir, { recursive: true, force: true });
  }
}
