/**
 * DRG 入组预测 for a stay in progress (POST /api/drg/predict): the likely DRG, the standard payment,
 * the projected cost and margin at the expected length of stay, and the engine's warning and advice
 * — what a doctor checks before ordering more. Figures are the engine's; nothing is computed here.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, call, ENDPOINTS, missingEndpoints } from '../api';
import { money, pct } from '../format';
import { useI18n } from '../i18n';
import { Card } from './Card';
import { Kpi, KpiRow } from './Kpi';
import { NotAvailable } from './States';

export interface DrgPrediction {
  scheme: string;
  weightsVersion?: string;
  prediction: {
    group: { status: string; mdc?: string; adrg?: string; drg: string };
    drgName: string;
    expectedLosDays: number;
    projectedCostFen: number;
    payment: { paymentFen: number; caseType?: string };
    standardPaymentFen: number;
    projectedMarginFen: number;
    marginRate: number;
    warning: string;
    advice: string;
  };
}

/** "1234.5" yuan → 123450 fen, exactly (no floating point); null when not a yuan amount. */
export function parseYuan(text: string): number | null {
  const m = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const WARNING_CLASS: Record<string, string> = { none: 'ok', watch: 'sev-info', alert: 'sev-warning', critical: 'sev-error' };

export function DrgPredict({ sex, ageYears, diagnoses }: { sex: '1' | '2'; ageYears: number; diagnoses: string[] }) {
  const { t } = useI18n();
  const [missing, setMissing] = useState<string[] | null>(null);
  const [procedures, setProcedures] = useState('');
  const [days, setDays] = useState('3');
  const [cost, setCost] = useState('5000');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<DrgPrediction | null>(null);
  useEffect(() => {
    void missingEndpoints([ENDPOINTS.drgPredict]).then((m) => setMissing(m.map((e) => `${e.method} ${e.path}`)));
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const costFen = parseYuan(cost);
    const daysSoFar = Number(days);
    if (costFen === null) return setError(`${t('costSoFar')}: "${cost}" — ${t('expectYuan')}`);
    if (!Number.isInteger(daysSoFar) || daysSoFar < 1) return setError(`${t('daysSoFar')}: "${days}" — ≥ 1`);
    if (diagnoses.length === 0) return setError(t('diagnoses'));
    setBusy(true);
    setError(null);
    try {
      setResult(
        await call<DrgPrediction>(ENDPOINTS.drgPredict, {
          body: {
            sex, ageYears, losDays: daysSoFar, dischargeDate: new Date().toISOString().slice(0, 10), diagnoses,
            procedures: procedures.split(/[,，\s]+/).filter(Boolean), costSoFarFen: costFen, daysSoFar,
          },
        }),
      );
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  if (missing === null) return null;
  const p = result?.prediction;
  return (
    <Card title={t('drgPredict')} wide testId="drg-predict">
      {missing.length > 0 ? (
        <NotAvailable missing={missing} />
      ) : (
        <>
          <form className="form" onSubmit={submit}>
            <label>
              {t('procedures')}
              <input value={procedures} onChange={(e) => setProcedures(e.target.value)} data-testid="predict-procedures" />
            </label>
            <label>
              {t('daysSoFar')}
              <input type="number" min={1} value={days} onChange={(e) => setDays(e.target.value)} data-testid="predict-days" />
            </label>
            <label>
              {t('costSoFar')}
              <input value={cost} onChange={(e) => setCost(e.target.value)} data-testid="predict-cost" />
            </label>
            <div>
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="predict-submit">
                {t('predict')}
              </button>
            </div>
            {error && (
              <pre className="form-error full" data-testid="predict-error">
                {error}
              </pre>
            )}
          </form>
          {p && (
            <div data-testid="predict-result" style={{ marginTop: 12 }}>
              <KpiRow>
                <Kpi testId="predict-drg" label={`DRG · ${result.scheme}`} value={p.group.drg || p.group.status} sub={p.drgName || p.group.status} />
                <Kpi testId="predict-los" label={t('expectedLos')} value={String(p.expectedLosDays)} />
                <Kpi testId="predict-standard" label={t('standardPayment')} value={money(p.standardPaymentFen)} />
                <Kpi testId="predict-payment" label={t('payment')} value={money(p.payment.paymentFen)} sub={p.payment.caseType} />
                <Kpi testId="predict-projected-cost" label={t('projectedCost')} value={money(p.projectedCostFen)} />
                <Kpi testId="predict-margin" label={t('margin')} value={money(p.projectedMarginFen)} sub={pct(p.marginRate)} />
              </KpiRow>
              <p className={WARNING_CLASS[p.warning] ?? ''} data-testid="predict-advice" data-warning={p.warning}>
                {p.advice}
              </p>
            </div>
          )}
        </>
      )}
    </Card>
  );
}
