/**
 * 审核工作台 Audit work queue: violation → evidence → appeal → decision. The chart counts cases by
 * irregularity type (each bar is the API's own count for that type); clicking a bar filters the
 * queue to those cases. Selecting a case shows its evidence (the encounter and its charge lines)
 * and its history, with the actions the signed-in role may take once the server offers them.
 */
import { useEffect, useState } from 'react';
import { ApiError, call, drillRows, ENDPOINTS, missingEndpoints, useLoad } from '../api';
import { Drill, type DrillRequest } from '../components/Drill';
import { institutionName, useInstitutionPicker, useInstitutions } from '../components/InstitutionPicker';
import { useUser } from '../auth';
import { Card, PageHead } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Kpi, KpiRow } from '../components/Kpi';
import { LoadedView } from '../components/States';
import type { ListOf } from '../endpoints';
import { int, money } from '../format';
import { useI18n } from '../i18n';
import { CASE_STATE_LABELS, CASE_TYPE_LABELS } from './labels';
import { fieldLabel, genericColumns } from './rows';
import { navigate, useLocation } from '../router';

export interface CaseRow {
  caseId: string;
  violationId: string;
  ruleId: string;
  type: string;
  resultType?: string;
  encounterId: string;
  institutionId: string;
  departmentId: string;
  doctorId: string;
  amountFen: number;
  state: string;
  openedAt?: string;
  appealDueDate?: string | null;
  appealReason?: string | null;
  decisionOutcome?: string | null;
  decisionReason?: string | null;
  deductedFen?: number;
  rectificationRequired?: boolean;
  rectificationDueDate?: string | null;
  rectificationDoneDate?: string | null;
  version?: number;
}
export interface CaseList extends ListOf<CaseRow> {
  amountFen: number;
}
export interface CaseDetail {
  case: CaseRow;
  encounter: Record<string, unknown> | null;
  lines: Record<string, unknown>[];
  events: { seq: number; action: string; fromState: string; toState: string; actorId: string; actorRole: string; at: string; details: unknown }[];
}

/** Most cases the type chart reads (20 pages); beyond it the chart says it is partial. */
const MAX_SCAN = 10_000;

interface TypeCount {
  type: string;
  cases: number;
  amountFen: number;
}

