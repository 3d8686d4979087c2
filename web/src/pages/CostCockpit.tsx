/**
 * 成本驾驶舱 Cost cockpit (hospital-internal): department full cost (全成本, after the step-down
 * allocation of 《公立医院成本核算规范》) by the seven cost items, budget against actual by cost
 * center, and DRG cost-benefit — all from the institution's newest costing run of the year. Every
 * bar and point opens the rows behind it; totals are sums of the API's rows.
 */
import { useEffect, useMemo, useState } from 'react';
import { ApiError, call, ENDPOINTS, useLoad } from '../api';
import { useUser } from '../auth';
import { Card } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { useDepartmentNames, useInstitutionPicker } from '../components/InstitutionPicker';
import { Kpi, KpiRow } from '../components/Kpi';
import { ReportPage, YearInput, type OpenDrill } from '../components/ReportPage';
import type { DrillRef } from '../endpoints';
import { fenToYuanNumber, money, pct } from '../format';
import { useI18n } from '../i18n';

/** 成本项目 of 《公立医院成本核算规范》 (src/domain COST_ITEMS), in the standard's order */
export const COST_ITEM_LABELS: Record<string, { zh: string; en: string }> = {
  personnel: { zh: '人员经费', en: 'Personnel' },
  'medical-materials': { zh: '卫生材料费', en: 'Medical materials' },
  drugs: { zh: '药品费', en: 'Drugs' },
  depreciation: { zh: '固定资产折旧费', en: 'Depreciation' },
  amortisation: { zh: '无形资产摊销费', en: 'Amortisation' },
  'risk-fund': { zh: '提取医疗风险基金', en: 'Risk fund' },
  'other-operating': { zh: '其他运行费用', en: 'Other operating' },
};
const ITEM_ORDER = Object.keys(COST_ITEM_LABELS);

export interface CostDeptItem {
  departmentId: string;
  costCategory: string;
  costItem: string;
  directFen: number;
  fullFen: number;
  drill: DrillRef;
}
export interface CostBudgetRow {
  centerId: string;
  period: string;
  budgetFen: number;
  actualFen: number;
  varianceFen: number;
  drill: DrillRef;
}
export interface CostDrgRow {
  key: string;
  drg: string;
  cases: number;
  costFen: number;
  paymentFen: number;
  deniedFen: number;
  marginFen: number;
  marginRate: number | null;
  drill: DrillRef;
}
export interface CostCockpitData {
  year: string;
  institutionId: string;
  runId: string;
  departments: CostDeptItem[];
  budget: CostBudgetRow[];
  drgBenefit: CostDrgRow[];
}

/** One department's full cost by item (Σ of the API's rows). */
export interface DeptCost {
  departmentId: string;
  items: Record<string, number>;
  fullFen: number;
  directFen: number;
  drill: DrillRef;
}

export function byDepartment(rows: readonly CostDeptItem[]): DeptCost[] {
  const m = new Map<string, DeptCost>();
  for (const r of rows) {
    const d = m.get(r.departmentId) ?? { departmentId: r.departmentId, items: {}, fullFen: 0, directFen: 0, drill: r.drill };
    d.items[r.costItem] = (d.items[r.costItem] ?? 0) + r.fullFen;
    d.fullFen += r.fullFen;
    d.directFen += r.directFen;
    m.set(r.departmentId, d);
  }
  return [...m.values()];
}

/** Budget and actual per cost center over the year; the drill lists all its budget lines. */
export function budgetByCenter(rows: readonly CostBudgetRow[]): { centerId: string; budgetFen: number; actualFen: number; varianceFen: number; drill: DrillRef }[] {
  const m = new Map<string, { centerId: string; budgetFen: number; actualFen: number; varianceFen: number; drill: DrillRef }>();
  for (const r of rows) {
    const { period: _p, ...query } = r.drill.query ?? {};
    const c = m.get(r.centerId) ?? { centerId: r.centerId, budgetFen: 0, actualFen: 0, varianceFen: 0, drill: { path: r.drill.path, query } };
    c.budgetFen += r.budgetFen;
    c.actualFen += r.actualFen;
    c.varianceFen += r.varianceFen;
    m.set(r.centerId, c);
  }
  return [...m.values()];
}

