/**
 * 数据质量 Data quality: totals of every import (rows and amounts read / stored / quarantined /
 * duplicated), quarantine reasons as a chart — a bar drills down to the quarantined rows with their
 * raw text and reasons — and per-institution figures.
 */
import { useMemo, useState } from 'react';
import { call, drillRows, ENDPOINTS, useLoad } from '../api';
import { useUser } from '../auth';
import { Card, PageHead } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable, type Column } from '../components/DataTable';
import { Drill, type DrillRequest } from '../components/Drill';
import { institutionName, useInstitutionPicker } from '../components/InstitutionPicker';
import { Kpi, KpiRow } from '../components/Kpi';
import { LoadedView } from '../components/States';
import type { DrillRef, ListOf } from '../endpoints';
import { int, money } from '../format';
import { useI18n, type MsgKey } from '../i18n';
import { FILE_KIND_LABELS } from './labels';
import { fieldLabel } from './rows';

interface ReasonRow {
  kind: string;
  reasonCodes: string[];
  rows: number;
  amountFen: number;
  drill?: DrillRef;
}
interface QualityReport {
  totals: Record<string, unknown>;
  byReason: ReasonRow[];
  byInstitution?: Record<string, unknown>[];
}
interface QuarantineRow {
  batchId: string;
  kind: string;
  sourceFile: string;
  sourceRow: number;
  institutionId: string;
  reasons: unknown;
  raw: unknown;
}

/** Labels for the totals the API sends; an unknown key is shown as it is, never hidden. */
const TOTAL_LABELS: Record<string, MsgKey> = {
  quarantinedRows: 'rowsQuarantined',
  quarantinedAmountFen: 'amountQuarantined',
  storedRows: 'rowsStored',
  rows: 'rowsQuarantined',
  amountFen: 'amountQuarantined',
  batches: 'batches',
  rowsRead: 'rowsRead',
  rowsStored: 'rowsStored',
  rowsQuarantined: 'rowsQuarantined',
  rowsDuplicate: 'rowsDuplicate',
  amountFenRead: 'amountRead',
  amountFenStored: 'amountStored',
  amountFenQuarantined: 'amountQuarantined',
  amountReadFen: 'amountRead',
  amountStoredFen: 'amountStored',
  amountQuarantinedFen: 'amountQuarantined',
};

/** Money fields end in / contain `Fen` (docs/api.md § Money). */
export const isFenKey = (k: string): boolean => /Fen$|Fen[A-Z]|^amountFen/.test(k);

function reasonText(reasons: unknown): string {
  if (Array.isArray(reasons)) {
    return reasons
      .map((r) => (r && typeof r === 'object' ? `${(r as { code?: string }).code ?? ''}${(r as { path?: string }).path ? ` @${(r as { path?: string }).path}` : ''}: ${(r as { message?: string }).message ?? ''}` : String(r)))
      .join('; ');
  }
  return typeof reasons === 'string' ? reasons : JSON.stringify(reasons);
}

const kindLabel = (kind: string, lang: 'zh' | 'en'): string => FILE_KIND_LABELS[kind]?.[lang] ?? kind;
const reasonLabel = (r: ReasonRow, lang: 'zh' | 'en'): string => `${kindLabel(r.kind, lang)} · ${r.reasonCodes.join(' + ')}`;

export default function DataQuality() {
  const { t, lang } = useI18n();
  const user = useUser();
  const [institutionId, picker, institutions] = useInstitutionPicker();
  const [drill, setDrill] = useState<DrillRequest<QuarantineRow> | null>(null);
  const [report, reload] = useLoad(
    [ENDPOINTS.quality],
    (signal) => call<QualityReport>(ENDPOINTS.quality, { query: { institutionId }, signal }),
    [institutionId],
  );

  const quarantineColumns: Column<QuarantineRow>[] = useMemo(
    () => [
      { key: 'kind', label: t('fileKind'), render: (r) => kindLabel(r.kind, lang) },
      { key: 'sourceFile', label: fieldLabel('sourceFile', lang) },
      { key: 'sourceRow', label: fieldLabel('sourceRow', lang), kind: 'int' },
      { key: 'institutionId', label: t('institution') },
      { key: 'amountFen', label: t('amount'), kind: 'money' },
      { key: 'reasons', label: t('message'), render: (r) => reasonText(r.reasons) },
      { key: 'raw', label: t('rawRow'), render: (r) => <code>{typeof r.raw === 'string' ? r.raw : JSON.stringify(r.raw)}</code> },
    ],
    [t, lang],
  );

  function openInstitution(r: Record<string, unknown>) {
    const id = String(r.institutionId ?? '');
    const ref: DrillRef = (r.drill as DrillRef | undefined) ?? { path: ENDPOINTS.qualityQuarantine.path, query: { institutionId: id } };
    setDrill({ title: institutionName(institutions, id), columns: quarantineColumns, load: () => drillRows<QuarantineRow>(ref) });
  }

  function openReason(r: ReasonRow) {
    const ref: DrillRef = r.drill ?? { path: ENDPOINTS.qualityQuarantine.path, query: { kind: r.kind, reasonCodes: r.reasonCodes.join('|'), institutionId } };
    setDrill({
      title: reasonLabel(r, lang),
      columns: quarantineColumns,
      load: () => drillRows<QuarantineRow>(ref),
    });
  }

  return (
    <div>
      <PageHead title={t('qualityTitle')} intro={t('qualityIntro')}>
        {picker}
      </PageHead>
      <LoadedView value={report} reload={reload}>
        {(q) => (
          <QualityView
            q={q}
            onReason={openReason}
            onInstitution={openInstitution}
            institutionLabel={(id) => institutionName(institutions, id)}
            lang={lang}
            canSeeBatches={user.role === 'admin' || user.role === 'bureau-auditor'}
          />
        )}
      </LoadedView>
      <Drill request={drill} onClose={() => setDrill(null)} />
    </div>
  );
}

