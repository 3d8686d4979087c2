/**
 * DRG 核心指标看板: CMI, cost and time consumption indices (费用/时间消耗指数), margins (盈亏) by DRG
 * group and by department. Bars open the cases behind them.
 */
import { useMemo } from 'react';
import { call, ENDPOINTS, useLoad } from '../api';
import { Card } from '../components/Card';
import { Chart, type ChartOption } from '../components/Chart';
import { DataTable } from '../components/DataTable';
import { institutionName, useDepartmentNames, useInstitutionPicker, type InstitutionRow } from '../components/InstitutionPicker';
import { Kpi, KpiRow } from '../components/Kpi';
import { ReportPage, type OpenDrill } from '../components/ReportPage';
import type { DrillRef } from '../endpoints';
import { dec, fenToYuanNumber, int, money } from '../format';
import { useI18n } from '../i18n';

export interface DrgRow {
  drg: string;
  name?: string;
  cases: number;
  weight: number | null;
  paymentFen: number;
  costFen: number;
  marginFen: number;
  drill: DrillRef;
}
export interface DeptRow {
  institutionId: string;
  departmentId: string;
  cases: number;
  cmi: number;
  costIndex: number;
  timeIndex: number;
  paymentFen: number;
  costFen: number;
  marginFen: number;
  drill: DrillRef;
}
export interface DrgBoardData {
  scheme: string;
  schemes: { scheme: string; cases: number }[];
  overall: {
    cases: number;
    groupedCases: number;
    drgCount: number;
    totalWeight: number;
    cmi: number;
    costIndex: number;
    timeIndex: number;
    paymentFen: number;
    costFen: number;
    marginFen: number;
    drill: DrillRef;
  };
  /** sorted by margin, largest loss first */
  byDrg: DrgRow[];
  byDepartment: DeptRow[];
}

export default function DrgBoard() {
  const { t } = useI18n();
  const [institutionId, picker, institutions] = useInstitutionPicker();
  const [data, reload] = useLoad([ENDPOINTS.drgBoard], (signal) => call<DrgBoardData>(ENDPOINTS.drgBoard, { query: { institutionId }, signal }), [institutionId]);
  return (
    <ReportPage title={t('drgTitle')} intro={t('drgIntro')} filters={picker} data={data} reload={reload}>
      {(d, open) => <DrgView d={d} onDrill={open} institutions={institutions} />}
    </ReportPage>
  );
}

function marginBars(names: string[], margins: number[], label: string): ChartOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 200, right: 30, top: 10, bottom: 30 },
    xAxis: { type: 'value', name: '元' },
    yAxis: { type: 'category', inverse: true, data: names, axisLabel: { width: 190, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: label,
        barMaxWidth: 16,
        data: margins.map((m) => ({ value: fenToYuanNumber(m), itemStyle: { color: m < 0 ? '#c00000' : '#70ad47' } })),
      },
    ],
  };
}

function DrgView({ d, onDrill, institutions }: { d: DrgBoardData; onDrill: OpenDrill; institutions: InstitutionRow[] }) {
  const { t, lang } = useI18n();
  const deptNames = useDepartmentNames(d.byDepartment.map((r) => r.institutionId));
  // the 15 largest losses and the 15 largest gains: where a department head or the bureau looks first
  const drgs = d.byDrg;
  const shownDrgs = drgs.length > 30 ? [...drgs.slice(0, 15), ...drgs.slice(-15)] : drgs;
  const drgName = (r: DrgRow) => `${r.drg}${r.name ? ` ${r.name}` : ''}`;
  const multiInst = new Set(d.byDepartment.map((r) => r.institutionId)).size > 1;
  const deptName = (r: DeptRow) =>
    `${multiInst ? `${institutionName(institutions, r.institutionId)} · ` : ''}${deptNames.get(r.departmentId) ?? r.departmentId}`;
  const depts = useMemo(() => [...d.byDepartment].sort((a, b) => a.marginFen - b.marginFen), [d.byDepartment]);
  const drgOption = useMemo(() => marginBars(shownDrgs.map(drgName), shownDrgs.map((r) => r.marginFen), t('margin')), [shownDrgs, t]);
  const deptOption = useMemo(() => marginBars(depts.map(deptName), depts.map((r) => r.marginFen), t('margin')), [depts, t, deptNames]);
  const o = d.overall;
  return (
    <>
      <KpiRow>
        <Kpi testId="kpi-cases" label={t('cases')} value={int(o.cases, lang)} sub={`${d.scheme} · ${t('grouped')} ${int(o.groupedCases, lang)}`} onClick={() => onDrill(t('cases'), o.drill)} />
        <Kpi testId="kpi-groups" label={t('groups')} value={int(o.drgCount, lang)} />
        <Kpi testId="kpi-cmi" label={t('cmi')} value={dec(o.cmi)} />
        <Kpi testId="kpi-cost-index" label={t('costIndex')} value={dec(o.costIndex)} />
        <Kpi testId="kpi-time-index" label={t('timeIndex')} value={dec(o.timeIndex)} />
        <Kpi testId="kpi-payment" label={t('payment')} value={money(o.paymentFen)} />
        <Kpi testId="kpi-cost" label={t('cost')} value={money(o.costFen)} />
        <Kpi testId="kpi-margin" label={t('margin')} value={money(o.marginFen)} />
      </KpiRow>
      <div className="grid">
        <Card title={t('marginByDrg')} hint={t('clickToDrill')}>
          <Chart testId="chart-drg-margin" height={Math.max(240, 22 * shownDrgs.length + 50)} option={drgOption} onPick={(p) => shownDrgs[p.dataIndex] && onDrill(drgName(shownDrgs[p.dataIndex]!), shownDrgs[p.dataIndex]!.drill)} />
        </Card>
        <Card title={t('marginByDept')} hint={t('clickToDrill')}>
          <Chart testId="chart-dept-margin" height={Math.max(240, 24 * depts.length + 50)} option={deptOption} onPick={(p) => depts[p.dataIndex] && onDrill(deptName(depts[p.dataIndex]!), depts[p.dataIndex]!.drill)} />
        </Card>
        <Card title={t('indicesByDept')} wide>
          <DataTable
            testId="dept-table"
            rows={depts}
            onRowClick={(r) => onDrill(deptName(r), r.drill)}
            columns={[
              { key: 'departmentId', label: t('department'), render: deptName },
              { key: 'cases', label: t('cases'), kind: 'int' },
              { key: 'cmi', label: 'CMI', kind: 'dec' },
              { key: 'costIndex', label: t('costIndex'), kind: 'dec' },
              { key: 'timeIndex', label: t('timeIndex'), kind: 'dec' },
              { key: 'paymentFen', label: t('payment'), kind: 'money' },
              { key: 'costFen', label: t('cost'), kind: 'money' },
              { key: 'marginFen', label: t('margin'), kind: 'money' },
            ]}
          />
        </Card>
        <Card title={t('marginByDrg')} wide>
          <DataTable
            testId="drg-table"
            rows={drgs}
            onRowClick={(r) => onDrill(drgName(r), r.drill)}
            columns={[
              { key: 'drg', label: 'DRG', render: drgName },
              { key: 'cases', label: t('cases'), kind: 'int' },
              { key: 'weight', label: t('weight'), kind: 'dec' },
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
