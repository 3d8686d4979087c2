/**
 * 基金运行一张图 Fund operation map: medical spending by institution and discharge month (the month a
 * stay is settled), against the global budget (总额预算) when one is loaded, and violation hot spots.
 * Every bar segment, heat-map cell and hot spot opens the rows behind it. Totals shown are sums of
 * the API's cells; a budget the server does not have is shown as missing, never estimated.
 */
import { useEffect, useMemo, useState } from 'react';
import { call, ENDPOINTS, useLoad } from '../api';
import { Card } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { useInstitutionPicker } from '../components/InstitutionPicker';
import { Kpi, KpiRow } from '../components/Kpi';
import { ReportPage, YearInput, type OpenDrill } from '../components/ReportPage';
import type { DrillRef, ListOf } from '../endpoints';
import { fenToYuanNumber, int, money, pct } from '../format';
import { useI18n } from '../i18n';
import { CASE_TYPE_LABELS } from './labels';

export interface FundCell {
  institutionId: string;
  month: string;
  encounters: number;
  /** fund payment 基金支出 when a settlement run exists (`spendingBasis`), else total charges */
  spendingFen: number;
  /** total charges 医疗总费用 */
  totalFen?: number;
  /** monthly global budget 月度总额预算, null when none is loaded */
  budgetFen: number | null;
  drill: DrillRef;
}
export interface FundHotspot {
  institutionId: string;
  type: string;
  violations: number;
  encounters?: number;
  amountFen: number;
  drill: DrillRef;
}
export interface FundMapData {
  year: string;
  spendingBasis?: 'fund-payment' | 'total-charges';
  settlementRunId?: string | null;
  institutions: { id: string; name: string; level?: string; annualBudgetFen?: number | null }[];
  months: string[];
  cells: FundCell[];
  hotspots: FundHotspot[];
}

/** Σ over cells; null when any cell lacks the figure (a partial budget is not a budget). */
export function sumFen<T extends object>(cells: readonly T[], key: keyof T): number | null {
  let total = 0;
  for (const c of cells) {
    const v = c[key] as unknown;
    if (typeof v !== 'number') return null;
    total += v;
  }
  return total;
}

/** The newest discharge year in the data, so the page opens on a year that has figures. */
function useLatestYear(): string | null {
  const [year, setYear] = useState<string | null>(null);
  useEffect(() => {
    call<ListOf<{ dischargeDate?: string }>>(ENDPOINTS.encounters, { query: { limit: 1 } })
      .then((r) => setYear(r.rows[0]?.dischargeDate?.slice(0, 4) ?? String(new Date().getFullYear())))
      .catch(() => setYear(String(new Date().getFullYear())));
  }, []);
  return year;
}

export default function FundMap() {
  const { t } = useI18n();
  const latest = useLatestYear();
  const [chosenYear, setChosenYear] = useState('');
  const year = chosenYear || latest || '';
  const [institutionId, picker] = useInstitutionPicker();
  const [data, reload] = useLoad(
    [ENDPOINTS.fundMap],
    async (signal) => {
      if (!year) return new Promise<FundMapData>(() => {}); // wait for the year
      return call<FundMapData>(ENDPOINTS.fundMap, { query: { year, institutionId }, signal });
    },
    [year, institutionId],
  );
  const filters = (
    <>
      {picker}
      <YearInput year={year} onChange={setChosenYear} />
    </>
  );
  return (
    <ReportPage title={t('fundMapTitle')} intro={t('fundMapIntro')} filters={filters} data={data} reload={reload}>
      {(d, open) => <FundMapView d={d} onDrill={open} />}
    </ReportPage>
  );
}