export default function AuditQueue() {
  const { t, pick, lang } = useI18n();
  const [institutionId, picker] = useInstitutionPicker();
  const [type, setType] = useState('');
  // `#/audit?case=<id>` opens a case directly (bookmarkable, linkable from other pages)
  const loc = useLocation();
  const selected = loc.params.get('case');
  const setSelected = (c: CaseRow | null) => navigate('audit', c ? { case: c.caseId } : undefined);
  const [tick, setTick] = useState(0);
  // Counts per type from the queue itself, paged through (500 a page); the API has no per-type
  // aggregate, and a sample would not be an exact figure.
  const [summary, reload] = useLoad(
    [ENDPOINTS.auditCases],
    async (signal) => {
      const counts = new Map<string, TypeCount>();
      let total = 0;
      let amountFen = 0;
      let scanned = 0;
      for (let offset = 0; offset < MAX_SCAN; offset += 500) {
        const r = await call<CaseList>(ENDPOINTS.auditCases, { query: { institutionId, limit: 500, offset }, signal });
        total = r.total ?? 0;
        amountFen = r.amountFen;
        for (const c of r.rows) {
          const e = counts.get(c.type) ?? { type: c.type, cases: 0, amountFen: 0 };
          e.cases += 1;
          e.amountFen += c.amountFen;
          counts.set(c.type, e);
        }
        scanned += r.rows.length;
        if (scanned >= total || r.rows.length === 0) break;
      }
      const byType = [...counts.values()].sort((a, b) => b.cases - a.cases || a.type.localeCompare(b.type));
      return { total, amountFen, byType, complete: scanned >= total };
    },
    // case actions change states, not types or amounts: the counts need no reload after them
    [institutionId],
  );
  const [list] = useLoad(
    [ENDPOINTS.auditCases],
    (signal) => call<CaseList>(ENDPOINTS.auditCases, { query: { institutionId, type: type || undefined, limit: 500 }, signal }),
    [institutionId, type, tick],
  );
  const typeLabel = (ty: string) => pick(CASE_TYPE_LABELS[ty]) || ty || t('otherRules');
  return (
    <div>
      <PageHead title={t('auditTitle')} intro={t('auditIntro')}>
        {picker}
      </PageHead>
      <LoadedView value={summary} reload={reload}>
        {(s) => {
          const option: ChartOption = {
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            grid: { left: 130, right: 30, top: 10, bottom: 30 },
            xAxis: { type: 'value', name: t('violations'), minInterval: 1 },
            yAxis: { type: 'category', inverse: true, data: s.byType.map((b) => typeLabel(b.type)) },
            series: [{ type: 'bar', name: t('violations'), data: s.byType.map((b) => b.cases), barMaxWidth: 18, itemStyle: { color: '#c00000' } }],
          };
          return (
            <>
              <KpiRow>
                <Kpi testId="kpi-findings" label={t('findings')} value={int(s.total, lang)} />
                <Kpi testId="kpi-findings-amount" label={t('violationAmount')} value={money(s.amountFen)} />
              </KpiRow>
              <div className="grid">
                <Card title={t('byRule')} hint={s.complete ? t('clickToDrill') : t('showingFirst', { n: MAX_SCAN })} wide>
                  {s.byType.length === 0 ? (
                    <div className="muted empty">{t('noData')}</div>
                  ) : (
                    <Chart testId="chart-types" height={Math.max(200, 28 * s.byType.length + 50)} option={option} onPick={(p) => s.byType[p.dataIndex]?.type && setType(s.byType[p.dataIndex]!.type)} />
                  )}
                </Card>
                <Card title={`${t('findings')}${type ? ` · ${typeLabel(type)}` : ''}`} testId="findings" wide>
                  {type && (
                    <button type="button" className="btn btn-small" onClick={() => setType('')} data-testid="clear-type">
                      {t('showAll')}
                    </button>
                  )}
                  <LoadedView value={list}>
                    {(l) => (
                      <DataTable
                        testId="findings-table"
                        rows={l.rows}
                        total={l.total}
                        onRowClick={(c) => setSelected(c)}
                        columns={[
                          { key: 'caseId', label: 'ID' },
                          { key: 'type', label: t('rule'), render: (c) => `${typeLabel(c.type)} (${c.ruleId})` },
                          { key: 'encounterId', label: t('encounterId') },
                          { key: 'amountFen', label: t('amount'), kind: 'money' },
                          { key: 'state', label: t('status'), render: (c) => pick(CASE_STATE_LABELS[c.state]) || c.state },
                        ]}
                      />
                    )}
                  </LoadedView>
                </Card>
              </div>
              <ScoresCard institutionId={institutionId} />
              {selected && <CasePanel key={selected} caseId={selected} onChanged={() => setTick((n) => n + 1)} onClose={() => setSelected(null)} />}
            </>
          );
        }}
      </LoadedView>
    </div>
  );
}

interface ViolationDetail {
  violation: { id: string; message?: string; evidence?: unknown; lineIds: string[]; resultType?: string; action?: string };
  lines: (Record<string, unknown> & { flagged?: boolean })[];
}

const addDays = (iso: string, days: number): string => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const today = () => new Date().toISOString().slice(0, 10);

