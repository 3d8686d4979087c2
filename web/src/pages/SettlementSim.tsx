/**
 * 患者结算模拟 Patient settlement simulator. Two ways in: pick a stored encounter (settled after the
 * person's earlier encounters that year, so 起付线 and 封顶线 accumulate as they would), or type an
 * encounter in progress (institution, insurance scheme, person type, diagnoses, items). The answer —
 * every share of the total and the engine's own explanation — is shown as POST
 * /api/settlement/simulate returns it; nothing is computed in the browser.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, call, ENDPOINTS, useLoad } from '../api';
import { useUser } from '../auth';
import { Card, PageHead } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { EncounterPicker } from '../components/EncounterPicker';
import { useInstitutionPicker } from '../components/InstitutionPicker';
import { Kpi, KpiRow } from '../components/Kpi';
import { LoadedView } from '../components/States';
import { fenToYuanNumber, money } from '../format';
import { useI18n } from '../i18n';
import { parseLines } from './PreCheck';
import { fieldLabel } from './rows';

export interface SettlementAnswer {
  result: {
    encounterId: string;
    policyId: string;
    path?: string;
    totalFen: number;
    fullSelfPayFen: number;
    overLimitFen: number;
    preSelfPayFen: number;
    inScopeFen: number;
    deductibleFen: number;
    coPayFen: number;
    aboveCapFen: number;
    fundFen: number;
    tier2Fen: number;
    assistanceFen: number;
    fundTotalFen: number;
    patientFen: number;
    accountFen: number;
    cashFen: number;
    lines: { lineId: string; amountFen: number; fullSelfPayFen: number; overLimitFen: number; preSelfPayFen: number; inScopeFen: number; fundFen: number; patientFen: number; reason: string }[];
    issues?: { code: string; path?: string; message: string }[];
  };
  explanation: string[];
  earlierEncountersThisYear: number;
}

/** The headline shares, Chinese first (医保结算清单 names). */
export const SHARES: { key: keyof SettlementAnswer['result']; zh: string; en: string }[] = [
  { key: 'totalFen', zh: '医疗费总额', en: 'Total' },
  { key: 'fundTotalFen', zh: '基金支付总额', en: 'All funds pay' },
  { key: 'fundFen', zh: '统筹基金支出', en: 'Basic fund' },
  { key: 'tier2Fen', zh: '大病/大额保险', en: 'Tier-2 insurance' },
  { key: 'assistanceFen', zh: '医疗救助', en: 'Medical assistance' },
  { key: 'patientFen', zh: '个人负担总额', en: 'Patient pays' },
  { key: 'accountFen', zh: '个人账户支出', en: 'Personal account' },
  { key: 'cashFen', zh: '个人现金支出', en: 'Cash' },
];
/** How the total splits: the parts the engine reports, which add up to the total. */
const BREAKDOWN: { key: keyof SettlementAnswer['result']; zh: string; en: string }[] = [
  { key: 'fullSelfPayFen', zh: '全自费', en: 'Fully self-paid' },
  { key: 'overLimitFen', zh: '超限价自费', en: 'Over price limit' },
  { key: 'preSelfPayFen', zh: '先行自付', en: 'Self-pay-first' },
  { key: 'deductibleFen', zh: '起付线', en: 'Deductible' },
  { key: 'coPayFen', zh: '共付段个人负担', en: 'Co-pay' },
  { key: 'aboveCapFen', zh: '封顶线以上', en: 'Above cap' },
  { key: 'fundFen', zh: '统筹基金', en: 'Basic fund' },
];

const PERSON_TYPES = ['in-service', 'retired', 'child', 'student', 'adult', 'elderly'] as const;
const PERSON_LABELS: Record<string, { zh: string; en: string }> = {
  'in-service': { zh: '在职', en: 'In service' },
  retired: { zh: '退休', en: 'Retired' },
  child: { zh: '少儿', en: 'Child' },
  student: { zh: '学生', en: 'Student' },
  adult: { zh: '成年居民', en: 'Adult resident' },
  elderly: { zh: '老年居民', en: 'Elderly resident' },
};

