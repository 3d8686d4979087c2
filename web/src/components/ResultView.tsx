/**
 * Shows an engine's answer as it came: `…Fen` numbers as money figures, other scalars as a key/value
 * list, arrays of objects as tables. Used where the answer's shape is the engine's own (settlement
 * trace, audit verdicts), so nothing is recomputed or invented in the browser.
 */
import { genericColumns } from '../pages/rows';
import { dec, int, money } from '../format';
import { useI18n, type MsgKey } from '../i18n';
import { DataTable } from './DataTable';
import { Kpi, KpiRow } from './Kpi';

const LABELS: Record<string, MsgKey> = {
  totalFen: 'totalAmount',
  fundFen: 'fundPays',
  fundPaysFen: 'fundPays',
  patientFen: 'patientPays',
  patientPaysFen: 'patientPays',
  amountFen: 'amount',
};

export function ResultView({ value, testId }: { value: unknown; testId: string }) {
  const { t, lang, pick } = useI18n();
  if (!value || typeof value !== 'object') return <pre>{JSON.stringify(value, null, 2)}</pre>;
  const entries = Object.entries(value as Record<string, unknown>);
  const moneys = entries.filter(([k, v]) => typeof v === 'number' && /Fen$/.test(k)) as [string, number][];
  const scalars = entries.filter(([k, v]) => (typeof v !== 'object' || v === null) && !(typeof v === 'number' && /Fen$/.test(k)));
  const tables = entries.filter(([, v]) => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') as [string, Record<string, unknown>[]][];
  const objects = entries.filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v)) as [string, Record<string, unknown>][];
  const isBilingual = (o: Record<string, unknown>) => typeof o.zh === 'string' || typeof o.en === 'string';
  return (
    <div data-testid={testId}>
      {moneys.length > 0 && (
        <KpiRow>
          {moneys.map(([k, v]) => (
            <Kpi key={k} testId={`${testId}-${k}`} label={LABELS[k] ? `${t(LABELS[k]!)}` : k} value={money(v)} sub={LABELS[k] ? k : undefined} />
          ))}
        </KpiRow>
      )}
      {scalars.length > 0 && (
        <dl className="kv">
          {scalars.map(([k, v]) => (
            <FragmentKV key={k} k={k} v={typeof v === 'number' ? (Number.isInteger(v) ? int(v, lang) : dec(v)) : String(v)} />
          ))}
          {objects.filter(([, o]) => isBilingual(o)).map(([k, o]) => (
            <FragmentKV key={k} k={k} v={pick(o as { zh?: string; en?: string })} />
          ))}
        </dl>
      )}
      {objects
        .filter(([, o]) => !isBilingual(o))
        .map(([k, o]) => (
          <div key={k} style={{ marginTop: 10 }}>
            <h4>{k}</h4>
            <ResultView value={o} testId={`${testId}-${k}`} />
          </div>
        ))}
      {tables.map(([k, rows]) => (
        <div key={k} style={{ marginTop: 10 }}>
          <h4>{k}</h4>
          <DataTable testId={`${testId}-${k}`} rows={rows} columns={genericColumns(rows, t)} />
        </div>
      ))}
    </div>
  );
}

function FragmentKV({ k, v }: { k: string; v: string }) {
  return (
    <>
      <dt>{k}</dt>
      <dd data-key={k}>{v}</dd>
    </>
  );
}
