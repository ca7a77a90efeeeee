import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import type { LabResult, VitalSeries } from '../observations';
import { VitalTrend } from '../VitalTrend';
import { LabTable } from './LabTable';

export function ResultsSection(props: Readonly<{ labs: readonly LabResult[]; vitals: readonly VitalSeries[]; language: Language }>) {
  const { t } = useTranslation();
  return (
    <>
      <h3>{t('chart.results.vitals')}</h3>
      {props.vitals.length === 0 ? (
        <p>{t('chart.results.noVitals')}</p>
      ) : (
        <div className="vital-grid">
          {props.vitals.map((series) => (
            <VitalTrend key={series.kind} series={series} language={props.language} />
          ))}
        </div>
      )}
      <h3>{t('chart.results.labs')}</h3>
      <LabTable labs={props.labs} language={props.language} />
    </>
  );
}
