import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatNumber, unitLabel } from '../../../i18n/format';
import { dosageLines } from '../../record/dosage-text';
import { NotChecked } from '../../medication/NotChecked';
import { NoneRecorded, WhenText } from '../ChartBits';
import { vitalKey } from '../chart-labels';
import { activeMedication, activeProblem, type ChartModel } from '../chart-model';
import { SyncBadge } from '../SyncBadge';
import { isUpcoming } from './EncountersSection';

/** The chart at a glance: active problems and medicines, latest vitals, next appointment, last documents. */
export function SummarySection({ chart, language }: Readonly<{ chart: ChartModel; language: Language }>) {
  const { t } = useTranslation();
  const problems = chart.problems.filter(activeProblem);
  const medications = chart.medications.filter(activeMedication);
  const now = Date.now();
  const next = chart.appointments.find((a) => isUpcoming(a, now));
  const anyVital = chart.results.some((r) => r.group === 'vital-signs');
  return (
    <div className="summary-grid">
      <section className="card" aria-labelledby="summary-problems">
        <h3 id="summary-problems">{t('chart.summary.activeProblems')}</h3>
        {chart.problems.length === 0 ? (
          <NoneRecorded kind="problems">{t('chart.problems.none')}</NoneRecorded>
        ) : problems.length === 0 ? (
          <p>{t('chart.summary.noActiveProblem', { count: chart.problems.length })}</p>
        ) : (
          <ul className="plain-list">
            {problems.map((p) => (
              <li key={p.ref}>
                {p.text} <SyncBadge state={p.syncState} itemRef={p.ref} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="summary-medications">
        <h3 id="summary-medications">{t('chart.summary.activeMedications')}</h3>
        {chart.medications.length === 0 ? (
          <NoneRecorded kind="medications">{t('chart.medications.none')}</NoneRecorded>
        ) : medications.length === 0 ? (
          <p>{t('chart.summary.noCurrentMedication', { count: chart.medications.length })}</p>
        ) : (
          <ul className="plain-list">
            {medications.map((m) => {
              const lines = dosageLines(m.resource, language, (key, options) => t(key, { ...options }));
              return (
                <li key={m.ref}>
                  <strong>{m.name || t('chart.medications.unresolved', { reference: m.unresolvedReference ?? '' })}</strong> {lines.length > 0 && <span className="hint">— {lines.join(' ; ')}</span>} <NotChecked medication={m} /> <SyncBadge state={m.syncState} itemRef={m.ref} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="summary-vitals">
        <h3 id="summary-vitals">{t('chart.summary.latestVitals')}</h3>
        {!anyVital && chart.vitals.length === 0 ? (
          <NoneRecorded kind="vitals">{t('chart.results.noVitals')}</NoneRecorded>
        ) : chart.vitals.length === 0 ? (
          <p>{t('chart.summary.noVitalValue')}</p>
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
                    <span className="hint">
                      (<WhenText when={last.when} language={language} />)
                    </span>{' '}
                    {last.pending && <span className="tag tag--pending">{t('chart.pending')}</span>}
                  </dd>
                </div>
              );
            })}
          </dl>
        )}
      </section>
      <section className="card" aria-labelledby="summary-next">
        <h3 id="summary-next">{t('chart.summary.nextAppointment')}</h3>
        {next ? (
          <p>
            <WhenText when={next.when} language={language} /> — {next.description}
          </p>
        ) : (
          <NoneRecorded kind="appointments-upcoming">{t('chart.encounters.noUpcoming')}</NoneRecorded>
        )}
        <h3>{t('chart.summary.lastDocuments')}</h3>
        {chart.documents.length === 0 ? (
          <NoneRecorded kind="documents">{t('chart.documents.none')}</NoneRecorded>
        ) : (
          <ul className="plain-list">
            {chart.documents.slice(0, 3).map((d) => (
              <li key={d.ref}>
                {d.title} <span className="hint">(<WhenText when={d.when} language={language} />)</span> <SyncBadge state={d.syncState} itemRef={d.ref} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
