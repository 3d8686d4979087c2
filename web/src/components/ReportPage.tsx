/**
 * The shell the report pages share (资金地图, 成本驾驶舱, DRG 看板): heading with filters, the loaded
 * report, and the drill-down panel that any bar or cell of the report can open.
 */
import { useState, type ReactNode } from 'react';
import { drillRows, type Loaded } from '../api';
import type { DrillRef } from '../endpoints';
import { useI18n } from '../i18n';
import { PageHead } from './Card';
import { Drill, type DrillRequest } from './Drill';
import { LoadedView } from './States';

/** Opens the rows behind a figure in the drill-down panel. */
export type OpenDrill = (title: string, ref: DrillRef) => void;

export function ReportPage<T>({
  title,
  intro,
  filters,
  data,
  reload,
  children,
}: {
  title: string;
  intro: string;
  filters: ReactNode;
  data: Loaded<T>;
  reload: () => void;
  children: (d: T, open: OpenDrill) => ReactNode;
}) {
  const [drill, setDrill] = useState<DrillRequest<Record<string, unknown>> | null>(null);
  const open: OpenDrill = (drillTitle, ref) => setDrill({ title: drillTitle, load: () => drillRows<Record<string, unknown>>(ref) });
  return (
    <div>
      <PageHead title={title} intro={intro}>
        {filters}
      </PageHead>
      <LoadedView value={data} reload={reload}>
        {(d) => children(d, open)}
      </LoadedView>
      <Drill request={drill} onClose={() => setDrill(null)} />
    </div>
  );
}

/** The year filter of a report (年度). */
export function YearInput({ year, onChange }: { year: string; onChange: (year: string) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t('year')}
      <input type="number" min={2000} max={2100} value={year} onChange={(e) => onChange(e.target.value)} style={{ width: 90 }} data-testid="year" />
    </label>
  );
}
