/**
 * The rows table every figure drills down to. Client-side paging (the API already limits what it
 * sends); money columns are fen shown as yuan.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { dec, int, money, pct } from '../format';
import { useI18n } from '../i18n';

export type ColumnKind = 'text' | 'money' | 'int' | 'dec' | 'pct' | 'num';

export interface Column<R> {
  key: string;
  label: string;
  kind?: ColumnKind;
  render?: (row: R) => ReactNode;
}

const PAGE = 20;

function cell(kind: ColumnKind, v: unknown, lang: 'zh' | 'en'): ReactNode {
  if (v === null || v === undefined) return '—';
  switch (kind) {
    case 'money':
      return money(Number(v));
    case 'int':
      return int(Number(v), lang);
    case 'dec':
      return dec(Number(v));
    case 'pct':
      return pct(Number(v));
    case 'num':
      return Number(v).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 4 });
    case 'text':
      if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join('|');
      if (typeof v === 'object') {
        const o = v as { zh?: unknown; en?: unknown };
        if (typeof o.zh === 'string' || typeof o.en === 'string') return String((lang === 'zh' ? o.zh ?? o.en : o.en ?? o.zh) ?? '');
        return JSON.stringify(v);
      }
      return String(v);
  }
}

export function DataTable<R extends object>({
  columns,
  rows,
  testId,
  total,
  onRowClick,
  selectedIndex,
}: {
  columns: Column<R>[];
  rows: R[];
  testId: string;
  /** total rows behind the figure when the API sent only the first ones */
  total?: number;
  onRowClick?: (row: R, index: number) => void;
  selectedIndex?: number;
}) {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(0);
  useEffect(() => setPage(0), [rows]);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const shown = rows.slice(page * PAGE, page * PAGE + PAGE);
  const count = total ?? rows.length;
  return (
    <div className="table-wrap" data-testid={testId}>
      <div className="table-meta">
        <span data-testid={`${testId}-count`} data-count={count}>
          {t('rowCount', { n: int(count, lang) })}
        </span>
        {total !== undefined && total > rows.length && <span className="muted">{t('showingFirst', { n: rows.length })}</span>}
      </div>
      {rows.length === 0 ? (
        <div className="muted empty">{t('noData')}</div>
      ) : (
        <table className="table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} className={c.kind && c.kind !== 'text' ? 'num' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r, i) => {
              const index = page * PAGE + i;
              return (
                <tr
                  key={index}
                  className={`${onRowClick ? 'row-click' : ''}${selectedIndex === index ? ' row-selected' : ''}`}
                  onClick={onRowClick ? () => onRowClick(r, index) : undefined}
                  data-testid={`${testId}-row`}
                >
                  {columns.map((c) => (
                    <td key={c.key} className={c.kind && c.kind !== 'text' ? 'num' : undefined} data-col={c.key}>
                      {c.render ? c.render(r) : cell(c.kind ?? 'text', (r as Record<string, unknown>)[c.key], lang)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <div className="pager">
          <button type="button" className="btn btn-small" disabled={page === 0} onClick={() => setPage(page - 1)}>
            {t('prevPage')}
          </button>
          <span>{t('pageOf', { p: page + 1, n: pages })}</span>
          <button type="button" className="btn btn-small" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            {t('nextPage')}
          </button>
        </div>
      )}
    </div>
  );
}
