/**
 * 审核工作台 Audit work queue: violation → evidence → appeal → decision. The queue lists findings;
 * selecting one shows the rule, the evidence rows and the case history, with the actions the
 * signed-in role may take (a hospital appeals, the bureau decides).
 */
import { useState } from 'react';
import { ApiError, call, ENDPOINTS, useLoad } from '../api';
import { useUser } from '../auth';
import { Card, PageHead } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { useInstitutionPicker } from '../components/InstitutionPicker';
import { Kpi, KpiRow } from '../components/Kpi';
import { LoadedView } from '../components/States';
import type { ListOf } from '../endpoints';
import { int, money } from '../format';
import { useI18n } from '../i18n';
import { genericColumns } from './rows';

export interface Violation {
  id: string;
  ruleId: string;
  ruleName?: string | { zh: string; en: string };
  type?: string;
  severity?: string;
  encounterId: string;
  institutionId: string;
  departmentId?: string;
  amountFen: number;
  status?: string;
  caseId?: string;
  message?: string | { zh: string; en: string };
}
export interface ViolationDetail {
  violation: Violation;
  evidence?: { encounter?: Record<string, unknown>; lines?: Record<string, unknown>[] } & Record<string, unknown>;
  case?: { caseId: string; state: string; history?: Record<string, unknown>[] } & Record<string, unknown>;
}

const STATES = ['open', 'notified', 'appealed', 'deducted', 'cleared'] as const;
const STATE_LABELS: Record<string, { zh: string; en: string }> = {
  open: { zh: '待通知', en: 'Open' },
  notified: { zh: '已通知', en: 'Notified' },
  appealed: { zh: '已申诉', en: 'Appealed' },
  deducted: { zh: '已扣款', en: 'Deducted' },
  cleared: { zh: '已撤销', en: 'Cleared' },
};

export default function AuditQueue() {
  const { t, pick, lang } = useI18n();
  const [institutionId, picker] = useInstitutionPicker();
  const [selected, setSelected] = useState<Violation | null>(null);
  const [ruleFilter, setRuleFilter] = useState<string>('');
  const [list, reload] = useLoad(
    [ENDPOINTS.auditViolations],
    (signal) => call<ListOf<Violation>>(ENDPOINTS.auditViolations, { query: { institutionId, limit: 500 }, signal }),
    [institutionId],
  );
  return (
    <div>
      <PageHead title={t('auditTitle')} intro={t('auditIntro')}>
        {picker}
      </PageHead>
      <LoadedView value={list} reload={reload}>
        {(l) => {
          const byRule = new Map<string, { n: number; fen: number; label: string }>();
          for (const v of l.rows) {
            const e = byRule.get(v.ruleId) ?? { n: 0, fen: 0, label: `${v.ruleId}${v.ruleName ? ` ${pick(v.ruleName)}` : ''}` };
            e.n += 1;
            e.fen += v.amountFen;
            byRule.set(v.ruleId, e);
          }
          const rules = [...byRule.entries()].sort((a, b) => b[1].n - a[1].n);
          const rows = ruleFilter ? l.rows.filter((v) => v.ruleId === ruleFilter) : l.rows;
          const amount = l.rows.reduce((s, v) => s + v.amountFen, 0);
          const option: ChartOption = {
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            grid: { left: 200, right: 30, top: 10, bottom: 30 },
            xAxis: { type: 'value', name: t('violations') },
            yAxis: { type: 'category', inverse: true, data: rules.map(([, e]) => e.label), axisLabel: { width: 190, overflow: 'truncate' } },
            series: [{ type: 'bar', name: t('violations'), data: rules.map(([, e]) => e.n), barMaxWidth: 18, itemStyle: { color: '#c00000' } }],
          };
          return (
            <>
              <KpiRow>
                <Kpi testId="kpi-findings" label={t('findings')} value={int(l.total ?? l.rows.length, lang)} />
                <Kpi testId="kpi-findings-amount" label={t('violationAmount')} value={money(amount)} sub={l.total !== undefined && l.total > l.rows.length ? t('showingFirst', { n: l.rows.length }) : undefined} />
                {STATES.map((s) => {
                  const n = l.rows.filter((v) => v.status === s).length;
                  return n > 0 ? <Kpi key={s} testId={`kpi-state-${s}`} label={pick(STATE_LABELS[s])} value={int(n, lang)} /> : null;
                })}
              </KpiRow>
              <div className="grid">
                <Card title={t('byRule')} hint={t('clickToDrill')}>
                  {rules.length === 0 ? <div className="muted empty">{t('noData')}</div> : <Chart testId="chart-rules" height={Math.max(200, 24 * rules.length + 50)} option={option} onPick={(p) => rules[p.dataIndex] && setRuleFilter(rules[p.dataIndex]![0])} />}
                </Card>
                <Card title={`${t('findings')}${ruleFilter ? ` · ${ruleFilter}` : ''}`}>
                  {ruleFilter && (
                    <button type="button" className="btn btn-small" onClick={() => setRuleFilter('')} data-testid="clear-rule">
                      {t('close')} ✕
                    </button>
                  )}
                  <DataTable
                    testId="findings-table"
                    rows={rows}
                    onRowClick={(v) => setSelected(v)}
                    columns={[
                      { key: 'id', label: 'ID' },
                      { key: 'ruleId', label: t('rule'), render: (v) => `${v.ruleId}${v.ruleName ? ` ${pick(v.ruleName)}` : ''}` },
                      { key: 'encounterId', label: t('encounterId') },
                      { key: 'amountFen', label: t('amount'), kind: 'money' },
                      { key: 'status', label: t('status'), render: (v) => (v.status ? pick(STATE_LABELS[v.status]) || v.status : '—') },
                    ]}
                  />
                </Card>
              </div>
              {selected && <ViolationPanel key={selected.id} v={selected} onChanged={reload} onClose={() => setSelected(null)} />}
            </>
          );
        }}
      </LoadedView>
    </div>
  );
}

