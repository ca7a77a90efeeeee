import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Language } from '../../../shared/ipc/contract';
import { assertNever } from '../../app/assert-never';
import type { ChartSection } from '../../app/route-store';
import { useAppState } from '../../app/shell-context';
import { useReplicaRevision, useRoute, useWorkspace } from '../../app/workspace-context';
import type { ReplicaEntry } from '../../db/resource-docs';
import { ChartingPanel } from '../charting/ChartingPanel';
import { AllergyBanner } from './AllergyBanner';
import { sectionKey } from './chart-labels';
import { buildChart, type ChartModel } from './chart-model';
import { ChartHeader } from './ChartHeader';
import { ChartTabs } from './ChartTabs';
import { AllergiesSection } from './sections/AllergiesSection';
import { DocumentsSection } from './sections/DocumentsSection';
import { EncountersSection } from './sections/EncountersSection';
import { MedicationsSection } from './sections/MedicationsSection';
import { ProblemsSection } from './sections/ProblemsSection';
import { ResultsSection } from './sections/ResultsSection';
import { SummarySection } from './sections/SummarySection';
import { TimelineSection } from './sections/TimelineSection';

/**
 * One patient's chart. Re-read from the replica whenever it changes (a sync brought something, an
 * edit was saved), so a change made on the HIE appears here without a reload.
 */
export function ChartScreen({ patient, section }: Readonly<{ patient: string; section: ChartSection }>) {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const workspace = useWorkspace();
  const revision = useReplicaRevision();
  const go = useRoute((s) => s.go);
  const [entries, setEntries] = useState<readonly ReplicaEntry[] | null>(null);
  const [failed, setFailed] = useState(false);
  // In scope only through an emergency access: the header says so (the last sync's report knows).
  const emergency = useStore(workspace.emergency, (s) => s.patients.includes(patient));

  // BALP PatientRead: once per opening of the chart.
  useEffect(() => workspace.audit('chart-open', patient), [workspace, patient]);

  useEffect(() => {
    let current = true;
    workspace.replica
      .resourcesOfPatient(patient)
      .then((found) => {
        if (current) {
          setEntries(found);
          setFailed(false);
        }
      })
      .catch(() => {
        if (current) setFailed(true);
      });
    return () => {
      current = false;
    };
  }, [workspace, patient, revision]);

  const chart = useMemo(() => (entries === null ? null : buildChart(entries)), [entries]);
  if (failed) {
    return (
      <p className="alert" role="alert">
        {t('chart.loadFailed')}
      </p>
    );
  }
  if (chart === null) return <p role="status">{t('chart.loading')}</p>;
  if (chart.identity === null) {
    return (
      <p className="alert" role="alert">
        {t('chart.notFound')}
      </p>
    );
  }
  const select = (next: ChartSection): void => go({ screen: 'chart', patient, section: next });
  return (
    <article className="chart" aria-label={t('chart.label', { name: chart.identity.fullName })}>
      <ChartHeader identity={chart.identity} language={language} pending={chart.pending} emergency={emergency} onBack={() => go({ screen: 'patients' })} />
      <AllergyBanner allergies={chart.allergies} />
      {chart.unreadable > 0 && <p className="notice">{t('chart.unreadable', { n: chart.unreadable })}</p>}
      <ChartTabs current={section} onSelect={select} />
      <section id="chart-panel" className="chart__panel" role="tabpanel" aria-labelledby={`tab-${section}`} tabIndex={0}>
        <h2>{t(sectionKey[section])}</h2>
        <SectionBody section={section} chart={chart} patient={patient} language={language} />
      </section>
    </article>
  );
}

function SectionBody(props: Readonly<{ section: ChartSection; chart: ChartModel; patient: string; language: Language }>) {
  const { chart, language } = props;
  switch (props.section) {
    case 'summary':
      return <SummarySection chart={chart} language={language} />;
    case 'problems':
      return <ProblemsSection problems={chart.problems} language={language} />;
    case 'medications':
      return <MedicationsSection medications={chart.medications} language={language} />;
    case 'allergies':
      return <AllergiesSection allergies={chart.allergies} patient={props.patient} language={language} />;
    case 'results':
      return <ResultsSection labs={chart.labs} vitals={chart.vitals} language={language} />;
    case 'encounters':
      return <EncountersSection encounters={chart.encounters} appointments={chart.appointments} language={language} />;
    case 'documents':
      return <DocumentsSection documents={chart.documents} language={language} />;
    case 'timeline':
      return <TimelineSection timeline={chart.timeline} language={language} />;
    case 'charting':
      return <ChartingPanel patient={props.patient} language={language} />;
    default:
      return assertNever(props.section);
  }
}
