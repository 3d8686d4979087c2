/**
 * Record sources: CSV (UTF-8 or GBK), JSON Lines and FHIR R4 bundles all become the same stream of
 * records — a row number, a field getter by column name, and the raw text for the quarantine.
 */
import { readFileSync } from 'node:fs';
import { CsvParser } from './csv.js';
import { readText, type SourceEncoding } from './decode.js';

export interface SourceRecord {
  /** 1-based data row (CSV: physical line number; JSONL: line number; FHIR: entry number) */
  row: number;
  get(column: string): string | undefined;
  raw: string;
  /** structural problem found before field parsing (wrong column count, bad JSON) */
  structuralError?: { code: string; message: string };
}

export interface Progress {
  bytesRead: number;
}

/** A CSV record: fields looked up through the header's column index (a class, so no closure per row). */
class CsvRecord implements SourceRecord {
  structuralError?: { code: string; message: string };
  constructor(
    readonly row: number,
    readonly raw: string,
    private readonly fields: string[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}
  get(column: string): string | undefined {
    const i = this.index.get(column);
    return i === undefined ? undefined : this.fields[i];
  }
}

/** CSV with a header row; column names are matched exactly (camelCase as in src/domain/files.ts). */
export async function* csvRecords(path: string, encoding: SourceEncoding, progress: Progress): AsyncGenerator<SourceRecord[]> {
  const parser = new CsvParser();
  let header: string[] | undefined;
  let index = new Map<string, number>();
  const convert = (recs: ReturnType<CsvParser['push']>): SourceRecord[] => {
    const out: SourceRecord[] = [];
    for (const r of recs) {
      if (!header) {
        header = r.fields.map((h) => h.trim());
        index = new Map(header.map((h, i) => [h, i]));
        continue;
      }
      if (r.fields.length === 1 && r.fields[0] === '' ) continue; // blank line
      const rec = new CsvRecord(r.line, r.raw, r.fields, index);
      if (r.fields.length !== header.length) {
        rec.structuralError = { code: 'column-count', message: `row has ${r.fields.length} fields, the header has ${header.length}` };
      }
      out.push(rec);
    }
    return out;
  };
  for await (const chunk of readText(path, encoding)) {
    progress.bytesRead = chunk.bytesRead;
    const recs = convert(parser.push(chunk.text));
    if (recs.length) yield recs;
  }
  const last = convert(parser.end());
  if (last.length) yield last;
}

function fieldText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => String(x)).join('|');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** JSON Lines: one object per line with the CSV column names as keys; arrays become `|` lists. */
export async function* jsonlRecords(path: string, encoding: SourceEncoding, progress: Progress): AsyncGenerator<SourceRecord[]> {
  let carry = '';
  let lineNo = 0;
  const convert = (lines: string[]): SourceRecord[] => {
    const out: SourceRecord[] = [];
    for (const line of lines) {
      lineNo++;
      if (line.trim() === '') continue;
      let obj: Record<string, unknown> | undefined;
      let err: string | undefined;
      try {
        const v: unknown = JSON.parse(line);
        if (v && typeof v === 'object' && !Array.isArray(v)) obj = v as Record<string, unknown>;
        else err = 'line is valid JSON but not an object';
      } catch (e) {
        err = `invalid JSON: ${(e as Error).message}`;
      }
      const o = obj ?? {};
      const rec: SourceRecord = { row: lineNo, raw: line, get: (c) => fieldText(o[c]) };
      if (err) rec.structuralError = { code: 'invalid-json', message: err };
      out.push(rec);
    }
    return out;
  };
  for await (const chunk of readText(path, encoding)) {
    progress.bytesRead = chunk.bytesRead;
    const text = carry + chunk.text;
    const parts = text.split('\n');
    carry = parts.pop() ?? '';
    const recs = convert(parts.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p)));
    if (recs.length) yield recs;
  }
  if (carry.trim() !== '') yield convert([carry]);
}

/** A whole JSON document (FHIR bundles are transaction-sized; bulk data comes as CSV/JSONL). */
export function readJsonDocument(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
}
