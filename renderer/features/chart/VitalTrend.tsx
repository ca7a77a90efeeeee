import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { formatNumber, unitLabel } from '../../i18n/format';
import { WhenText } from './ChartBits';
import { vitalKey } from './chart-labels';
import { formatWhen } from '../../i18n/format';
import type { VitalSeries } from './observations';
import { VitalTrendPlot, type PlotLine } from './VitalTrendPlot';

/**
 * One vital sign over time: the plot for the eye, and for everyone a caption summing it up (last
 * value, range over the period) and every measurement as a table.
 */
export function VitalTrend({ series, language }: Readonly<{ series: VitalSeries; language: Language }>) {
  const { t } = useTranslation();
  const captionId = useId();
  const last = series.points[series.points.length - 1];
  const unit = last ? unitLabel(last.unitCode, last.unit, language) : '';
  const lines: readonly PlotLine[] = useMemo(
    () =>
      series.kind === 'bloodPressure'
        ? [
            { label: t('chart.vital.systolic'), color: '#1f5c4a' },
            { label: t('chart.vital.diastolic'), color: '#1d4f86' },
          ]
        : [{ label: t(vitalKey[series.kind]), color: '#1f5c4a' }],
    [series.kind, t],
  );
  const homeCount = series.points.filter((p) => p.home).length;
  const show = (values: readonly number[]): string => values.map((v) => formatNumber(v, language, 1)).join('/');
  const all = series.points.flatMap((p) => p.values.slice(0, 1));
  const summary =
    last === undefined
      ? ''
      : t('chart.vital.summary', {
          last: `${show(last.values)} ${unit}`,
          when: formatWhen(last.when, language),
          n: series.points.length,
          min: formatNumber(Math.min(...all), language, 1),
          max: formatNumber(Math.max(...all), language, 1),
        });
  return (
    <figure className="vital-trend" aria-labelledby={captionId}>
      <figcaption id={captionId}>
        <strong>{t(vitalKey[series.kind])}</strong> — {summary}
        {homeCount > 0 && <> {t('chart.vital.homeCount', { count: homeCount })}</>}
        {last?.pending === true && <span className="tag tag--pending">{t('chart.pending')}</span>}
      </figcaption>
      <VitalTrendPlot points={series.points} lines={lines} unit={unit} language={language} />
      <details>
        <summary>{t('chart.vital.table', { name: t(vitalKey[series.kind]) })}</summary>
        <table className="data-table">
          <caption>{t(vitalKey[series.kind])}</caption>
          <thead>
            <tr>
              <th scope="col">{t('chart.results.date')}</th>
              <th scope="col">{t('chart.results.value')}</th>
            </tr>
          </thead>
          <tbody>
            {[...series.points].reverse().map((p) => (
              <tr key={p.ref} data-ref={p.ref}>
                <td>
                  <WhenText when={p.when} language={language} />
                </td>
                <td className="num">
                  {show(p.values)} {unitLabel(p.unitCode, p.unit, language)} {p.home && <span className="tag tag--info">{t('chart.vital.home')}</span>} {p.pending && <span className="tag tag--pending">{t('chart.pending')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
