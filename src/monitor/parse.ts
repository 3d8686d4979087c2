/**
 * Parse one settlement line arriving on a stream (a CSV row in settlement-lines.csv column order, or a
 * JSON object with the domain field names) into a validated {@link SettlementLine}. Bad input yields a
 * specific reason (field, value, why) — the monitor records it as a reject, never drops it silently.
 */
import { REGION_FILES, SettlementLineSchema } from '../domain/index.js';
import type { SettlementLine } from '../domain/index.js';
import { CsvParser } from '../ingest/csv.js';

export const LINE_COLUMNS = REGION_FILES.settlementLines.columns;
const NUMERIC = new Set(['quantity', 'unitPriceFen', 'amountFen']);

export type ParseResult = { ok: true; line: SettlementLine } | { ok: false; reason: string };

/** Split one CSV record (without its newline). */
export function splitCsvRow(text: string): string[] {
  const p = new CsvParser();
  const recs = p.push(`${text}\n`);
  return recs[0]?.fields ?? [];
}

/** Map a header row to column indexes; throws when a required column is missing. */
export function headerIndex(header: readonly string[]): Map<string, number> {
  const idx = new Map<string, number>();
  header.forEach((h, i) => idx.set(h.trim().replace(/^\uFEFF/, ''), i));
  const missing = LINE_COLUMNS.filter((c) => !idx.has(c));
  if (missing.length) {
    throw new Error(`settlement-lines header lacks column(s) ${missing.join(', ')} (expected ${LINE_COLUMNS.join(',')})`);
  }
  return idx;
}

/**
 * Resolves a hospital local charge code to the national code (tier-1 → tier-2 code mapping) for rows
 * that arrive with an empty `itemCode`, as settlement-lines.csv allows.
 */
export type ItemCodeResolver = (institutionId: string, localCode: string) => string | undefined;

export function parseCsvLine(fields: readonly string[], idx: ReadonlyMap<string, number>, resolve?: ItemCodeResolver): ParseResult {
  const obj: Record<string, unknown> = {};
  for (const c of LINE_COLUMNS) {
    const v = fields[idx.get(c)!];
    if (v === undefined) return { ok: false, reason: `column ${c}: missing (row has ${fields.length} fields)` };
    if (NUMERIC.has(c)) {
      const n = v.trim() === '' ? Number.NaN : Number(v);
      if (!Number.isFinite(n)) return { ok: false, reason: `column ${c}: "${v}" is not a number` };
      obj[c] = n;
    } else obj[c] = v;
  }
  return validate(obj, resolve);
}

export function parseJsonLine(text: string, resolve?: ItemCodeResolver): ParseResult {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON: ${(e as Error).message}` };
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { ok: false, reason: 'expected a JSON object with settlement-line fields' };
  return validate(obj as Record<string, unknown>, resolve);
}

function validate(obj: Record<string, unknown>, resolve?: ItemCodeResolver): ParseResult {
  if (obj.itemCode === '' || obj.itemCode === undefined) {
    const local = typeof obj.localCode === 'string' ? obj.localCode : '';
    const inst = typeof obj.institutionId === 'string' ? obj.institutionId : '';
    const mapped = local && resolve ? resolve(inst, local) : undefined;
    if (!mapped) return { ok: false, reason: `field itemCode: empty and local code "${local}" of institution ${inst} has no code mapping` };
    obj = { ...obj, itemCode: mapped };
  }
  const r = SettlementLineSchema.safeParse(obj);
  if (!r.success) {
    const first = r.error.issues[0]!;
    const path = first.path.join('.');
    return { ok: false, reason: `field ${path || '(root)'}: ${JSON.stringify(obj[String(first.path[0])] ?? null)} — ${first.message}` };
  }
  return { ok: true, line: r.data };
}