function CasePanel({ caseId, onChanged, onClose }: { caseId: string; onChanged: () => void; onClose: () => void }) {
  const { t, pick, lang } = useI18n();
  const user = useUser();
  const [tick, setTick] = useState(0);
  const [note, setNote] = useState('');
  const [dueDate, setDueDate] = useState(() => addDays(today(), 15));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [canAct, setCanAct] = useState(false);
  const [violation, setViolation] = useState<ViolationDetail | null>(null);
  useEffect(() => {
    void missingEndpoints([ENDPOINTS.auditCaseAction]).then((m) => setCanAct(m.length === 0));
  }, []);
  const [detail] = useLoad([ENDPOINTS.auditCase], (signal) => call<CaseDetail>(ENDPOINTS.auditCase, { query: { id: caseId }, signal }), [caseId, tick]);
  const violationId = detail.state === 'ok' ? detail.data.case.violationId : '';
  // the violation carries which lines were flagged and the rule's message
  useEffect(() => {
    let live = true;
    void missingEndpoints([ENDPOINTS.auditViolation]).then((m) => {
      if (m.length || !violationId) return;
      call<ViolationDetail>(ENDPOINTS.auditViolation, { query: { id: violationId } })
        .then((v) => live && setViolation(v))
        .catch(() => live && setViolation(null));
    });
    return () => {
      live = false;
    };
  }, [violationId]);

  async function act(body: Record<string, unknown>) {
    if (detail.state !== 'ok') return;
    setBusy(true);
    setError(null);
    try {
      await call(ENDPOINTS.auditCaseAction, { query: { id: caseId }, body: { ...body, expectedVersion: detail.data.case.version } });
      setNote('');
      setTick((n) => n + 1);
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const isBureau = user.role === 'bureau-auditor';
  const isHospital = user.role === 'hospital-insurance-officer';
  const STEPS = ['open', 'notified', 'appealed', 'decided'] as const;
  return (
    <Card title={`${t('evidence')} · ${caseId}`} wide testId="case-panel">
      <button type="button" className="btn btn-small" onClick={onClose} style={{ float: 'right' }}>
        {t('close')}
      </button>
      <LoadedView value={detail}>
        {(d) => {
          const state = d.case.state;
          const at = state === 'deducted' || state === 'cleared' ? 3 : STEPS.indexOf(state as (typeof STEPS)[number]);
          // flagged lines first: they are the evidence; the rest is context
          const lines = violation ? [...violation.lines].sort((a, b) => Number(!!b.flagged) - Number(!!a.flagged)) : d.lines;
          const rectify = d.case.rectificationRequired && !d.case.rectificationDoneDate;
          return (
            <div>
              <div className="steps" data-testid="case-steps">
                {[t('violations'), t('notice'), t('appeal'), t('decision')].map((s, i) => (
                  <span key={s} className={`step${i < at ? ' done' : ''}${i === at ? ' current' : ''}`}>
                    {s}
                  </span>
                ))}
                <span className="badge" data-testid="case-state" data-state={state}>
                  {pick(CASE_STATE_LABELS[state]) || state}
                </span>
              </div>
              <dl className="kv">
                <dt>{t('rule')}</dt>
                <dd>
                  {pick(CASE_TYPE_LABELS[d.case.type]) || d.case.type} · {d.case.ruleId}
                </dd>
                {violation?.violation.message && (
                  <>
                    <dt>{t('message')}</dt>
                    <dd>{violation.violation.message}</dd>
                  </>
                )}
                <dt>{t('encounterId')}</dt>
                <dd>{d.case.encounterId}</dd>
                <dt>{t('department')}</dt>
                <dd>{d.case.departmentId}</dd>
                <dt>{t('amount')}</dt>
                <dd data-testid="case-amount">{money(d.case.amountFen)}</dd>
                {d.case.appealDueDate && (
                  <>
                    <dt>{t('appealDue')}</dt>
                    <dd>{d.case.appealDueDate}</dd>
                  </>
                )}
                {d.case.appealReason && (
                  <>
                    <dt>{t('appealReason')}</dt>
                    <dd data-testid="case-appeal">{d.case.appealReason}</dd>
                  </>
                )}
                {d.case.decisionOutcome && (
                  <>
                    <dt>{t('decision')}</dt>
                    <dd data-testid="case-decision">
                      {d.case.decisionOutcome === 'deduct' ? t('uphold') : t('overturn')} · {money(d.case.deductedFen ?? 0)} · {d.case.decisionReason ?? ''}
                    </dd>
                  </>
                )}
              </dl>
              <h4>
                {t('evidence')}
                {violation ? ` · ${t('flaggedLines', { n: violation.violation.lineIds.length })}` : ''}
              </h4>
              <DataTable
                testId="evidence-table"
                rows={lines}
                columns={[
                  ...(violation ? [{ key: 'flagged', label: '⚑', render: (r: Record<string, unknown>) => (r.flagged ? <span className="sev-error">⚑</span> : '') }] : []),
                  ...genericColumns(lines, lang).filter((col) => col.key !== 'flagged' && col.key !== 'encounterId' && col.key !== 'institutionId'),
                ]}
              />
              {d.events.length > 0 && (
                <>
                  <h4>{t('history')}</h4>
                  <DataTable
                    testId="history-table"
                    rows={d.events}
                    columns={[
                      { key: 'seq', label: '#', kind: 'int' },
                      { key: 'action', label: t('action') },
                      { key: 'toState', label: t('status'), render: (e) => pick(CASE_STATE_LABELS[e.toState]) || e.toState },
                      { key: 'actorId', label: t('role'), render: (e) => `${e.actorId} (${e.actorRole})` },
                      { key: 'at', label: t('time') },
                    ]}
                  />
                </>
              )}
              {canAct && (isBureau || isHospital) && (
                <div className="form" style={{ marginTop: 12 }} data-testid="case-actions">
                  {((isBureau && (state === 'notified' || state === 'appealed')) || (isHospital && state === 'notified')) && (
                    <label className="full">
                      {isHospital ? t('appealReason') : t('decisionNote')}
                      <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="case-note" />
                    </label>
                  )}
                  {isBureau && state === 'open' && (
                    <>
                      <label>
                        {t('appealDue')}
                        <input type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} data-testid="case-due" />
                      </label>
                      <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void act({ kind: 'notify', appealDueDate: dueDate })} data-testid="act-notify">
                        {t('notify')}
                      </button>
                    </>
                  )}
                  {isHospital && state === 'notified' && (
                    <button type="button" className="btn btn-primary" disabled={busy || !note.trim()} onClick={() => void act({ kind: 'appeal', reason: note.trim() })} data-testid="act-appeal">
                      {t('appeal')}
                    </button>
                  )}
                  {isBureau && (state === 'notified' || state === 'appealed') && (
                    <div>
                      <button type="button" className="btn btn-danger" disabled={busy || !note.trim()} onClick={() => void act({ kind: 'decide', outcome: 'deduct', reason: note.trim() })} data-testid="act-deduct">
                        {t('uphold')}
                      </button>{' '}
                      <button type="button" className="btn" disabled={busy || !note.trim()} onClick={() => void act({ kind: 'decide', outcome: 'clear', reason: note.trim() })} data-testid="act-clear">
                        {t('overturn')}
                      </button>
                    </div>
                  )}
                  {isBureau && state === 'deducted' && !d.case.rectificationRequired && (
                    <>
                      <label>
                        {t('rectifyDue')}
                        <input type="date" value={dueDate} onChange={(e) => setDueDate(e.target.value)} />
                      </label>
                      <button type="button" className="btn" disabled={busy} onClick={() => void act({ kind: 'require-rectification', dueDate })} data-testid="act-rectify">
                        {t('requireRectification')}
                      </button>
                    </>
                  )}
                  {isHospital && rectify && (
                    <button type="button" className="btn" disabled={busy} onClick={() => void act({ kind: 'complete-rectification', doneDate: today() })} data-testid="act-rectified">
                      {t('rectified')}
                    </button>
                  )}
                  {error && (
                    <div className="form-error full" data-testid="case-error">
                      {error}
                    </div>
                  )}
                </div>
              )}
            </div>
          );
        }}
      </LoadedView>
    </Card>
  );
}

