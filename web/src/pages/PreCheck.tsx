/**
 * 医生工作站事前审核 Pre-order check: the doctor enters (or loads) the patient's diagnoses and the
 * items about to be ordered; POST /api/audit/check answers at once with the verdicts of the
 * national rule library (限性别, 限年龄, 限定支付范围, 超频次 …).
 */
import { useState, type FormEvent } from 'react';
import { ApiError, call, ENDPOINTS, useLoad } from '../api';
import { useUser } from '../auth';
import { Card, PageHead } from '../components/Card';
import { EncounterPicker, type EncounterWithLines } from '../components/EncounterPicker';
import { ResultView } from '../components/ResultView';
import { LoadedView } from '../components/States';
import { useI18n } from '../i18n';

export interface CheckLine {
  itemCode: string;
  quantity: number;
}

/** "code, qty" per line → lines; a malformed line is reported by number, never dropped. */
export function parseLines(text: string): { lines: CheckLine[]; errors: string[] } {
  const lines: CheckLine[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const s = raw.trim();
    if (!s) return;
    const [code = '', qty = '1'] = s.split(/[,，\s]+/);
    const q = Number(qty);
    if (!code || !(q > 0)) errors.push(`line ${i + 1}: "${s}" — expected "code, quantity" with quantity > 0`);
    else lines.push({ itemCode: code, quantity: q });
  });
  return { lines, errors };
}

export default function PreCheck() {
  const { t } = useI18n();
  const user = useUser();
  const [avail] = useLoad([ENDPOINTS.auditCheck], async () => true, []);
  const [sex, setSex] = useState<'1' | '2'>('1');
  const [age, setAge] = useState('45');
  const [diagnoses, setDiagnoses] = useState('');
  const [items, setItems] = useState('');
  const [encounterId, setEncounterId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<unknown>(null);

  function prefill(e: EncounterWithLines) {
    setEncounterId(e.encounter.id);
    if (e.encounter.sex === '1' || e.encounter.sex === '2') setSex(e.encounter.sex);
    if (typeof e.encounter.ageYears === 'number') setAge(String(e.encounter.ageYears));
    const dx = e.encounter.diagnoses;
    setDiagnoses(Array.isArray(dx) ? dx.join(', ') : String(dx ?? '').split('|').join(', '));
    setItems(e.lines.map((l) => `${l.itemCode ?? ''}, ${l.quantity ?? 1}`).join('\n'));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { lines, errors } = parseLines(items);
    if (errors.length) {
      setError(errors.join('\n'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = {
        ...(encounterId ? { encounterId } : {}),
        patient: { sex, ageYears: Number(age) },
        diagnoses: diagnoses.split(/[,，\s]+/).filter(Boolean),
        lines,
        ...(user.institutionId ? { institutionId: user.institutionId } : {}),
      };
      setResult(await call(ENDPOINTS.auditCheck, { body }));
    } catch (err) {
      setResult(null);
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <PageHead title={t('precheckTitle')} intro={t('precheckIntro')} />
      <LoadedView value={avail}>
        {() => (
          <div className="grid">
            <Card title={t('items')} wide>
              <form className="form" onSubmit={submit} data-testid="precheck-form">
                <EncounterPicker onLoad={prefill} />
                <label>
                  {t('patientSex')}
                  <select value={sex} onChange={(e) => setSex(e.target.value as '1' | '2')} data-testid="precheck-sex">
                    <option value="1">{t('male')}</option>
                    <option value="2">{t('female')}</option>
                  </select>
                </label>
                <label>
                  {t('age')}
                  <input type="number" min={0} max={130} value={age} onChange={(e) => setAge(e.target.value)} data-testid="precheck-age" />
                </label>
                <label className="full">
                  {t('diagnoses')}
                  <input value={diagnoses} onChange={(e) => setDiagnoses(e.target.value)} data-testid="precheck-diagnoses" placeholder="I10.x00, E11.900" />
                </label>
                <label className="full">
                  {t('items')}
                  <textarea rows={6} value={items} onChange={(e) => setItems(e.target.value)} data-testid="precheck-items" />
                </label>
                <div>
                  <button type="submit" className="btn btn-primary" disabled={busy} data-testid="precheck-submit">
                    {t('check')}
                  </button>
                </div>
                {error && (
                  <pre className="form-error full" data-testid="precheck-error">
                    {error}
                  </pre>
                )}
              </form>
            </Card>
            {result !== null && (
              <Card title={t('verdicts')} wide testId="precheck-result">
                <ResultView value={result} testId="verdicts" />
              </Card>
            )}
          </div>
        )}
      </LoadedView>
    </div>
  );
}