function FundMapView({ d, onDrill }: { d: FundMapData; onDrill: OpenDrill }) {
  const { t, lang, pick } = useI18n();
  const names = new Map(d.institutions.map((i) => [i.id, i.name]));
  const name = (id: string) => names.get(id) ?? id;
  const insts = d.institutions.filter((i) => d.cells.some((c) => c.institutionId === i.id));
  const cellAt = useMemo(() => new Map(d.cells.map((c) => [`${c.institutionId}|${c.month}`, c])), [d.cells]);
  const spending = sumFen(d.cells, 'spendingFen') ?? 0;
  const totalCharges = sumFen(d.cells, 'totalFen');
  // the annual global budget of the institutions shown; missing for any of them = no budget figure
  const budget = insts.length ? sumFen(insts, 'annualBudgetFen') : null;
  const encounters = d.cells.reduce((s, c) => s + c.encounters, 0);
  const hotAmount = d.hotspots.reduce((s, h) => s + h.amountFen, 0);
  const hotCount = d.hotspots.reduce((s, h) => s + h.violations, 0);
  const fundBasis = d.spendingBasis !== 'total-charges';
  const spendingLabel = fundBasis ? t('fundSpending') : t('spending');
  // a month's budget line only where every institution shown has that month's budget
  const monthBudget = d.months.map((m) => {
    let total = 0;
    for (const i of insts) {
      const b = cellAt.get(`${i.id}|${m}`)?.budgetFen;
      if (typeof b !== 'number') return null;
      total += b;
    }
    return insts.length ? total : null;
  });

  // one stacked bar per month, one segment per institution: a segment is exactly one cell
  const monthly: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: (p: { seriesName: string; name: string; value: number }) => `${p.seriesName} · ${p.name}<br/>¥${p.value.toLocaleString()}` },
      legend: { type: 'scroll', top: 0, data: [...insts.map((i) => i.name), ...(monthBudget.some((b) => b !== null) ? [t('budget')] : [])] },
      grid: { left: 80, right: 20, top: 48, bottom: 30 },
      xAxis: { type: 'category', data: d.months },
      yAxis: { type: 'value', name: t('yuan') },
      series: [
        ...insts.map((i) => ({
          type: 'bar',
          stack: 'spending',
          name: i.name,
          barMaxWidth: 36,
          data: d.months.map((m) => fenToYuanNumber(cellAt.get(`${i.id}|${m}`)?.spendingFen ?? 0)),
        })),
        ...(monthBudget.some((b) => b !== null)
          ? [{ type: 'line', name: t('budget'), data: monthBudget.map((b) => (b === null ? null : fenToYuanNumber(b))), itemStyle: { color: '#c00000' }, lineStyle: { type: 'dashed' } }]
          : []),
      ],
    }),
    [insts, d.months, cellAt, t, monthBudget],
  );
  const heat: ChartOption = useMemo(() => {
    const values = d.cells.map((c) => [d.months.indexOf(c.month), insts.findIndex((i) => i.id === c.institutionId), fenToYuanNumber(c.spendingFen)]);
    const max = Math.max(1, ...values.map((v) => v[2]!));
    return {
      tooltip: {
        formatter: (p: { value: number[] }) => {
          const inst = insts[p.value[1]!];
          const cell = inst && cellAt.get(`${inst.id}|${d.months[p.value[0]!]}`);
          const rate = cell && cell.budgetFen ? `<br/>${t('execRate')}: ${pct(cell.spendingFen / cell.budgetFen)}` : '';
          return `${inst?.name ?? ''} · ${d.months[p.value[0]!] ?? ''}<br/>${spendingLabel}: ${money(cell?.spendingFen ?? 0)}${cell?.budgetFen ? `<br/>${t('budget')}: ${money(cell.budgetFen)}` : ''}${rate}`;
        },
      },
      grid: { left: 160, right: 20, top: 10, bottom: 80 },
      xAxis: { type: 'category', data: d.months, splitArea: { show: true } },
      yAxis: { type: 'category', data: insts.map((i) => i.name), splitArea: { show: true }, axisLabel: { width: 150, overflow: 'truncate' } },
      visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 4, itemWidth: 12, itemHeight: 200, text: [`¥${max.toLocaleString()}`, '¥0'], inRange: { color: ['#eef4fb', '#5b9bd5', '#1f3a5f'] } },
      series: [{ type: 'heatmap', name: spendingLabel, data: values }],
    };
  }, [d, insts, t, cellAt, spendingLabel]);
  const hot = d.hotspots.slice(0, 20);
  const typeLabel = (ty: string) => pick(CASE_TYPE_LABELS[ty]) || ty || t('otherRules');
  const hotLabel = (h: FundHotspot) => `${name(h.institutionId)} · ${typeLabel(h.type)}`;
  const hotOption: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 240, right: 30, top: 10, bottom: 30 },
      xAxis: { type: 'value', name: t('yuan') },
      yAxis: { type: 'category', inverse: true, data: hot.map(hotLabel), axisLabel: { width: 230, overflow: 'truncate' } },
      series: [{ type: 'bar', name: t('violationAmount'), data: hot.map((h) => fenToYuanNumber(h.amountFen)), itemStyle: { color: '#c00000' }, barMaxWidth: 18 }],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [hot, t, pick],
  );

  return (
    <>
      <KpiRow>
        <Kpi testId="kpi-spending" label={spendingLabel} value={money(spending)} sub={`${d.year}${d.settlementRunId ? ` · ${d.settlementRunId}` : ''}`} />
        {fundBasis && totalCharges !== null && <Kpi testId="kpi-total-charges" label={t('spending')} value={money(totalCharges)} />}
        <Kpi testId="kpi-encounters" label={t('encountersSettled')} value={int(encounters, lang)} />
        <Kpi testId="kpi-budget" label={t('annualBudget')} value={budget === null ? t('budgetMissing') : money(budget)} />
        <Kpi testId="kpi-exec" label={t('execRate')} value={budget ? pct(spending / budget) : '—'} />
        <Kpi testId="kpi-violations" label={t('violations')} value={int(hotCount, lang)} />
        <Kpi testId="kpi-violation-amount" label={t('violationAmount')} value={money(hotAmount)} />
      </KpiRow>
      {d.cells.length === 0 ? (
        <div className="state">{t('noData')}</div>
      ) : (
        <div className="grid">
          <Card title={t('spendingByMonth')} hint={t('clickToDrill')} wide>
            <Chart
              testId="chart-monthly"
              option={monthly}
              height={340}
              onPick={(p) => {
                const inst = insts[p.seriesIndex];
                const cell = inst && cellAt.get(`${inst.id}|${p.name}`);
                if (cell) onDrill(`${inst.name} · ${cell.month}`, cell.drill);
              }}
            />
          </Card>
          <Card title={t('spendingByInstitution')} hint={t('clickToDrill')} wide>
            <Chart
              testId="chart-heatmap"
              height={Math.max(200, 34 * insts.length + 100)}
              option={heat}
              onPick={(p) => {
                const v = p.value as number[];
                const inst = insts[v[1]!];
                const cell = inst && cellAt.get(`${inst.id}|${d.months[v[0]!]}`);
                if (cell) onDrill(`${inst.name} · ${cell.month}`, cell.drill);
              }}
            />
          </Card>
        </div>
      )}
      <div className="grid" style={{ marginTop: 14 }}>
        <Card title={t('hotspots')} hint={t('clickToDrill')} wide>
          {hot.length === 0 ? (
            <div className="muted empty">{t('noData')}</div>
          ) : (
            <>
              <Chart testId="chart-hotspots" height={Math.max(180, 26 * hot.length + 50)} option={hotOption} onPick={(p) => hot[p.dataIndex] && onDrill(hotLabel(hot[p.dataIndex]!), hot[p.dataIndex]!.drill)} />
              <DataTable
                testId="hotspots-table"
                rows={d.hotspots}
                onRowClick={(h) => onDrill(hotLabel(h), h.drill)}
                columns={[
                  { key: 'institutionId', label: t('institution'), render: (h) => name(h.institutionId) },
                  { key: 'type', label: t('rule'), render: (h) => typeLabel(h.type) },
                  { key: 'violations', label: t('violations'), kind: 'int' },
                  { key: 'encounters', label: t('encountersInvolved'), kind: 'int' },
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