function ViolationPanel({ v, onChanged, onClose }: { v: Violation; onChanged: () => void; onClose: () => void }) {
  const { t, pick } = useI18n();
  const user = useUser();
  const [tick, setTick] = useState(0);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [detail] = useLoad([ENDPOINTS.auditViolation], (signal) => call<ViolationDetail>(ENDPOINTS.auditViolation, { query: { id: v.id }, signal }), [v.id, tick]);

  async function act(action: string, extra: Record<string, unknown> = {}) {
    if (!(detail.state === 'ok' && detail.data.case)) return;
    setBusy(true);
    setError(null);
    try {
      await call(ENDPOINTS.auditCaseAction, { query: { id: detail.data.case.caseId }, body: { action, note, ...extra } });
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
  return (
    <Card title={`${t('evidence')} · ${v.id}`} wide testId="violation-panel">
      <button type="button" className="btn btn-small" onClick={onClose} style={{ float: 'right' }}>
        {t('close')}
      </button>
      <LoadedView value={detail}>
        {(d) => {
          const state = d.case?.state ?? d.violation.status ?? 'open';
          const at = STATES.indexOf(state as (typeof STATES)[number]);
          const lines = d.evidence?.lines ?? [];
          return (
            <div>
              <div className="steps" data-testid="case-steps">
                {[t('violations'), t('evidence'), t('appeal'), t('decision')].map((s, i) => (
                  <span key={s} className={`step${i < Math.min(at + 1, 3) ? ' done' : ''}${i === Math.min(at + 1, 3) ? ' current' : ''}`}>
                    {s}
                  </span>
                ))}
                <span className="badge" data-testid="case-state">
                  {pick(STATE_LABELS[state]) || state}
                </span>
              </div>
              <dl className="kv">
                <dt>{t('rule')}</dt>
                <dd>
                  {d.violation.ruleId} {d.violation.ruleName ? pick(d.violation.ruleName) : ''}
                </dd>
                <dt>{t('message')}</dt>
                <dd>{pick(d.violation.message) || '—'}</dd>
                <dt>{t('encounterId')}</dt>
                <dd>{d.violation.encounterId}</dd>
                <dt>{t('amount')}</dt>
                <dd data-testid="violation-amount">{money(d.violation.amountFen)}</dd>
              </dl>
              <h4>{t('evidence')}</h4>
              <DataTable testId="evidence-table" rows={lines} columns={genericColumns(lines, t)} />
              {d.case?.history && d.case.history.length > 0 && (
                <>
                  <h4>{t('history')}</h4>
                  <DataTable testId="history-table" rows={d.case.history} columns={genericColumns(d.case.history, t)} />
                </>
              )}
              {d.case && (isBureau || isHospital) && (
                <div className="form" style={{ marginTop: 12 }}>
                  <label className="full">
                    {isHospital ? t('appealReason') : t('decision')}
                    <textarea rows={2} value={note} onChange={(e) => setNote(e.target.value)} data-testid="case-note" />
                  </label>
                  {isHospital && state === 'notified' && (
                    <button type="button" className="btn btn-primary" disabled={busy || !note.trim()} onClick={() => void act('appeal', { reason: note })} data-testid="act-appeal">
                      {t('appeal')}
                    </button>
                  )}
                  {isBureau && state === 'open' && (
                    <button type="button" className="btn" disabled={busy} onClick={() => void act('notify')} data-testid="act-notify">
                      {pick(STATE_LABELS.notified)}
                    </button>
                  )}
                  {isBureau && (state === 'notified' || state === 'appealed') && (
                    <>
                      <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void act('decide', { outcome: 'deduct', reason: note })} data-testid="act-deduct">
                        {t('uphold')}
                      </button>
                      <button type="button" className="btn" disabled={busy} onClick={() => void act('decide', { outcome: 'clear', reason: note })} data-testid="act-clear">
                        {t('overturn')}
                      </button>
                    </>
                  )}
                  {error && <div className="form-error full">{error}</div>}
                </div>
              )}
            </div>
          );
        }}
      </LoadedView>
    </Card>
  );
}

