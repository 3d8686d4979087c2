/**
 * Text form of cases (the first ten columns of a scheme's examples.csv, FORMAT.md § 2) and of
 * grouping results. Pure string functions; the CLI streams lines through them.
 */
import { MedfundError, issue } from '../domain/index.js';
import type { DrgCase, GroupResult, Scheme } from './types.js';

/** Columns of a cases file, in order (FORMAT.md § 8). */
export const CASE_COLUMNS = [
  'id',
  'gender',
  'age',
  'ageDays',
  'weightGrams',
  'dept',
  'losDays',
  'dischargeType',
  'diagnoses',
  'procedures',
] as const;

/** Columns of a groups file. */
export const GROUP_COLUMNS = ['id', 'status', 'mdc', 'adrg', 'drg'] as const;

/**
 * Split one CSV record (RFC 4180 quoting: `"a,b"`, `""` for a quote). Returns null when a quoted
 * field is still open at the end of the text (the record continues on the next line).
 */
export function splitCsvRecord(text: string): string[] | null {
  if (!text.includes('"')) return text.split(',');
  const out: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      out.push(field);
      field = '';
    } else {
      field += ch;
    }
    i++;
  }
  if (quoted) return null;
  out.push(field);
  return out;
}

/** Quote a CSV field when it needs it (comma, quote, line break or surrounding white space). */
export function csvField(v: string): string {
  if (/[",\r\n]/.test(v) || /^\s|\s$/.test(v)) return `"${v.replaceAll('"', '""')}"`;
  return v;
}

/** Read a `|`-separated list field the way the scheme's FORMAT.md says (§ 2: `[""]` or `[]` for empty). */
export function parseListField(text: string, scheme: Scheme): string[] {
  if (text === '') return scheme.profile.emptyListField === 'one-blank' ? [''] : [];
  return text.split('|');
}

/** Column positions of a header row; every column of {@link CASE_COLUMNS} must be present. */
export function caseColumnIndex(header: readonly string[]): Record<(typeof CASE_COLUMNS)[number], number> {
  const idx = {} as Record<(typeof CASE_COLUMNS)[number], number>;
  const clean = header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const missing: string[] = [];
  for (const c of CASE_COLUMNS) {
    const at = clean.indexOf(c);
    if (at < 0) missing.push(c);
    idx[c] = at;
  }
  if (missing.length > 0) {
    throw new MedfundError([
      issue('missing-column', missing.join(','), `病例文件缺少列 / cases file lacks column(s) ${missing.join(', ')}; expected header ${CASE_COLUMNS.join(',')}`),
    ]);
  }
  return idx;
}

/** One CSV row → a case, scalar fields kept as text (FORMAT.md § 2). */
export function caseFromRow(fields: readonly string[], idx: ReturnType<typeof caseColumnIndex>, scheme: Scheme): DrgCase {
  const get = (c: (typeof CASE_COLUMNS)[number]) => fields[idx[c]];
  return {
    id: get('id') ?? '',
    ...optional('gender', get('gender')),
    ...optional('age', get('age')),
    ...optional('ageDays', get('ageDays')),
    ...optional('weightGrams', get('weightGrams')),
    ...optional('dept', get('dept')),
    ...optional('losDays', get('losDays')),
    ...optional('dischargeType', get('dischargeType')),
    // a short row has no list field at all: absent (FORMAT.md: absent list = empty list in 2.0)
    diagnoses: get('diagnoses') === undefined ? [] : parseListField(get('diagnoses')!, scheme),
    procedures: get('procedures') === undefined ? [] : parseListField(get('procedures')!, scheme),
  };
}

function optional<K extends string>(key: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: string };
}

/** One result row of a groups file. */
export function groupRow(id: string, r: GroupResult): string {
  return [id, r.status, r.mdc, r.adrg, r.drg].map(csvField).join(',');
}
