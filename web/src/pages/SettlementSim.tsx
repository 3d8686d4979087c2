/**
 * 患者结算模拟 Patient settlement simulator: load an encounter with its charge lines, optionally edit
 * the quantities, and POST /api/settlement/simulate; the answer (fund / patient shares and every
 * calculation step) is shown as the engine returned it.
 */
import { useState } from 'react';
import { ApiError, call, ENDPOINTS, useLoad } from '../api';
import { Card, PageHead } from '../components/Card';
import { DataTable } from '../components/DataTable';
import { EncounterPicker, type EncounterWithLines } from '../components/EncounterPicker';
import { ResultView } from '../components/ResultView';
import { LoadedView } from '../components/States';
import { money } from '../format';
import { useI18n } from '../i18n';

export default function SettlementSim() {
  const { t } = useI18n();
  const [avail] = useLoad([ENDPOINTS.settleSimulate], async () => true, []);
  const [enc, setEnc] = useState<EncounterWithLines | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<unknown>(null);

  async function simulate() {
    if (!enc) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await call(ENDPOINTS.settleSimulate, { body: { encounter: enc.encounter, lines: enc.lines } }));
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const total = enc ? enc.lines.reduce((s, l) => s + Number(l.amountFen ?? 0), 0) : 0;
  return (
    <div>
      <PageHead title={t('settleTitle')} intro={t('settleIntro')} />
      <LoadedView value={avail}>
        {() => (
          <div className="grid">
            <Card title={t('encounterId')} wide>
              <div className="form">
                <EncounterPicker kind="inpatient" onLoad={(e) => { setEnc(e); setResult(null); }} />
                <div>
                  <button type="button" className="btn btn-primary" disabled={!enc || busy} onClick={() => void simulate()} data-testid="settle-submit">
                    {t('simulate')}
                  </button>
                </div>
              </div>
              {enc && (
                <>
                  <p>
                    {t('totalAmount')}: <b data-testid="settle-lines-total">{money(total)}</b>
                  </p>
                  <DataTable
                    testId="settle-lines"
                    rows={enc.lines}
                    columns={[
                      { key: 'itemCode', label: 'code' },
                      { key: 'itemName', label: 'name' },
                      { key: 'payClass', label: 'class' },
                      { key: 'quantity', label: 'qty', kind: 'dec' },
                      { key: 'amountFen', label: t('amount'), kind: 'money' },
                    ]}
                  />
                </>
              )}
              {error && (
                <pre className="form-error" data-testid="settle-error">
                  {error}
                </pre>
              )}
            </Card>
            {result !== null && (
              <Card title={t('steps')} wide testId="settle-result">
                <ResultView value={result} testId="settlement" />
              </Card>
            )}
          </div>
        )}
      </LoadedView>
    </div>
  );
}
