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
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
export function csvField(v: string): string {
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
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

/** One CSV row → a case, scalar fields kept as text (FORMAT.md § 2); a missing cell stays absent. */
export function caseFromRow(fields: readonly string[], idx: ReturnType<typeof caseColumnIndex>, scheme: Scheme): DrgCase {
  const dx = fields[idx.diagnoses];
  const px = fields[idx.procedures];
  // built field by field (no spreads): this runs once per row of files with millions of rows
  const c: { -readonly [K in keyof DrgCase]: DrgCase[K] } = {
    id: fields[idx.id] ?? '',
    // a short row has no list field at all: absent (FORMAT.md: absent list = empty list in 2.0)
    diagnoses: dx === undefined ? [] : parseListField(dx, scheme),
    procedures: px === undefined ? [] : parseListField(px, scheme),
  };
  const gender = fields[idx.gender];
  if (gender !== undefined) c.gender = gender;
  const age = fields[idx.age];
  if (age !== undefined) c.age = age;
  const ageDays = fields[idx.ageDays];
  if (ageDays !== undefined) c.ageDays = ageDays;
  const weight = fields[idx.weightGrams];
  if (weight !== undefined) c.weightGrams = weight;
  const dept = fields[idx.dept];
  if (dept !== undefined) c.dept = dept;
  const los = fields[idx.losDays];
  if (los !== undefined) c.losDays = los;
  const dtype = fields[idx.dischargeType];
  if (dtype !== undefined) c.dischargeType = dtype;
  return c;
}

/** One result row of a groups file. */
export function groupRow(id: string, r: GroupResult): string {
  return [id, r.status, r.mdc, r.adrg, r.drg].map(csvField).join(',');
}
