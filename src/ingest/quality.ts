/**
 * Data-quality report (数据质量) per source file and per institution, in %:
 * - completeness 完整性: rows without a missing required field;
 * - validity 有效性: rows whose values are well-formed and whose codes exist (no invalid-/unknown- reason);
 * - consistency 一致性: rows that agree with themselves and with other data (amount = qty × price,
 *   LOS = dates, diagnosis vs sex, no conflicting duplicates, references in the same institution);
 * - timeliness 及时性: settlement lines charged within their encounter's stay (admission day to
 *   discharge day inclusive) — charges recorded late or early point to back-dated or misfiled bills.
 * Rows in = stored + quarantined (+ duplicates of stored rows); every percentage says what it counts.
 */
import type { Store } from '../store/index.js';

const COMPLETENESS = new Set(['missing-field']);
const CONSISTENCY = new Set([
  'amount-mismatch', 'los-inconsistent', 'discharge-before-admission', 'diagnosis-sex-conflict', 'sex-mismatch', 'institution-mismatch',
  'duplicate-key-in-file', 'duplicate-key-conflict',
]);
// everything else (invalid-*, unknown-*, unmapped-local-code, quantity-not-positive, los-not-positive, column-count, invalid-json …) is validity

export interface QualityRow {
  /** source file name or institution id */
  key: string;
  kind?: string;
  rowsRead: number;
  rowsStored: number;
  rowsQuarantined: number;
  completenessPct: number;
  validityPct: number;
  consistencyPct: number;
  /** null when the source holds no settlement lines */
  timelinessPct: number | null;
  topReasons: Array<{ code: string; rows: number }>;
}

export interface QualityReport {
  bySource: QualityRow[];
  byInstitution: QualityRow[];
}

const pct = (good: number, total: number): number => (total === 0 ? 100 : Math.round((good / total) * 10000) / 100);

function classify(codes: string[]): { completeness: boolean; validity: boolean; consistency: boolean } {
  let completeness = false;
  let validity = false;
  let consistency = false;
  for (const c of codes) {
    if (COMPLETENESS.has(c)) completeness = true;
    else if (CONSISTENCY.has(c)) consistency = true;
    else validity = true;
  }
  return { completeness, validity, consistency };
}

interface Acc {
  read: number;
  stored: number;
  quarantined: number;
  badCompleteness: number;
  badValidity: number;
  badConsistency: number;
  reasons: Map<string, number>;
  linesTotal: number;
  linesTimely: number;
  kind?: string;
}
const acc = (): Acc => ({ read: 0, stored: 0, quarantined: 0, badCompleteness: 0, badValidity: 0, badConsistency: 0, reasons: new Map(), linesTotal: 0, linesTimely: 0 });

function toRow(key: string, a: Acc): QualityRow {
  return {
    key, ...(a.kind ? { kind: a.kind } : {}), rowsRead: a.read, rowsStored: a.stored, rowsQuarantined: a.quarantined,
    completenessPct: pct(a.read - a.badCompleteness, a.read),
    validityPct: pct(a.read - a.badValidity, a.read),
    consistencyPct: pct(a.read - a.badConsistency, a.read),
    timelinessPct: a.linesTotal === 0 ? null : pct(a.linesTimely, a.linesTotal),
    topReasons: [...a.reasons.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, 5).map(([code, rows]) => ({ code, rows })),
  };
}

export async function qualityReport(store: Store): Promise<QualityReport> {
  const bySource = new Map<string, Acc>();
  const byInst = new Map<string, Acc>();
  const get = (m: Map<string, Acc>, k: string): Acc => {
    let a = m.get(k);
    if (!a) m.set(k, (a = acc()));
    return a;
  };
  for (const b of await store.query(`SELECT batch_id, kind, source_file, rows_read, rows_stored, rows_quarantined FROM import_batches ORDER BY source_file, batch_id`)) {
    const a = get(bySource, String(b.source_file));
    a.kind = String(b.kind);
    a.read += Number(b.rows_read);
    a.stored += Number(b.rows_stored);
    a.quarantined += Number(b.rows_quarantined);
  }
  // Reason classes per quarantined row, by source and by institution.
  const q = await store.query(`SELECT source_file, institution_id, reason_codes, COUNT(*) AS n FROM quarantine GROUP BY source_file, institution_id, reason_codes`);
  for (const r of q) {
    const codes = String(r.reason_codes).split('|').filter(Boolean);
    const cls = classify(codes);
    const n = Number(r.n);
    for (const a of [get(bySource, String(r.source_file)), ...(r.institution_id ? [get(byInst, String(r.institution_id))] : [])]) {
      if (cls.completeness) a.badCompleteness += n;
      if (cls.validity) a.badValidity += n;
      if (cls.consistency) a.badConsistency += n;
      for (const c of codes) a.reasons.set(c, (a.reasons.get(c) ?? 0) + n);
    }
    if (r.institution_id) {
      const a = get(byInst, String(r.institution_id));
      a.read += n;
      a.quarantined += n;
    }
  }
  for (const table of ['departments', 'practitioners', 'encounters', 'settlement_lines', 'department_costs', 'code_mappings']) {
    for (const r of await store.query(`SELECT institution_id, COUNT(*) AS n FROM ${table} GROUP BY institution_id`)) {
      const a = get(byInst, String(r.institution_id));
      a.read += Number(r.n);
      a.stored += Number(r.n);
    }
  }
  const timely = await store.query(
    `SELECT l.source_file, l.institution_id, COUNT(*) AS n,
            SUM(CASE WHEN substr(l.charged_at, 1, 10) >= e.admit_date AND substr(l.charged_at, 1, 10) <= e.discharge_date THEN 1 ELSE 0 END) AS ok
     FROM settlement_lines l JOIN encounters e ON e.id = l.encounter_id GROUP BY l.source_file, l.institution_id`,
  );
  for (const r of timely) {
    for (const a of [get(bySource, String(r.source_file)), get(byInst, String(r.institution_id))]) {
      a.linesTotal += Number(r.n);
      a.linesTimely += Number(r.ok);
    }
  }
  return {
    bySource: [...bySource.entries()].map(([k, a]) => toRow(k, a)),
    byInstitution: [...byInst.entries()].sort((x, y) => x[0].localeCompare(y[0])).map(([k, a]) => toRow(k, a)),
  };
}

/** Local codes that could not be mapped to a national code (tier 1 → tier 2), per institution. */
export async function unmappedCodesReport(store: Store): Promise<Array<{ institutionId: string; localCode: string; rows: number }>> {
  const rows = await store.query(`SELECT institution_id, raw, reasons FROM quarantine WHERE reason_codes LIKE '%unmapped-local-code%'`);
  const counts = new Map<string, number>();
  for (const r of rows) {
    for (const i of JSON.parse(String(r.reasons)) as Array<{ code: string; message: string }>) {
      if (i.code !== 'unmapped-local-code') continue;
      const m = /local code "(.*)" of/.exec(i.message);
      const key = `${String(r.institution_id)}\u0000${m?.[1] ?? '?'}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .map(([k, rows]) => {
      const [institutionId, localCode] = k.split('\u0000') as [string, string];
      return { institutionId, localCode, rows };
    })
    .sort((a, b) => b.rows - a.rows || a.institutionId.localeCompare(b.institutionId) || a.localCode.localeCompare(b.localCode));
}
