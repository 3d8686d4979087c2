/**
 * 医生工作站事前审核 Pre-order check: the doctor enters (or loads) the patient, the diagnoses and the
 * items about to be ordered. Each item is checked by POST /api/audit/check as the new order with the
 * items above it as earlier orders — as the workstation plug-in does when orders are entered one by
 * one — and the verdicts of the national rule library come back (block / refer / deduct / remind).
 */
import { useState, type FormEvent } from 'react';
import { ApiError, call, ENDPOINTS, useLoad } from '../api';
import { useUser } from '../auth';
import { Card, PageHead } from '../components/Card';
import { DataTable } from '../components/DataTable';
import { DrgPredict } from '../components/DrgPredict';
import { EncounterPicker, type EncounterWithLines } from '../components/EncounterPicker';
import { useInstitutionPicker } from '../components/InstitutionPicker';
import { Kpi, KpiRow } from '../components/Kpi';
import { LoadedView } from '../components/States';
import { money } from '../format';
import { useI18n } from '../i18n';

export interface OrderVerdict {
  ruleId: string;
  nameZh: string;
  nameEn: string;
  action: string;
  actionZh: string;
  resultType: string;
  resultTypeZh: string;
  messageZh: string;
  amountFen: number;
}
export interface OrderCheckResult {
  decision: 'pass' | 'remind' | 'deduct' | 'refer' | 'block';
  verdicts: OrderVerdict[];
}

export interface CheckLine {
  itemCode: string;
  quantity: number;
  /** when the item is ordered (ISO timestamp); omitted = the admission day */
  at?: string;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;

/** "code, qty[, YYYY-MM-DDTHH:mm:ss]" per line → lines; a malformed line is reported by number, never dropped. */
export function parseLines(text: string): { lines: CheckLine[]; errors: string[] } {
  const lines: CheckLine[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const s = raw.trim();
    if (!s) return;
    const [code = '', qty = '1', at] = s.split(/[,，\s]+/);
    const q = Number(qty);
    if (!code || !(q > 0)) errors.push(`line ${i + 1}: "${s}" — expected "code, quantity" with quantity > 0`);
    else if (at !== undefined && !TIMESTAMP.test(at)) errors.push(`line ${i + 1}: "${at}" — expected an ISO timestamp YYYY-MM-DDTHH:mm:ss`);
    else lines.push({ itemCode: code, quantity: q, ...(at ? { at } : {}) });
  });
  return { lines, errors };
}

const DECISION_LABELS: Record<string, { zh: string; en: string }> = {
  pass: { zh: '通过', en: 'Pass' },
  remind: { zh: '提醒', en: 'Remind' },
  deduct: { zh: '扣款', en: 'Deduct' },
  refer: { zh: '转人工审核', en: 'Refer' },
  block: { zh: '拦截', en: 'Block' },
};
const SEVERITY: Record<string, string> = { pass: 'ok', remind: 'sev-info', deduct: 'sev-warning', refer: 'sev-warning', block: 'sev-error' };

interface LineOutcome {
  line: number;
  itemCode: string;
  quantity: number;
  decision: OrderCheckResult['decision'];
  verdicts: OrderVerdict[];
}

const today = () => new Date().toISOString().slice(0, 10);