/** The newest year (this year and up to five back) that has a costing run for the institution. */
function useCostYear(institutionId: string): string | null {
  const [year, setYear] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setYear(null);
    void (async () => {
      const now = new Date().getFullYear();
      for (let y = now; y >= now - 5; y--) {
        try {
          await call(ENDPOINTS.costCockpit, { query: { year: String(y), institutionId } });
          if (live) setYear(String(y));
          return;
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) break; // a real error: let the page show it
        }
      }
      if (live) setYear(String(now));
    })();
    return () => {
      live = false;
    };
  }, [institutionId]);
  return year;
}

export default function CostCockpit() {
  const { t } = useI18n();
  const user = useUser();
  const [pickedInstitution, picker] = useInstitutionPicker({ allowAll: false });
  const institutionId = user.institutionId || pickedInstitution;
  const found = useCostYear(institutionId);
  const [chosenYear, setChosenYear] = useState('');
  const year = chosenYear || found || '';
  const [data, reload] = useLoad(
    [ENDPOINTS.costCockpit],
    async (signal) => {
      if (!year || !institutionId) return new Promise<CostCockpitData>(() => {}); // waiting for the year / institution
      return call<CostCockpitData>(ENDPOINTS.costCockpit, { query: { year, institutionId }, signal });
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
    <ReportPage title={t('costTitle')} intro={t('costIntro')} filters={filters} data={data} reload={reload}>
      {(d, open) => <CostView d={d} onDrill={open} />}
    </ReportPage>
  );
}

function CostView({ d, onDrill }: { d: CostCockpitData; onDrill: OpenDrill }) {
  const { t, pick, lang } = useI18n();
  const names = useDepartmentNames([d.institutionId]);
  const name = (id: string) => names.get(id) ?? id;
  // departments holding cost at the end of the step-down (clinical centers), largest first
  const depts = useMemo(() => byDepartment(d.departments).filter((r) => r.fullFen > 0).sort((a, b) => b.fullFen - a.fullFen), [d.departments]);
  const items = useMemo(() => ITEM_ORDER.filter((k) => depts.some((r) => (r.items[k] ?? 0) > 0)), [depts]);
  const totalFull = d.departments.reduce((s, r) => s + r.fullFen, 0);
  const totalDirect = d.departments.reduce((s, r) => s + r.directFen, 0);
  const centers = useMemo(() => budgetByCenter(d.budget).sort((a, b) => b.actualFen - a.actualFen), [d.budget]);
  const budgetTotal = d.budget.reduce((s, r) => s + r.budgetFen, 0);
  const actualTotal = d.budget.reduce((s, r) => s + r.actualFen, 0);
  const drgs = d.drgBenefit;
  const marginTotal = drgs.reduce((s, r) => s + r.marginFen, 0);

  const structOption: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', top: 0, data: items.map((k) => pick(COST_ITEM_LABELS[k])) },
      grid: { left: 90, right: 20, top: 40, bottom: 90 },
      xAxis: { type: 'category', data: depts.map((r) => name(r.departmentId)), axisLabel: { rotate: 35, interval: 0 } },
      yAxis: { type: 'value', name: t('yuan') },
      series: items.map((k) => ({ type: 'bar', stack: 'cost', name: pick(COST_ITEM_LABELS[k]), data: depts.map((r) => fenToYuanNumber(r.items[k] ?? 0)), barMaxWidth: 30 })),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [depts, items, pick, t, names],
  );
  const shownCenters = centers.slice(0, 20);
  const bvaOption: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: [t('budget'), t('actual')] },
      grid: { left: 90, right: 20, top: 36, bottom: 90 },
      xAxis: { type: 'category', data: shownCenters.map((r) => name(r.centerId)), axisLabel: { rotate: 35, interval: 0 } },
      yAxis: { type: 'value', name: t('yuan') },
      series: [
        { type: 'bar', name: t('budget'), data: shownCenters.map((r) => fenToYuanNumber(r.budgetFen)), barMaxWidth: 20 },
        { type: 'bar', name: t('actual'), data: shownCenters.map((r) => fenToYuanNumber(r.actualFen)), barMaxWidth: 20, itemStyle: { color: '#ffc000' } },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [shownCenters, t, names],
  );
  const scatter: ChartOption = useMemo(
    () => ({
      tooltip: {
        formatter: (p: { dataIndex: number }) => {
          const r = drgs[p.dataIndex];
          return r ? `${r.drg} · ${r.cases}<br/>${t('cost')}: ${money(r.costFen)}<br/>${t('payment')}: ${money(r.paymentFen)}<br/>${t('margin')}: ${money(r.marginFen)}` : '';
        },
      },
      grid: { left: 90, right: 30, top: 20, bottom: 50 },
      xAxis: { type: 'value', name: `${t('cost')} (${t('yuan')})`, nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', name: `${t('payment')} (${t('yuan')})` },
      series: [
        {
          type: 'scatter',
          name: t('drgCostBenefit'),
          symbolSize: (v: number[]) => Math.min(28, 6 + Math.sqrt(v[2] ?? 1) * 2),
          data: drgs.map((r) => ({ value: [fenToYuanNumber(r.costFen), fenToYuanNumber(r.paymentFen), r.cases], itemStyle: { color: r.marginFen < 0 ? '#c00000' : '#70ad47' } })),
        },
      ],
    }),
    [drgs, t],
  );
  return (
    <>
      <KpiRow>
        <Kpi testId="kpi-total-cost" label={t('totalCost')} value={money(totalFull)} sub={`${d.year} · ${d.runId}`} />
        <Kpi testId="kpi-direct" label={t('directCost')} value={money(totalDirect)} />
        <Kpi testId="kpi-budget" label={t('budget')} value={money(budgetTotal)} />
        <Kpi testId="kpi-actual" label={t('actual')} value={money(actualTotal)} sub={budgetTotal > 0 ? `${t('execRate')} ${pct(actualTotal / budgetTotal)}` : undefined} />
        <Kpi testId="kpi-drg-margin" label={`${t('drgCostBenefit')} · ${t('margin')}`} value={money(marginTotal)} />
      </KpiRow>
      <div className="grid">
        <Card title={t('costStructure')} hint={t('clickToDrill')} wide>
          {depts.length === 0 ? (
            <div className="muted empty">{t('noData')}</div>
          ) : (
            <Chart testId="chart-cost-structure" height={380} option={structOption} onPick={(p) => depts[p.dataIndex] && onDrill(name(depts[p.dataIndex]!.departmentId), depts[p.dataIndex]!.drill)} />
          )}
        </Card>
        <Card title={t('budgetVsActual')} hint={t('clickToDrill')}>
          {shownCenters.length === 0 ? (
            <div className="muted empty">{t('noData')}</div>
          ) : (
            <Chart testId="chart-budget" height={340} option={bvaOption} onPick={(p) => shownCenters[p.dataIndex] && onDrill(name(shownCenters[p.dataIndex]!.centerId), shownCenters[p.dataIndex]!.drill)} />
          )}
        </Card>
        <Card title={t('drgCostBenefit')} hint={t('clickToDrill')}>
          {drgs.length === 0 ? (
            <div className="muted empty">{t('noData')}</div>
          ) : (
            <Chart testId="chart-drg-cost" height={340} option={scatter} onPick={(p) => drgs[p.dataIndex] && onDrill(`DRG ${drgs[p.dataIndex]!.drg}`, drgs[p.dataIndex]!.drill)} />
          )}
        </Card>
        <Card title={t('costStructure')} wide>
          <DataTable
            testId="cost-table"
            rows={depts}
            onRowClick={(r) => onDrill(name(r.departmentId), r.drill)}
            columns={[
              { key: 'departmentId', label: t('department'), render: (r) => name(r.departmentId) },
              ...items.map((k) => ({ key: k, label: pick(COST_ITEM_LABELS[k]), kind: 'money' as const, render: (r: DeptCost) => money(r.items[k] ?? 0) })),
              { key: 'directFen', label: t('directCost'), kind: 'money' as const },
              { key: 'fullFen', label: t('totalCost'), kind: 'money' as const },
            ]}
          />
        </Card>
        <Card title={t('drgCostBenefit')} wide>
          <DataTable
            testId="drg-cost-table"
            rows={drgs}
            onRowClick={(r) => onDrill(`DRG ${r.drg}`, r.drill)}
            columns={[
              { key: 'drg', label: 'DRG' },
              { key: 'cases', label: t('cases'), kind: 'int' },
              { key: 'paymentFen', label: t('payment'), kind: 'money' },
              { key: 'costFen', label: t('cost'), kind: 'money' },
              { key: 'deniedFen', label: t('denied'), kind: 'money' },
              { key: 'marginFen', label: t('margin'), kind: 'money' },
              { key: 'marginRate', label: t('marginRate'), kind: 'pct' },
            ]}
          />
        </Card>
      </div>
      <p className="muted small">{lang === 'zh' ? '全成本 = 直接成本 + 分摊转入 − 分摊转出；各科室全成本之和等于医院直接成本之和。' : 'Full cost = direct + received − allocated out; full costs add up to the direct costs.'}</p>
    </>
  );
}
