/**
 * Streaming CSV (RFC 4180: `,` separator, `"` quoting with `""` escapes, CRLF or LF) — the hot path
 * of every import, hand-written because generic parsers allocate per field and per row more than a
 * multi-million-line import can afford. Records are delivered in batches per text chunk, each with its
 * 1-based physical line number and its raw text (kept for the quarantine).
 */
export interface CsvRecord {
  /** 1-based line number of the record's first line in the file (the header is line 1) */
  line: number;
  fields: string[];
  raw: string;
}

export class CsvParser {
  private carry = '';
  private line = 1;

  /** Feed a chunk; returns the complete records it finished. */
  push(text: string): CsvRecord[] {
    const data = this.carry ? this.carry + text : text;
    const out: CsvRecord[] = [];
    let pos = 0;
    const n = data.length;
    for (;;) {
      const rec = this.parseRecord(data, pos, n, false);
      if (!rec) break;
      out.push(rec.record);
      pos = rec.next;
    }
    this.carry = data.slice(pos);
    return out;
  }

  /** End of input: the last record may lack a final newline. */
  end(): CsvRecord[] {
    const data = this.carry;
    this.carry = '';
    if (data === '' ) return [];
    const rec = this.parseRecord(data, 0, data.length, true);
    return rec && !(rec.record.fields.length === 1 && rec.record.fields[0] === '') ? [rec.record] : [];
  }

  /**
   * Parse one record starting at `start`; undefined when the record is incomplete (more input needed).
   * An unterminated quote at the end of input yields the rest as one field (and a raw row that the
   * importer then rejects for its column count).
   */
  private parseRecord(d: string, start: number, n: number, final: boolean): { record: CsvRecord; next: number } | undefined {
    if (start >= n) return undefined;
    const fields: string[] = [];
    let i = start;
    let newlines = 0;
    for (;;) {
      if (i < n && d.charCodeAt(i) === 34 /* " */) {
        // quoted field
        let value = '';
        let segStart = i + 1;
        let j = segStart;
        for (;;) {
          const q = d.indexOf('"', j);
          if (q === -1) {
            if (!final) return undefined;
            value += d.slice(segStart);
            newlines += countNewlines(d, segStart, n);
            fields.push(value);
            return this.finish(fields, d, start, n, n, newlines);
          }
          if (q + 1 < n && d.charCodeAt(q + 1) === 34) {
            value += d.slice(segStart, q + 1);
            segStart = j = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return undefined; // cannot tell "" from end quote yet
          newlines += countNewlines(d, segStart, q);
          value += d.slice(segStart, q);
          i = q + 1;
          break;
        }
        fields.push(value);
      } else {
        // unquoted field: up to the next , or newline
        let j = i;
        while (j < n) {
          const c = d.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          j++;
        }
        if (j >= n && !final) return undefined;
        fields.push(d.slice(i, j));
        i = j;
      }
      if (i >= n) {
        if (!final) return undefined;
        return this.finish(fields, d, start, i, n, newlines);
      }
      const c = d.charCodeAt(i);
      if (c === 44) {
        i++;
        if (i >= n && final) {
          fields.push('');
          return this.finish(fields, d, start, i, n, newlines);
        }
        continue;
      }
      if (c === 13) {
        if (i + 1 >= n && !final) return undefined;
        const end = i;
        i += d.charCodeAt(i + 1) === 10 ? 2 : 1;
        return this.finish(fields, d, start, end, i, newlines + 1);
      }
      if (c === 10) {
        return this.finish(fields, d, start, i, i + 1, newlines + 1);
      }
      // garbage after a closing quote: keep it in the field, as most tools do
      let j = i;
      while (j < n) {
        const c2 = d.charCodeAt(j);
        if (c2 === 44 || c2 === 10 || c2 === 13) break;
        j++;
      }
      if (j >= n && !final) return undefined;
      fields[fields.length - 1] += d.slice(i, j);
      i = j;
      if (i >= n) return this.finish(fields, d, start, i, n, newlines);
    }
  }

  private finish(fields: string[], d: string, start: number, end: number, next: number, newlines: number): { record: CsvRecord; next: number } {
    const record: CsvRecord = { line: this.line, fields, raw: d.slice(start, end) };
    this.line += Math.max(newlines, 1);
    return { record, next };
  }
}

function countNewlines(d: string, from: number, to: number): number {
  let k = 0;
  for (let i = d.indexOf('\n', from); i !== -1 && i < to; i = d.indexOf('\n', i + 1)) k++;
  return k;
}

/** Quote a value for CSV output when needed. */
export function csvQuote(v: string): string {
  if (v === '') return '""';
  if (/[",\r\n]/.test(v)) return `"${v.replace(/"/g, '""')}"`;
  return v;
}
