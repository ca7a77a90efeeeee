import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { Language } from '../../../shared/ipc/contract';
import { formatDate, formatNumber } from '../../i18n/format';
import type { VitalPoint } from './observations';

/**
 * A vital-sign trend drawn by uPlot on a canvas. The canvas says nothing to a screen reader, so
 * the plot is hidden from it; VitalTrend gives the same data as a caption and a table.
 */
export type PlotLine = Readonly<{ label: string; color: string }>;

export function VitalTrendPlot(props: Readonly<{ points: readonly VitalPoint[]; lines: readonly PlotLine[]; unit: string; language: Language }>) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (element === null || props.points.length === 0) return;
    const data: uPlot.AlignedData = [
      props.points.map((p) => p.time / 1000),
      ...props.lines.map((_, i) => props.points.map((p) => p.values[i] ?? null)),
    ];
    const options = (width: number): uPlot.Options => ({
      width,
      height: 180,
      legend: { show: true, live: false },
      cursor: { show: true, drag: { x: false, y: false } },
      scales: { x: { time: true } },
      series: [
        { label: '' },
        ...props.lines.map((line) => ({
          label: line.label,
          stroke: line.color,
          width: 2,
          points: { show: true, size: 6 },
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${formatNumber(v, props.language, 1)} ${props.unit}`),
        })),
      ],
      axes: [
        { values: (_u: uPlot, splits: number[]) => splits.map((s) => formatDate(new Date(s * 1000).toISOString().slice(0, 10), props.language)), stroke: '#4f5b54' },
        { values: (_u: uPlot, splits: number[]) => splits.map((s) => formatNumber(s, props.language, 1)), stroke: '#4f5b54', size: 56 },
      ],
    });
    const plot = new uPlot(options(Math.max(240, element.clientWidth)), data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, element.clientWidth), height: 180 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.points, props.lines, props.unit, props.language]);
  return <div className="vital-plot" ref={holder} aria-hidden="true" />;
}