export default function SettlementSim() {
  const { t, pick, lang } = useI18n();
  const user = useUser();
  const [avail] = useLoad([ENDPOINTS.settleSimulate], async () => true, []);
  const [pickedInstitution, institutionControl] = useInstitutionPicker({ allowAll: false });
  const [encounterId, setEncounterId] = useState('');
  const [kind, setKind] = useState<'inpatient' | 'outpatient'>('inpatient');
  const [scheme, setScheme] = useState<'employee' | 'resident'>('employee');
  const [personType, setPersonType] = useState<(typeof PERSON_TYPES)[number]>('in-service');
  const [sex, setSex] = useState<'1' | '2'>('1');
  const [age, setAge] = useState('60');
  const [dischargeDate, setDischargeDate] = useState(() => new Date().toISOString().slice(0, 10));
  const [diagnoses, setDiagnoses] = useState('');
  const [items, setItems] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<SettlementAnswer | null>(null);

  async function run(body: unknown) {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await call<SettlementAnswer>(ENDPOINTS.settleSimulate, { body }));
    } catch (err) {
      setAnswer(null);
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  function submitInline(e: FormEvent) {
    e.preventDefault();
    const { lines, errors } = parseLines(items);
    if (errors.length) {
      setError(errors.join('\n'));
      return;
    }
    void run({
      institutionId: user.institutionId || pickedInstitution,
      encounter: { kind, scheme, sex, ageYears: Number(age), dischargeDate, diagnoses: diagnoses.split(/[,，\s]+/).filter(Boolean) },
      personType,
      lines: lines.map((l) => ({ itemCode: l.itemCode, quantity: l.quantity })),
    });
  }

  return (
    <div>
      <PageHead title={t('settleTitle')} intro={t('settleIntro')}>
        {!user.institutionId && institutionControl}
      </PageHead>
      <LoadedView value={avail}>
        {() => (
          <div className="grid">
            <Card title={t('fromEncounter')}>
              <div className="form">
                <EncounterPicker kind="inpatient" onLoad={(e) => { setEncounterId(e.encounter.id); setAnswer(null); }} />
                <div>
                  <button type="button" className="btn btn-primary" disabled={!encounterId || busy} onClick={() => void run({ encounterId })} data-testid="settle-submit">
                    {t('simulate')}
                  </button>
                </div>
              </div>
            </Card>
            <Card title={t('simulate')}>
              <form className="form" onSubmit={submitInline} data-testid="settle-form">
                <label>
                  {lang === 'zh' ? '就诊类别' : 'Encounter kind'}
                  <select value={kind} onChange={(e) => setKind(e.target.value as 'inpatient' | 'outpatient')}>
                    <option value="inpatient">{lang === 'zh' ? '住院' : 'Inpatient'}</option>
                    <option value="outpatient">{lang === 'zh' ? '门诊' : 'Outpatient'}</option>
                  </select>
                </label>
                <label>
                  {lang === 'zh' ? '险种' : 'Scheme'}
                  <select value={scheme} onChange={(e) => setScheme(e.target.value as 'employee' | 'resident')} data-testid="settle-scheme">
                    <option value="employee">{lang === 'zh' ? '职工医保' : 'Employee'}</option>
                    <option value="resident">{lang === 'zh' ? '城乡居民医保' : 'Resident'}</option>
                  </select>
                </label>
                <label>
                  {lang === 'zh' ? '人员类别' : 'Person type'}
                  <select value={personType} onChange={(e) => setPersonType(e.target.value as (typeof PERSON_TYPES)[number])}>
                    {PERSON_TYPES.map((p) => (
                      <option key={p} value={p}>
                        {pick(PERSON_LABELS[p])}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('patientSex')}
                  <select value={sex} onChange={(e) => setSex(e.target.value as '1' | '2')}>
                    <option value="1">{t('male')}</option>
                    <option value="2">{t('female')}</option>
                  </select>
                </label>
                <label>
                  {t('age')}
                  <input type="number" min={0} max={130} value={age} onChange={(e) => setAge(e.target.value)} />
                </label>
                <label>
                  {lang === 'zh' ? '出院日期' : 'Discharge date'}
                  <input type="date" value={dischargeDate} onChange={(e) => setDischargeDate(e.target.value)} />
                </label>
                <label className="full">
                  {t('diagnoses')}
                  <input value={diagnoses} onChange={(e) => setDiagnoses(e.target.value)} data-testid="settle-diagnoses" />
                </label>
                <label className="full">
                  {t('items')}
                  <textarea rows={4} value={items} onChange={(e) => setItems(e.target.value)} data-testid="settle-items" />
                </label>
                <div>
                  <button type="submit" className="btn" disabled={busy} data-testid="settle-inline-submit">
                    {t('simulate')}
                  </button>
                </div>
              </form>
            </Card>
            {error && (
              <pre className="form-error card-wide" data-testid="settle-error">
                {error}
              </pre>
            )}
            {answer && <SettlementView a={answer} />}
          </div>
        )}
      </LoadedView>
    </div>
  );
}

function SettlementView({ a }: { a: SettlementAnswer }) {
  const { t, pick, lang } = useI18n();
  const r = a.result;
  const parts = BREAKDOWN.filter((b) => Number(r[b.key]) > 0);
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: (p: { name: string; dataIndex: number; percent: number }) => `${p.name}: ${money(Number(r[parts[p.dataIndex]!.key]))} (${p.percent}%)` },
      legend: { orient: 'vertical', left: 0, top: 'middle' },
      series: [{ type: 'pie', radius: ['40%', '70%'], center: ['62%', '50%'], data: parts.map((b) => ({ name: pick(b), value: fenToYuanNumber(Number(r[b.key])) })) }],
    }),
    [r, parts, pick],
  );
  return (
    <Card title={`${t('steps')} · ${r.encounterId} · ${r.policyId}`} wide testId="settle-result">
      <KpiRow>
        {SHARES.map((s) => (
          <Kpi key={s.key} testId={`settlement-${s.key}`} label={pick(s)} value={money(Number(r[s.key]))} />
        ))}
      </KpiRow>
      <div className="grid">
        <div>
          <Chart testId="chart-settlement" option={option} height={260} />
        </div>
        <ol className="explanation" data-testid="settlement-explanation">
          {a.explanation.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ol>
      </div>
      {r.issues && r.issues.length > 0 && (
        <div className="form-error">
          {r.issues.map((i, k) => (
            <div key={k}>
              {i.code}
              {i.path ? ` @${i.path}` : ''}: {i.message}
            </div>
          ))}
        </div>
      )}
      <DataTable
        testId="settlement-lines"
        rows={r.lines}
        columns={(['lineId', 'amountFen', 'fullSelfPayFen', 'overLimitFen', 'preSelfPayFen', 'inScopeFen', 'fundFen', 'patientFen', 'reason'] as const).map((k) => ({
          key: k,
          label: fieldLabel(k, lang),
          kind: k.endsWith('Fen') ? ('money' as const) : ('text' as const),
        }))}
      />
    </Card>
  );
}
