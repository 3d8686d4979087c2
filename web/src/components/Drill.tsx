/**
 * The drill-down panel: opened by clicking a figure, it loads and lists the rows behind it.
 */
import { useEffect, useRef, useState } from 'react';
import { RouteUnavailable } from '../api';
import { useI18n } from '../i18n';
import { genericColumns } from '../pages/rows';
import { DataTable, type Column } from './DataTable';
import { ErrorBox, Loading, NotAvailable } from './States';

export interface DrillRequest<R> {
  /** what was clicked, e.g. "人民医院 · 2025-03" */
  title: string;
  load: () => Promise<{ rows: R[]; total?: number }>;
  /** omitted: columns follow the rows the API sent (money for `…Fen`) */
  columns?: Column<R>[];
}

type State<R> =
  | { s: 'loading' }
  | { s: 'ok'; rows: R[]; total?: number }
  | { s: 'error'; error: Error }
  | { s: 'unavailable'; route: string };

export function Drill<R extends object>({ request, onClose }: { request: DrillRequest<R> | null; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [state, setState] = useState<State<R>>({ s: 'loading' });
  const ref = useRef<HTMLElement>(null);
  // bring the rows into view: the panel opens below the charts
  useEffect(() => {
    if (request) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [request, state.s]);
  useEffect(() => {
    if (!request) return;
    let live = true;
    setState({ s: 'loading' });
    request
      .load()
      .then((r) => live && setState({ s: 'ok', rows: r.rows, total: r.total }))
      .catch((err: unknown) => {
        if (!live) return;
        if (err instanceof RouteUnavailable) setState({ s: 'unavailable', route: err.route });
        else setState({ s: 'error', error: err instanceof Error ? err : new Error(String(err)) });
      });
    return () => {
      live = false;
    };
  }, [request]);
  if (!request) return null;
  return (
    <section className="card drill" data-testid="drill" ref={ref}>
      <div className="card-head">
        <h3 data-testid="drill-title">
          {t('rowsBehind')}
          {request.title}
        </h3>
        <button type="button" className="btn btn-small" onClick={onClose} data-testid="drill-close">
          {t('close')}
        </button>
      </div>
      {state.s === 'loading' && <Loading />}
      {state.s === 'error' && <ErrorBox error={state.error} />}
      {state.s === 'unavailable' && <NotAvailable missing={[state.route]} />}
      {state.s === 'ok' && (
        <DataTable
          testId="drill-table"
          columns={request.columns ?? (genericColumns(state.rows, lang) as unknown as Column<R>[])}
          rows={state.rows}
          total={state.total}
        />
      )}
    </section>
  );
}
