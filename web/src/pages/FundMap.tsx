/**
 * 基金运行一张图 Fund operation map: fund spending against budget by institution and by month, and
 * violation hot spots. Every bar, cell and hot spot opens the encounters behind it.
 */
import { useMemo, useState } from 'react';
import { call, drillRows, ENDPOINTS, useLoad } from '../api';
import { Card, PageHead } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Drill, type DrillRequest } from '../components/Drill';
import { Kpi, KpiRow } from '../components/Kpi';
import { LoadedView } from '../components/States';
import type { DrillRef } from '../endpoints';
import { fenToYuanNumber, int, money, pct } from '../format';
import { useI18n } from '../i18n';

export interface FundCell {
  institutionId: string;
  institutionName?: string;
  month: string;
  spendingFen: number;
  budgetFen: number;
  encounters?: number;
  drill: DrillRef;
}
export interface FundInstitution {
  institutionId: string;
  institutionName?: string;
  spendingFen: number;
  budgetFen: number;
  encounters?: number;
  drill: DrillRef;
}
export interface FundHotspot {
  institutionId: string;
  institutionName?: string;
  type: string;
  typeLabel?: { zh: string; en: string } | string;
  count: number;
  amountFen: number;
  drill: DrillRef;
}
export interface FundMapData {
  year: number | string;
  months: string[];
  totals: { spendingFen: number; budgetFen: number; encounters?: number; violations?: number; violationAmountFen?: number };
  institutions: FundInstitution[];
  cells: FundCell[];
  hotspots: FundHotspot[];
}

export default function FundMap() {
  const { t, pick } = useI18n();
  const [year, setYear] = useState('');
  const [drill, setDrill] = useState<DrillRequest<Record<string, unknown>> | null>(null);
  const [data, reload] = useLoad([ENDPOINTS.fundMap], (signal) => call<FundMapData>(ENDPOINTS.fundMap, { query: { year }, signal }), [year]);

  const open = (title: string, ref: DrillRef) => setDrill({ title, load: () => drillRows<Record<string, unknown>>(ref) });

  return (
    <div>
      <PageHead title={t('fundMapTitle')} intro={t('fundMapIntro')}>
        {data.state === 'ok' && (
          <label>
            {t('month')}
            <input type="number" value={year || String(data.data.year)} onChange={(e) => setYear(e.target.value)} style={{ width: 90 }} data-testid="year" />
          </label>
        )}
      </PageHead>
      <LoadedView value={data} reload={reload}>
        {(d) => <FundMapView d={d} onDrill={open} pick={pick} />}
      </LoadedView>
      <Drill request={drill} onClose={() => setDrill(null)} />
    </div>
  );
}

