/** Import batches and data quality 数据质量: quarantine by reason, with drill-down rows. */
import { z } from 'zod';
import type { SqlValue } from '../../store/store.js';
import { Paging, route } from '../route.js';

/** Mask anything shaped like a national id number (15 or 18 characters) in raw quarantined text. */
export function maskIdNumbers(text: string): string {
  return text.replace(/(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g, (m) => `${m.slice(0, 3)}${'*'.repeat(m.length - 5)}${m.slice(-2)}`);
}

const num = (v: SqlValue | undefined) => Number(v ?? 0);

export const qualityRoutes = [
  route({
    id: 'import.batches', method: 'get', path: '/api/import/batches', tag: 'import', access: ['admin', 'bureau-auditor'],
    summary: 'Import batches with row and amount reconciliation 导入批次',
    query: z.object({ ...Paging }),
    handler: async ({ services, query }) => {
      const [cnt] = await services.store.query(`SELECT COUNT(*) AS n FROM import_batches`);
      const rows = await services.store.query(`SELECT * FROM import_batches ORDER BY started_at DESC, batch_id LIMIT ${query.limit} OFFSET ${query.offset}`);
      return {
        rows: rows.map((r) => ({
          batchId: r.batch_id, kind: r.kind, sourceFile: r.source_file, fileSha256: r.file_sha256, encoding: r.encoding,
          startedAt: r.started_at, finishedAt: r.finished_at, rowsRead: num(r.rows_read), rowsStored: num(r.rows_stored),
          rowsQuarantined: num(r.rows_quarantined), rowsDuplicate: num(r.rows_duplicate), amountFenRead: num(r.amount_fen_read),
          amountFenStored: num(r.amount_fen_stored), amountFenQuarantined: num(r.amount_fen_quarantined),
        })),
        total: num(cnt?.n), limit: query.limit, offset: query.offset,
      };
    },
  }),
  route({
    id: 'quality.summary', method: 'get', path: '/api/quality', tag: 'quality', access: ['admin', 'bureau-auditor', 'hospital-insurance-officer'],
    summary: 'Data-quality summary: quarantined rows by kind and reason 数据质量概览',
    query: z.object({ institutionId: z.string().max(64).optional() }),
    handler: async ({ services, scope, query }) => {
      const inst = scope.institution(query.institutionId);
      const where = inst ? ` WHERE institution_id = $1` : '';
      const p = inst ? [inst] : [];
      const byReason = await services.store.query(
        `SELECT kind, reason_codes, COUNT(*) AS n, SUM(amount_fen) AS amount FROM quarantine${where} GROUP BY kind, reason_codes ORDER BY n DESC, kind, reason_codes`, p);
      const byInstitution = await services.store.query(
        `SELECT institution_id, COUNT(*) AS n, SUM(amount_fen) AS amount FROM quarantine${where} GROUP BY institution_id ORDER BY institution_id`, p);
      const totals = { quarantinedRows: 0, quarantinedAmountFen: 0, storedRows: 0 };
      for (const r of byReason) {
        totals.quarantinedRows += num(r.n);
        totals.quarantinedAmountFen += num(r.amount);
      }
      if (!inst) {
        const [b] = await services.store.query(`SELECT SUM(rows_stored) AS s FROM import_batches`);
        totals.storedRows = num(b?.s);
      } else {
        const [e] = await services.store.query(`SELECT COUNT(*) AS n FROM encounters WHERE institution_id = $1`, [inst]);
        const [l] = await services.store.query(`SELECT COUNT(*) AS n FROM settlement_lines WHERE institution_id = $1`, [inst]);
        totals.storedRows = num(e?.n) + num(l?.n);
      }
      return {
        institutionId: inst ?? null,
        totals,
        byReason: byReason.map((r) => ({
          kind: r.kind, reasonCodes: String(r.reason_codes).split('|').filter(Boolean), rows: num(r.n), amountFen: num(r.amount),
          drill: { path: '/api/quality/quarantine', query: { kind: r.kind, reasonCodes: r.reason_codes, ...(inst ? { institutionId: inst } : {}) } },
        })),
        byInstitution: byInstitution.map((r) => ({
          institutionId: r.institution_id, rows: num(r.n), amountFen: num(r.amount),
          drill: { path: '/api/quality/quarantine', query: { institutionId: r.institution_id } },
        })),
      };
    },
  }),
  route({
    id: 'quality.quarantine', method: 'get', path: '/api/quality/quarantine', tag: 'quality', access: ['admin', 'bureau-auditor', 'hospital-insurance-officer'],
    summary: 'Quarantined rows with their reasons (drill-down) 隔离区明细', patientData: true,
    query: z.object({
      institutionId: z.string().max(64).optional(), kind: z.string().max(40).optional(),
      reasonCodes: z.string().max(400).optional(), reasonCode: z.string().max(80).optional(), ...Paging,
    }),
    handler: async ({ services, scope, query, log }) => {
      const inst = scope.institution(query.institutionId);
      const conds: string[] = [];
      const params: SqlValue[] = [];
      if (inst) conds.push(`institution_id = $${params.push(inst)}`);
      if (query.kind) conds.push(`kind = $${params.push(query.kind)}`);
      if (query.reasonCodes) conds.push(`reason_codes = $${params.push(query.reasonCodes)}`);
      if (query.reasonCode) conds.push(`('|' || reason_codes || '|') LIKE $${params.push(`%|${query.reasonCode.replace(/[\\%_]/g, (m) => `\\${m}`)}|%`)} ESCAPE '\\'`);
      const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
      const [cnt] = await services.store.query(`SELECT COUNT(*) AS n FROM quarantine${where}`, params);
      const rows = await services.store.query(
        `SELECT * FROM quarantine${where} ORDER BY batch_id, source_file, source_row LIMIT ${query.limit} OFFSET ${query.offset}`, params);
      await log({ action: 'read', resource: 'quarantine', resourceId: inst ?? '*', detail: { rows: rows.length } });
      return {
        rows: rows.map((r) => {
          let reasons: unknown = [];
          try {
            reasons = JSON.parse(String(r.reasons));
          } catch {
            reasons = [{ code: 'unparsed', path: '', message: String(r.reasons) }];
          }
          return {
            batchId: r.batch_id, kind: r.kind, sourceFile: r.source_file, sourceRow: num(r.source_row), institutionId: r.institution_id,
            amountFen: num(r.amount_fen), reasonCodes: String(r.reason_codes).split('|').filter(Boolean), reasons, raw: maskIdNumbers(String(r.raw)),
          };
        }),
        total: num(cnt?.n), limit: query.limit, offset: query.offset,
      };
    },
  }),
];
