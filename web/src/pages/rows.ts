/** Columns for a drill-down whose row shape is the API's: money for `…Fen`, numbers right-aligned. */
import type { Column } from '../components/DataTable';
import type { MsgKey } from '../i18n';

const LABELS: Record<string, MsgKey> = {
  institutionId: 'institution',
  departmentId: 'department',
  month: 'month',
  amountFen: 'amount',
  totalFen: 'totalAmount',
  ruleId: 'rule',
  status: 'status',
  severity: 'severity',
  message: 'message',
  encounterId: 'encounterId',
  id: 'encounterId',
};

/** Keys never worth a column in a rows table. */
const SKIP = new Set(['drill', 'raw']);

export function genericColumns(rows: Record<string, unknown>[], t: (k: MsgKey) => string): Column<Record<string, unknown>>[] {
  const first = rows[0];
  if (!first) return [];
  return Object.keys(first)
    .filter((k) => !SKIP.has(k))
    .slice(0, 14)
    .map((k) => {
      const v = first[k];
      const kind = /Fen$/.test(k) ? 'money' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'dec') : 'text';
      return { key: k, label: LABELS[k] ? t(LABELS[k]!) : k, kind } as Column<Record<string, unknown>>;
    });
}
