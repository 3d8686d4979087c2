/**
 * Pick an existing encounter (GET /api/encounters) to prefill a form; loads it with its charge
 * lines (GET /api/encounters/:id).
 */
import { useEffect, useState } from 'react';
import { ApiError, call, ENDPOINTS } from '../api';
import type { ListOf } from '../endpoints';
import { useI18n } from '../i18n';

export interface EncounterSummary {
  id: string;
  institutionId: string;
  kind?: string;
  admitDate?: string;
  diagnoses?: string[] | string;
}
export interface EncounterWithLines {
  encounter: Record<string, unknown> & { id: string; diagnoses?: string[]; sex?: string; ageYears?: number };
  lines: (Record<string, unknown> & { itemCode?: string; quantity?: number; amountFen?: number; chargedAt?: string })[];
}

export function EncounterPicker({ kind, onLoad, institutionId }: { kind?: string; institutionId?: string; onLoad: (e: EncounterWithLines) => void }) {
  const { t } = useI18n();
  const [list, setList] = useState<EncounterSummary[]>([]);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  useEffect(() => {
    call<ListOf<EncounterSummary>>(ENDPOINTS.encounters, { query: { kind, institutionId, limit: 50 } })
      .then((r) => {
        setList(r.rows);
        setError(null);
      })
      .catch((err: unknown) => {
        // roles without access to patient-level lists (e.g. doctors) simply type the case in
        if (err instanceof ApiError && err.status === 403) setForbidden(true);
        else setError(err instanceof Error ? err.message : String(err));
      });
  }, [kind, institutionId]);
  async function load(id: string) {
    setChosen(id);
    if (!id) return;
    try {
      onLoad(await call<EncounterWithLines>(ENDPOINTS.encounter, { query: { id } }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }
  if (forbidden) return null;
  return (
    <label>
      {t('fromEncounter')}
      <select value={chosen} onChange={(e) => void load(e.target.value)} data-testid="encounter-select">
        <option value="">—</option>
        {list.map((e) => (
          <option key={e.id} value={e.id}>
            {e.id} · {e.admitDate ?? ''} · {Array.isArray(e.diagnoses) ? e.diagnoses[0] : String(e.diagnoses ?? '').split('|')[0]}
          </option>
        ))}
      </select>
      {error && <span className="form-error small">{error}</span>}
    </label>
  );
}
