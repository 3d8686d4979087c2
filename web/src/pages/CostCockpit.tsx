/**
 * 成本驾驶舱 Cost cockpit: department cost structure by the seven cost items, budget against actual,
 * and DRG cost-benefit. Every bar opens the cost rows or cases behind it.
 */
import { useMemo, useState } from 'react';
import { call, drillRows, ENDPOINTS, useLoad } from '../api';
import { Card, PageHead } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { Drill, type DrillRequest } from '../components/Drill';
import { useInstitutionPicker } from '../components/InstitutionPicker';
import { Kpi, KpiRow } from '../components/Kpi';
import { LoadedView } from '../components/States';
import type { DrillRef } from '../endpoints';
import { fenToYuanNumber, money, pct } from '../format';
import { useI18n } from '../i18n';

/** 成本项目 of 《公立医院成本核算规范》 (src/domain COST_ITEMS) */
export const COST_ITEM_LABELS: Record<string, { zh: string; en: string }> = {
  personnel: { zh: '人员经费', en: 'Personnel' },
  'medical-materials': { zh: '卫生材料费', en: 'Medical materials' },
  drugs: { zh: '药品费', en: 'Drugs' },
  depreciation: { zh: '固定资产折旧费', en: 'Depreciation' },
  amortisation: { zh: '无形资产摊销费', en: 'Amortisation' },
  'risk-fund': { zh: '提取医疗风险基金', en: 'Risk fund' },
  'other-operating': { zh: '其他运行费用', en: 'Other operating' },
};

export interface CostDept {
  departmentId: string;
  departmentName?: string;
  items: Record<string, number>;
  totalFen: number;
  drill: DrillRef;
}
export interface CostBudget {
  departmentId: string;
  departmentName?: string;
  budgetFen: number;
  actualFen: number;
  drill: DrillRef;
}
export interface CostDrg {
  drgCode: string;
  drgName?: string;
  cases: number;
  paymentFen: number;
  costFen: number;
  marginFen: number;
  drill: DrillRef;
}
export interface CostCockpitData {
  totals: { totalFen: number; budgetFen?: number; directFen?: number; indirectFen?: number };
  structure: CostDept[];
  budgetVsActual: CostBudget[];
  drgCostBenefit: CostDrg[];
}

export default function CostCockpit() {
  const { t } = useI18n();
  const [institutionId, picker] = useInstitutionPicker({ allowAll: false });
  const [drill, setDrill] = useState<DrillRequest<Record<string, unknown>> | null>(null);
  const [data, reload] = useLoad(
    [ENDPOINTS.costCockpit],
    (signal) => call<CostCockpitData>(ENDPOINTS.costCockpit, { query: { institutionId }, signal }),
    [institutionId],
  );
  const open = (title: string, ref: DrillRef) => setDrill({ title, load: () => drillRows<Record<string, unknown>>(ref) });
  return (
    <div>
      <PageHead title={t('costTitle')} intro={t('costIntro')}>
        {picker}
      </PageHead>
      <LoadedView value={data} reload={reload}>
        {(d) => <CostView d={d} onDrill={open} />}
      </LoadedView>
      <Drill request={drill} onClose={() => setDrill(null)} />
    </div>
  );
}

