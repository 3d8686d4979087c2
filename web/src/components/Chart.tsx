/**
 * An ECharts chart. Only the chart types and components the pages use are registered, to keep the
 * bundle small. A click on a bar, slice or cell calls `onPick` with the item's data index and name,
 * which every page uses to open the rows behind that figure.
 *
 * The chart instance is also kept on its element (`__echarts`) so the browser test can find where
 * a bar is drawn and click it like a person would.
 */
import { BarChart, HeatmapChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart, LineChart, PieChart, HeatmapChart, ScatterChart,
  GridComponent, TooltipComponent, LegendComponent, TitleComponent, VisualMapComponent, DataZoomComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export interface Pick {
  seriesIndex: number;
  seriesName: string;
  dataIndex: number;
  name: string;
  value: unknown;
}

/** Shared palette: calm blues and one warm accent for over-budget / violations. */
export const PALETTE = ['#1f4e79', '#5b9bd5', '#70ad47', '#ffc000', '#c00000', '#7f6084', '#264478', '#9e480e', '#636363', '#43682b'];

export function Chart({
  option,
  onPick,
  height = 320,
  testId,
}: {
  option: ChartOption;
  onPick?: (pick: Pick) => void;
  height?: number;
  testId: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    (el as HTMLDivElement & { __echarts?: echarts.ECharts }).__echarts = chart;
    chart.on('click', (p) => {
      const params = p as unknown as { seriesIndex?: number; seriesName?: string; dataIndex: number; name: string; value: unknown };
      pickRef.current?.({
        seriesIndex: params.seriesIndex ?? 0,
        seriesName: params.seriesName ?? '',
        dataIndex: params.dataIndex,
        name: params.name,
        value: params.value,
      });
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption({ color: PALETTE, animation: false, ...option }, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={ref}
      className={`chart${onPick ? ' chart-click' : ''}`}
      style={{ height }}
      data-testid={testId}
      data-drill={onPick ? 'yes' : 'no'}
    />
  );
}