function QualityView({
  q,
  onReason,
  onInstitution,
  institutionLabel,
  lang,
  canSeeBatches,
}: {
  q: QualityReport;
  onReason: (r: ReasonRow) => void;
  onInstitution: (r: Record<string, unknown>) => void;
  institutionLabel: (id: string) => string;
  lang: 'zh' | 'en';
  canSeeBatches: boolean;
}) {
  const { t } = useI18n();
  const totals = Object.entries(q.totals ?? {}).filter(([, v]) => typeof v === 'number') as [string, number][];
  const reasons = [...(q.byReason ?? [])].sort((a, b) => b.rows - a.rows);
  const option: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 290, right: 30, top: 10, bottom: 30 },
      xAxis: { type: 'value', name: t('rowsQuarantined'), minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: reasons.map((r) => reasonLabel(r, lang)), axisLabel: { width: 280, overflow: 'truncate' } },
      series: [{ type: 'bar', name: t('rowsQuarantined'), data: reasons.map((r) => r.rows), barMaxWidth: 22 }],
    }),
    [reasons, t, lang],
  );
  const byInst = q.byInstitution ?? [];
  const instColumns: Column<Record<string, unknown>>[] = byInst[0]
    ? Object.keys(byInst[0])
        .filter((k) => k !== 'drill')
        .map((k) => ({
          key: k,
          label: TOTAL_LABELS[k] ? t(TOTAL_LABELS[k]!) : k === 'institutionId' ? t('institution') : k,
          kind: isFenKey(k) ? 'money' : typeof byInst[0]![k] === 'number' ? 'int' : 'text',
          render: k === 'institutionId' ? (r: Record<string, unknown>) => institutionLabel(String(r[k])) : undefined,
        }))
    : [];
  return (
    <>
      <KpiRow>
        {totals.map(([k, v]) => (
          <Kpi key={k} testId={`total-${k}`} label={TOTAL_LABELS[k] ? t(TOTAL_LABELS[k]!) : k} value={isFenKey(k) ? money(v) : int(v, lang)} />
        ))}
      </KpiRow>
      <div className="grid">
        <Card title={t('quarantineByReason')} hint={t('clickToDrill')} wide>
          {reasons.length === 0 ? (
            <div className="muted empty">{t('noData')}</div>
          ) : (
            <>
              <Chart testId="chart-quarantine" option={option} height={Math.max(160, 34 * reasons.length + 50)} onPick={(p) => reasons[p.dataIndex] && onReason(reasons[p.dataIndex]!)} />
              <DataTable
                testId="reasons-table"
                rows={reasons}
                onRowClick={(r) => onReason(r)}
                columns={[
                  { key: 'kind', label: t('fileKind'), render: (r) => kindLabel(r.kind, lang) },
                  { key: 'reasonCodes', label: t('reason') },
                  { key: 'rows', label: t('rowsQuarantined'), kind: 'int' },
                  { key: 'amountFen', label: t('amountQuarantined'), kind: 'money' },
                ]}
              />
            </>
          )}
        </Card>
        {byInst.length > 0 && (
          <Card title={t('institution')} hint={t('clickToDrill')} wide>
            <DataTable testId="institutions-table" rows={byInst} columns={instColumns} onRowClick={(r) => onInstitution(r)} />
          </Card>
        )}
        {canSeeBatches && <BatchesCard />}
      </div>
    </>
  );
}

const BATCH_COLUMNS = ['kind', 'sourceFile', 'encoding', 'rowsRead', 'rowsStored', 'rowsQuarantined', 'rowsDuplicate', 'amountFenRead', 'amountFenStored', 'amountFenQuarantined', 'finishedAt'] as const;

function BatchesCard() {
  const { t, lang } = useI18n();
  const [batches] = useLoad([ENDPOINTS.importBatches], (signal) => call<ListOf<Record<string, unknown>>>(ENDPOINTS.importBatches, { query: { limit: 500 }, signal }), []);
  return (
    <Card title={t('quarantineByFile')} wide testId="batches">
      <LoadedView value={batches}>
        {(b) => {
          const first = b.rows[0] ?? {};
          const cols: Column<Record<string, unknown>>[] = BATCH_COLUMNS.filter((k) => k in first).map((k) => ({
            key: k,
            label: TOTAL_LABELS[k] ? t(TOTAL_LABELS[k]!) : k === 'kind' ? t('fileKind') : k === 'encoding' ? t('encoding') : k === 'finishedAt' ? t('time') : fieldLabel(k, lang),
            kind: isFenKey(k) ? 'money' : typeof first[k] === 'number' ? 'int' : 'text',
            ...(k === 'kind' ? { render: (r: Record<string, unknown>) => kindLabel(String(r.kind), lang) } : {}),
          }));
          return <DataTable testId="batches-table" rows={b.rows} total={b.total} columns={cols} />;
        }}
      </LoadedView>
    </Card>
  );
}
