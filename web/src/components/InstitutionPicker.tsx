/**
 * Institution filter. Region-wide roles (bureau, admin) choose one institution or all; hospital
 * roles are fixed to their own (the server scopes them anyway, docs/api.md § Scoping).
 */
import { useEffect, useState, type JSX } from "react";
import { call, ENDPOINTS } from '../api';
import { useUser } from '../auth';
import type { ListOf } from '../endpoints';
import { useI18n } from '../i18n';

export interface InstitutionRow {
  id: string;
  name: string;
  level?: string;
  kind?: string;
}

export function useInstitutions(): InstitutionRow[] {
  const [rows, setRows] = useState<InstitutionRow[]>([]);
  useEffect(() => {
    let live = true;
    call<ListOf<InstitutionRow>>(ENDPOINTS.institutions)
      .then((r) => live && setRows(r.rows))
      .catch(() => live && setRows([]));
    return () => {
      live = false;
    };
  }, []);
  return rows;
}

/** The institution id in force ('' = all the user may see) and the control to change it. */
export function useInstitutionPicker(opts: { allowAll?: boolean } = {}): [string, JSX.Element, InstitutionRow[]] {
  const user = useUser();
  const { t } = useI18n();
  const rows = useInstitutions();
  const allowAll = opts.allowAll ?? true;
  const fixed = user.institutionId;
  const [chosen, setChosen] = useState('');
  const value = fixed || chosen || (allowAll ? '' : rows[0]?.id ?? '');
  const control = fixed ? (
    <span className="badge" data-testid="institution-fixed">
      {rows.find((r) => r.id === fixed)?.name ?? fixed}
    </span>
  ) : (
    <label>
      {t('institution')}
      <select value={value} onChange={(e) => setChosen(e.target.value)} data-testid="institution-select">
        {allowAll && <option value="">{t('allInstitutions')}</option>}
        {rows.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
  );
  return [value, control, rows];
}

export function institutionName(rows: InstitutionRow[], id: string): string {
  return rows.find((r) => r.id === id)?.name ?? id;
}

/** Department id → name for the given institutions (one request per institution, cached per page). */
export function useDepartmentNames(institutionIds: readonly string[]): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const key = [...new Set(institutionIds)].sort().join(',');
  useEffect(() => {
    let live = true;
    const ids = key ? key.split(',') : [];
    void Promise.all(
      ids.map((id) => call<ListOf<{ id: string; name: string }>>(ENDPOINTS.departments, { query: { id } }).then((r) => r.rows).catch(() => [])),
    ).then((lists) => {
      if (live) setNames(new Map(lists.flat().map((d) => [d.id, d.name])));
    });
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}