function CostView({ d, onDrill }: { d: CostCockpitData; onDrill: (title: string, ref: DrillRef) => void }) {
  const { t, pick } = useI18n();
  const depts = d.structure;
  const name = (r: { departmentId: string; departmentName?: string }) => r.departmentName ?? r.departmentId;
  const items = useMemo(() => {
    const keys = new Set<string>();
    for (const r of depts) for (const k of Object.keys(r.items)) keys.add(k);
    return [...keys];
  }, [depts]);
  const structOption: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', top: 0, data: items.map((k) => pick(COST_ITEM_LABELS[k]) || k) },
      grid: { left: 70, right: 20, top: 40, bottom: 70 },
      xAxis: { type: 'category', data: depts.map(name), axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: 'value', name: t('yuan') },
      series: items.map((k) => ({ type: 'bar', stack: 'cost', name: pick(COST_ITEM_LABELS[k]) || k, data: depts.map((r) => fenToYuanNumber(r.items[k] ?? 0)), barMaxWidth: 30 })),
    }),
    [depts, items, pick, t],
  );
  const bva = d.budgetVsActual;
  const bvaOption: ChartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: [t('budget'), t('actual')] },
      grid: { left: 70, right: 20, top: 36, bottom: 70 },
      xAxis: { type: 'category', data: bva.map(name), axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: 'value', name: t('yuan') },
      series: [
        { type: 'bar', name: t('budget'), data: bva.map((r) => fenToYuanNumber(r.budgetFen)), barMaxWidth: 22 },
        { type: 'bar', name: t('actual'), data: bva.map((r) => fenToYuanNumber(r.actualFen)), barMaxWidth: 22 },
      ],
    }),
    [bva, t],
  );
  const drgs = useMemo(() => [...d.drgCostBenefit].sort((a, b) => a.marginFen - b.marginFen), [d.drgCostBenefit]);
  const drgName = (r: CostDrg) => `${r.drgCode}${r.drgName ? ` ${r.drgName}` : ''}`;
  const scatter: ChartOption = useMemo(
    () => ({
      tooltip: { formatter: (p: { dataIndex: number }) => { const r = drgs[p.dataIndex]; return r ? `${drgName(r)}<br/>${t('cost')}: ${money(r.costFen)}<br/>${t('payment')}: ${money(r.paymentFen)}` : ''; } },
      grid: { left: 80, right: 30, top: 20, bottom: 50 },
      xAxis: { type: 'value', name: `${t('cost')} (${t('yuan')})`, nameLocation: 'middle', nameGap: 30 },
      yAxis: { type: 'value', name: `${t('payment')} (${t('yuan')})` },
      series: [{ type: 'scatter', name: t('drgCostBenefit'), symbolSize: (v: number[]) => Math.min(30, 6 + Math.sqrt(v[2] ?? 1) * 2), data: drgs.map((r) => [fenToYuanNumber(r.costFen), fenToYuanNumber(r.paymentFen), r.cases]), itemStyle: { color: '#5b9bd5' } }],
    }),
    [drgs, t],
  );
  return (
    <>
      <KpiRow>
        <Kpi testId="kpi-total-cost" label={t('totalCost')} value={money(d.totals.totalFen)} />
        {d.totals.budgetFen !== undefined && <Kpi testId="kpi-budget" label={t('budget')} value={money(d.totals.budgetFen)} sub={d.totals.budgetFen > 0 ? `${t('execRate')} ${pct(d.totals.totalFen / d.totals.budgetFen)}` : undefined} />}
        {d.totals.directFen !== undefined && <Kpi testId="kpi-direct" label={t('directCost')} value={money(d.totals.directFen)} />}
        {d.totals.indirectFen !== undefined && <Kpi testId="kpi-indirect" label={t('indirectCost')} value={money(d.totals.indirectFen)} />}
      </KpiRow>
      <div className="grid">
        <Card title={t('costStructure')} hint={t('clickToDrill')} wide>
          <Chart testId="chart-cost-structure" height={360} option={structOption} onPick={(p) => depts[p.dataIndex] && onDrill(name(depts[p.dataIndex]!), depts[p.dataIndex]!.drill)} />
        </Card>
        <Card title={t('budgetVsActual')} hint={t('clickToDrill')}>
          <Chart testId="chart-budget" option={bvaOption} onPick={(p) => bva[p.dataIndex] && onDrill(name(bva[p.dataIndex]!), bva[p.dataIndex]!.drill)} />
        </Card>
        <Card title={t('drgCostBenefit')} hint={t('clickToDrill')}>
          <Chart testId="chart-drg-cost" option={scatter} onPick={(p) => drgs[p.dataIndex] && onDrill(drgName(drgs[p.dataIndex]!), drgs[p.dataIndex]!.drill)} />
        </Card>
        <Card title={t('costStructure')} wide>
          <DataTable
            testId="cost-table"
            rows={depts}
            onRowClick={(r) => onDrill(name(r), r.drill)}
            columns={[
              { key: 'departmentId', label: t('department'), render: name },
              ...items.map((k) => ({ key: k, label: pick(COST_ITEM_LABELS[k]) || k, kind: 'money' as const, render: (r: CostDept) => money(r.items[k] ?? 0) })),
              { key: 'totalFen', label: t('totalCost'), kind: 'money' as const },
            ]}
          />
        </Card>
        <Card title={t('drgCostBenefit')} wide>
          <DataTable
            testId="drg-cost-table"
            rows={drgs}
            onRowClick={(r) => onDrill(drgName(r), r.drill)}
            columns={[
              { key: 'drgCode', label: 'DRG', render: drgName },
              { key: 'cases', label: t('cases'), kind: 'int' },
              { key: 'paymentFen', label: t('payment'), kind: 'money' },
              { key: 'costFen', label: t('cost'), kind: 'money' },
              { key: 'marginFen', label: t('margin'), kind: 'money' },
            ]}
          />
        </Card>
      </div>
    </>
  );
}
