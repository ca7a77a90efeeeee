import { useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import uPlot from 'uplot';
import type { Language } from '../../../shared/ipc/contract';
import { formatNumber } from '../../i18n/format';
import { tickLabels } from './plot-ticks';
import { plotGroups } from './plot-series';
import { ChartSourcesContext } from './SourceTags';
import type { VitalPoint } from './observations';

/**
 * A vital-sign trend drawn by uPlot on a canvas. The canvas says nothing to a screen reader, so
 * the plot is hidden from it; VitalTrend gives the same data as a caption and a table. Over long
 * histories the date labels follow the tick spacing (years, then months, then days) and keep at
 * least 90 px apart, so they never overlap; the clinician zooms to a span (buttons, or a drag on
 * the plot) and back to the whole history.
 */
export type PlotLine = Readonly<{ label: string; color: string }>;

const day = 86_400;
export type Span = 'all' | '5y' | '1y' | '3m';
const spanSeconds: Readonly<Record<Exclude<Span, 'all'>, number>> = { '5y': 5 * 365 * day, '1y': 365 * day, '3m': 91 * day };
const spanKeys: Readonly<Record<Span, string>> = { all: 'chart.vital.span.all', '5y': 'chart.vital.span.5y', '1y': 'chart.vital.span.1y', '3m': 'chart.vital.span.3m' };

export function VitalTrendPlot(props: Readonly<{ points: readonly VitalPoint[]; lines: readonly PlotLine[]; unit: string; language: Language }>) {
  const { t } = useTranslation();
  const holder = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const [span, setSpan] = useState<Span>('all');
  const sources = useContext(ChartSourcesContext);
  const first = props.points[0]?.time ?? 0;
  const last = props.points[props.points.length - 1]?.time ?? 0;
  const history = (last - first) / 1000;
  useEffect(() => {
    const element = holder.current;
    if (element === null || props.points.length === 0) return;
    // Clinic measurements as a line; another source's as a dashed line of its own; the patient's own (home) as hollow points, never joined to them (plot-series.ts).
    const groups = plotGroups(props.points, props.lines.length);
    const data: uPlot.AlignedData = [props.points.map((p) => p.time / 1000), ...groups.flatMap((group) => group.values.map((column) => [...column]))];
    const value = (_u: uPlot, v: number | null) => (v === null ? '—' : `${formatNumber(v, props.language, 1)} ${props.unit}`);
    const options = (width: number): uPlot.Options => ({
      width,
      height: 180,
      legend: { show: true, live: false },
      cursor: { show: true, drag: { x: true, y: false } },
      scales: { x: { time: true } },
      series: [
        { label: '' },
        ...groups.flatMap((group) =>
          props.lines.map((line): uPlot.Series => {
            if (group.style === 'home') return { label: t('chart.vital.homeSeries', { name: line.label }), stroke: line.color, width: 0, paths: () => null, points: { show: true, size: 8, width: 2, fill: '#ffffff', stroke: line.color }, value };
            const dashed = group.style === 'source' ? { dash: [6, 4], label: t('chart.vital.sourceSeries', { name: line.label, source: sources.labels.get(group.source ?? '') ?? group.source }) } : { label: line.label };
            return { ...dashed, stroke: line.color, width: 2, spanGaps: true, points: { show: props.points.length <= 400, size: 5 }, value };
          }),
        ),
      ],
      axes: [
        { space: 90, values: (_u: uPlot, splits: number[], _axis: number, _space: number, increment: number) => tickLabels(splits, increment, props.language), stroke: '#4f5b54' },
        { values: (_u: uPlot, splits: number[]) => splits.map((s) => formatNumber(s, props.language, 1)), stroke: '#4f5b54', size: 56 },
      ],
    });
    const plot = new uPlot(options(Math.max(240, element.clientWidth)), data, element);
    plotRef.current = plot;
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, element.clientWidth), height: 180 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [props.points, props.lines, props.unit, props.language, t, sources]);
  useEffect(() => {
    const plot = plotRef.current;
    if (plot === null) return;
    const end = last / 1000;
    plot.setScale('x', span === 'all' ? { min: first / 1000, max: end } : { min: end - spanSeconds[span], max: end });
  }, [span, first, last]);
  const spans = (['all', '5y', '1y', '3m'] as const).filter((s) => s === 'all' || history > spanSeconds[s]);
  return (
    <div className="vital-plot-block">
      {spans.length > 1 && (
        <div className="segmented" role="group" aria-label={t('chart.vital.span.label')}>
          {spans.map((s) => (
            <button key={s} type="button" className="button button--quiet" aria-pressed={span === s} onClick={() => setSpan(s)}>
              {t(spanKeys[s])}
            </button>
          ))}
        </div>
      )}
      <div className="vital-plot" ref={holder} aria-hidden="true" />
    </div>
  );
}