export default function PreCheck() {
  const { t, pick, lang } = useI18n();
  const user = useUser();
  const [avail] = useLoad([ENDPOINTS.auditCheck], async () => true, []);
  const [pickedInstitution, institutionControl] = useInstitutionPicker({ allowAll: false });
  const [sex, setSex] = useState<'1' | '2'>('1');
  const [age, setAge] = useState('45');
  const [diagnoses, setDiagnoses] = useState('');
  const [items, setItems] = useState('');
  const [loaded, setLoaded] = useState<EncounterWithLines['encounter'] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<LineOutcome[] | null>(null);

  function prefill(e: EncounterWithLines) {
    setLoaded(e.encounter);
    if (e.encounter.sex === '1' || e.encounter.sex === '2') setSex(e.encounter.sex);
    if (typeof e.encounter.ageYears === 'number') setAge(String(e.encounter.ageYears));
    const dx = e.encounter.diagnoses;
    setDiagnoses(Array.isArray(dx) ? dx.join(', ') : String(dx ?? '').split('|').join(', '));
    setItems(e.lines.map((l) => `${l.itemCode ?? ''}, ${l.quantity ?? 1}${typeof l.chargedAt === 'string' ? `, ${l.chargedAt}` : ''}`).join('\n'));
    setOutcomes(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { lines, errors } = parseLines(items);
    if (errors.length || lines.length === 0) {
      setError(errors.length ? errors.join('\n') : t('items'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const enc = loaded;
      const admitDate = typeof enc?.admitDate === 'string' ? enc.admitDate : today();
      const encounter = {
        ...(enc?.id ? { id: enc.id } : {}),
        kind: (typeof enc?.kind === 'string' ? enc.kind : 'inpatient') as string,
        institutionId: (typeof enc?.institutionId === 'string' ? enc.institutionId : '') || user.institutionId || pickedInstitution,
        ...(typeof enc?.departmentId === 'string' ? { departmentId: enc.departmentId } : user.departmentId ? { departmentId: user.departmentId } : {}),
        doctorId: (typeof enc?.doctorId === 'string' ? enc.doctorId : '') || user.username,
        admitDate,
        diagnoses: diagnoses.split(/[,，\s]+/).filter(Boolean),
      };
      const defaultAt = `${admitDate}T09:00:00`;
      const timed = lines.map((l) => ({ ...l, at: l.at ?? defaultAt }));
      const patient = { sex, ageYears: Number(age) };
      const out: LineOutcome[] = new Array(timed.length);
      // Each order is checked with the ones above it as earlier orders of the same stay. The
      // requests are independent, so a few run at once.
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < timed.length; i = next++) {
          const earlier = timed.slice(0, i);
          const r = await call<OrderCheckResult>(ENDPOINTS.auditCheck, { body: { patient, encounter, order: timed[i]!, ...(earlier.length ? { earlier } : {}) } });
          out[i] = { line: i + 1, itemCode: timed[i]!.itemCode, quantity: timed[i]!.quantity, decision: r.decision, verdicts: r.verdicts };
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      setOutcomes(out);
    } catch (err) {
      setOutcomes(null);
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const flagged = outcomes?.filter((o) => o.decision !== 'pass') ?? [];
  const allVerdicts = outcomes?.flatMap((o) => o.verdicts.map((v) => ({ ...v, line: o.line, itemCode: o.itemCode }))) ?? [];
  return (
    <div>
      <PageHead title={t('precheckTitle')} intro={t('precheckIntro')}>
        {!user.institutionId && !loaded && institutionControl}
      </PageHead>
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
                    {busy ? t('loading') : t('check')}
                  </button>
                </div>
                {error && (
                  <pre className="form-error full" data-testid="precheck-error">
                    {error}
                  </pre>
                )}
              </form>
            </Card>
            <DrgPredict sex={sex} ageYears={Number(age)} diagnoses={diagnoses.split(/[,，\s]+/).filter(Boolean)} />
            {outcomes && (
              <Card title={t('verdicts')} wide testId="precheck-result">
                <KpiRow>
                  <Kpi testId="precheck-lines" label={t('itemsChecked')} value={String(outcomes.length)} />
                  <Kpi testId="precheck-flagged" label={t('itemsFlagged')} value={String(flagged.length)} />
                </KpiRow>
                {flagged.length === 0 && (
                  <p className="ok" data-testid="precheck-pass">
                    {t('passed')}
                  </p>
                )}
                <DataTable
                  testId="precheck-lines-table"
                  rows={outcomes}
                  columns={[
                    { key: 'line', label: '#', kind: 'int' },
                    { key: 'itemCode', label: t('code') },
                    { key: 'quantity', label: t('qty'), kind: 'num' },
                    { key: 'decision', label: t('decision'), render: (o) => <span className={SEVERITY[o.decision]} data-decision={o.decision}>{pick(DECISION_LABELS[o.decision]) || o.decision}</span> },
                    { key: 'verdicts', label: t('rule'), render: (o) => o.verdicts.map((v) => v.ruleId).join(', ') || '—' },
                  ]}
                />
                {allVerdicts.length > 0 && (
                  <DataTable
                    testId="precheck-verdicts"
                    rows={allVerdicts}
                    columns={[
                      { key: 'line', label: '#', kind: 'int' },
                      { key: 'itemCode', label: t('code') },
                      { key: 'ruleId', label: t('rule'), render: (v) => `${v.ruleId} ${lang === 'zh' ? v.nameZh : v.nameEn}` },
                      { key: 'action', label: t('severity'), render: (v) => <span className={SEVERITY[v.action]}>{lang === 'zh' ? v.actionZh : v.action}</span> },
                      { key: 'messageZh', label: t('message') },
                      { key: 'amountFen', label: t('amount'), render: (v) => money(v.amountFen) },
                    ]}
                  />
                )}
              </Card>
            )}
          </div>
        )}
      </LoadedView>
    </div>
  );
}