interface UnitScore {
  unitId: string;
  institutionId: string;
  encounters: number;
  cases: number;
  violationRate: number;
  amountAtStakeFen: number;
  deductedFen: number;
  appealSuccessRate: number | null;
  rectificationTimeliness: number | null;
  fundSafetyIndex: number;
}

/** 监管评分 per institution (GET /api/audit/scores); a row opens that institution's cases. */
function ScoresCard({ institutionId }: { institutionId: string }) {
  const { t, lang } = useI18n();
  const institutions = useInstitutions();
  const [drill, setDrill] = useState<DrillRequest<Record<string, unknown>> | null>(null);
  const [scores] = useLoad(
    [ENDPOINTS.auditScores],
    (signal) => call<{ asOf: string; rows: UnitScore[] }>(ENDPOINTS.auditScores, { query: { level: 'hospital', institutionId }, signal }),
    [institutionId],
  );
  return (
    <>
      <Card title={t('scores')} hint={t('clickToDrill')} wide testId="scores">
        <LoadedView value={scores}>
          {(s) => (
            <DataTable
              testId="scores-table"
              rows={[...s.rows].sort((a, b) => a.fundSafetyIndex - b.fundSafetyIndex)}
              onRowClick={(r) =>
                setDrill({
                  title: institutionName(institutions, r.institutionId),
                  load: () => drillRows<Record<string, unknown>>({ path: ENDPOINTS.auditCases.path, query: { institutionId: r.institutionId } }),
                })
              }
              columns={[
                { key: 'institutionId', label: t('institution'), render: (r) => institutionName(institutions, r.institutionId) },
                { key: 'encounters', label: fieldLabel('encounters', lang), kind: 'int' },
                { key: 'cases', label: t('findings'), kind: 'int' },
                { key: 'violationRate', label: t('violationRate'), kind: 'pct' },
                { key: 'amountAtStakeFen', label: t('violationAmount'), kind: 'money' },
                { key: 'deductedFen', label: t('deducted'), kind: 'money' },
                { key: 'appealSuccessRate', label: t('appealSuccess'), kind: 'pct' },
                { key: 'rectificationTimeliness', label: t('rectifyTimely'), kind: 'pct' },
                { key: 'fundSafetyIndex', label: t('fundSafetyIndex'), render: (r) => r.fundSafetyIndex.toFixed(1) },
              ]}
            />
          )}
        </LoadedView>
      </Card>
      <Drill request={drill} onClose={() => setDrill(null)} />
    </>
  );
}
