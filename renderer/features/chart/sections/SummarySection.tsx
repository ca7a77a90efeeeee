import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDateTime, formatNumber, unitLabel } from '../../../i18n/format';
import { vitalKey } from '../chart-labels';
import { activeMedication, activeProblem, type ChartModel } from '../chart-model';
import { SyncBadge } from '../SyncBadge';

/** The chart at a glance: active problems and medicines, latest vitals, next appointment, last documents. */
export function SummarySection({ chart, language }: Readonly<{ chart: ChartModel; language: Language }>) {
  const { t } = useTranslation();
  const problems = chart.problems.filter(activeProblem);
  const medications = chart.medications.filter(activeMedication);
  const next = chart.appointments.find((a) => a.start !== null && Date.parse(a.start) >= Date.now());
  return (
    <div className="summary-grid">
      <section className="card" aria-labelledby="summary-problems">
        <h3 id="summary-problems">{t('chart.summary.activeProblems')}</h3>
        {problems.length === 0 ? (
          <p>{t('chart.problems.none')}</p>
        ) : (
          <ul className="plain-list">
            {problems.map((p) => (
              <li key={p.ref}>
                {p.text} <SyncBadge state={p.syncState} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="summary-medications">
        <h3 id="summary-medications">{t('chart.summary.activeMedications')}</h3>
        {medications.length === 0 ? (
          <p>{t('chart.medications.none')}</p>
        ) : (
          <ul className="plain-list">
            {medications.map((m) => (
              <li key={m.ref}>
                <strong>{m.name}</strong> {m.dosage !== '' && <span className="hint">— {m.dosage}</span>} <SyncBadge state={m.syncState} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="summary-vitals">
        <h3 id="summary-vitals">{t('chart.summary.latestVitals')}</h3>
        {chart.vitals.length === 0 ? (
          <p>{t('chart.results.noVitals')}</p>
        ) : (
          <dl className="facts">
            {chart.vitals.map((series) => {
              const last = series.points[series.points.length - 1];
              if (last === undefined) return null;
              return (
                <div key={series.kind}>
                  <dt>{t(vitalKey[series.kind])}</dt>
                  <dd>
                    {last.values.map((v) => formatNumber(v, language, 1)).join('/')} {unitLabel(last.unitCode, last.unit, language)}{' '}
                    <span className="hint">({formatDateTime(last.when, language)})</span> {last.pending && <span className="tag tag--pending">{t('chart.pending')}</span>}
                  </dd>
                </div>
              );
            })}
          </dl>
        )}
      </section>
      <section className="card" aria-labelledby="summary-next">
        <h3 id="summary-next">{t('chart.summary.nextAppointment')}</h3>
        <p>{next ? `${formatDateTime(next.start, language)} — ${next.description}` : t('chart.encounters.noUpcoming')}</p>
        <h3>{t('chart.summary.lastDocuments')}</h3>
        {chart.documents.length === 0 ? (
          <p>{t('chart.documents.none')}</p>
        ) : (
          <ul className="plain-list">
            {chart.documents.slice(0, 3).map((d) => (
              <li key={d.ref}>
                {d.title} <span className="hint">({formatDateTime(d.date, language)})</span> <SyncBadge state={d.syncState} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