function FundMapView({ d, onDrill, pick }: { d: FundMapData; onDrill: (title: string, ref: DrillRef) => void; pick: (x: FundHotspot['typeLabel']) => string }) {
  const { t, lang } = useI18n();
  const name = (r: { institutionId: string; institutionName?: string }) => r.institutionName ?? r.institutionId;
  const inst = d.institutions;
  const barOption: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { data: [t('spending'), t('budget')] },
      grid: { left: 70, right: 20, top: 36, bottom: 60 },
      xAxis: { type: 'category', data: inst.map(name), axisLabel: { rotate: 20, interval: 0 } },
      yAxis: { type: 'value', name: t('yuan') },
      series: [
        { type: 'bar', name: t('spending'), data: inst.map((r) => fenToYuanNumber(r.spendingFen)), barMaxWidth: 28 },
        { type: 'bar', name: t('budget'), data: inst.map((r) => fenToYuanNumber(r.budgetFen)), barMaxWidth: 28 },
      ],
    }),
    [inst, t],
  );
  const heatInsts = inst.map(name);
  const heatOption: ChartOption = useMemo(() => {
    const idx = new Map(inst.map((r, i) => [r.institutionId, i]));
    const monthIdx = new Map(d.months.map((m, i) => [m, i]));
    const values = d.cells.map((c) => [monthIdx.get(c.month) ?? 0, idx.get(c.institutionId) ?? 0, c.budgetFen > 0 ? Math.round((c.spendingFen / c.budgetFen) * 1000) / 10 : 0]);
    return {
      tooltip: { formatter: (p: { value: number[] }) => `${heatInsts[p.value[1]!] ?? ''} · ${d.months[p.value[0]!] ?? ''}<br/>${t('execRate')}: ${p.value[2]}%` },
      grid: { left: 130, right: 20, top: 10, bottom: 70 },
      xAxis: { type: 'category', data: d.months, splitArea: { show: true } },
      yAxis: { type: 'category', data: heatInsts, splitArea: { show: true } },
      visualMap: { min: 50, max: 130, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#e3eef9', '#5b9bd5', '#ffc000', '#c00000'] } },
      series: [{ type: 'heatmap', name: t('execRate'), data: values, label: { show: d.months.length <= 12 && inst.length <= 12, fontSize: 10 } }],
    };
  }, [d, inst, heatInsts, t]);
  const hot = [...d.hotspots].sort((a, b) => b.amountFen - a.amountFen).slice(0, 20);
  const hotOption: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 220, right: 30, top: 10, bottom: 30 },
      xAxis: { type: 'value', name: t('yuan') },
      yAxis: { type: 'category', inverse: true, data: hot.map((h) => `${name(h)} · ${pick(h.typeLabel) || h.type}`), axisLabel: { width: 210, overflow: 'truncate' } },
      series: [{ type: 'bar', name: t('violationAmount'), data: hot.map((h) => fenToYuanNumber(h.amountFen)), itemStyle: { color: '#c00000' }, barMaxWidth: 18 }],
    }),
    [hot, t, pick],
  );
  const execRate = d.totals.budgetFen > 0 ? d.totals.spendingFen / d.totals.budgetFen : null;
  return (
    <>
      <KpiRow>
        <Kpi testId="kpi-spending" label={t('spending')} value={money(d.totals.spendingFen)} />
        <Kpi testId="kpi-budget" label={t('budget')} value={money(d.totals.budgetFen)} />
        <Kpi testId="kpi-exec" label={t('execRate')} value={pct(execRate)} />
        {d.totals.violations !== undefined && <Kpi testId="kpi-violations" label={t('violations')} value={int(d.totals.violations, lang)} />}
        {d.totals.violationAmountFen !== undefined && <Kpi testId="kpi-violation-amount" label={t('violationAmount')} value={money(d.totals.violationAmountFen)} />}
      </KpiRow>
      <div className="grid">
        <Card title={t('spendingByInstitution')} hint={t('clickToDrill')} wide>
          <Chart testId="chart-institutions" option={barOption} onPick={(p) => inst[p.dataIndex] && onDrill(name(inst[p.dataIndex]!), inst[p.dataIndex]!.drill)} />
        </Card>
        <Card title={`${t('execRate')} · ${t('spendingByMonth')}`} hint={t('clickToDrill')} wide>
          <Chart
            testId="chart-heatmap"
            height={Math.max(220, 30 * inst.length + 110)}
            option={heatOption}
            onPick={(p) => {
              const v = p.value as number[];
              const instRow = inst[v[1]!];
              const month = d.months[v[0]!];
              const cell = d.cells.find((c) => c.institutionId === instRow?.institutionId && c.month === month);
              if (cell) onDrill(`${name(cell)} · ${cell.month}`, cell.drill);
            }}
          />
        </Card>
        <Card title={t('hotspots')} hint={t('clickToDrill')} wide>
          {hot.length === 0 ? (
            <div className="muted empty">{t('noData')}</div>
          ) : (
            <>
              <Chart testId="chart-hotspots" height={Math.max(180, 26 * hot.length + 50)} option={hotOption} onPick={(p) => hot[p.dataIndex] && onDrill(`${name(hot[p.dataIndex]!)} · ${pick(hot[p.dataIndex]!.typeLabel) || hot[p.dataIndex]!.type}`, hot[p.dataIndex]!.drill)} />
              <DataTable
                testId="hotspots-table"
                rows={hot}
                onRowClick={(h) => onDrill(`${name(h)} · ${pick(h.typeLabel) || h.type}`, h.drill)}
                columns={[
                  { key: 'institutionId', label: t('institution'), render: (h) => name(h) },
                  { key: 'type', label: t('rule'), render: (h) => pick(h.typeLabel) || h.type },
                  { key: 'count', label: t('violations'), kind: 'int' },
                  { key: 'amountFen', label: t('violationAmount'), kind: 'money' },
                ]}
              />
            </>
          )}
        </Card>
      </div>
    </>
  );
}
