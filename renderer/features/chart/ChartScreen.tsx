import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { OtherSourceView } from '../../app/other-sources';
import type { Language } from '../../../shared/ipc/contract';
import { assertNever } from '../../app/assert-never';
import type { ChartSection } from '../../app/route-store';
import { useAppState } from '../../app/shell-context';
import { useOtherSources, useReplicaRevision, useRoute, useWorkspace } from '../../app/workspace-context';
import { defaultIdentifierPriority } from '../../../shared/clinical/patient-identity';
import type { ReplicaEntry } from '../../db/resource-docs';
import { ChartingPanel } from '../charting/ChartingPanel';
import { MedicationReview } from '../medication/MedicationReview';
import type { Record_ } from '../../../shared/fhir/fhir-text';
import { AllergyBanner } from './AllergyBanner';
import { sectionKey } from './chart-labels';
import { buildChart, type ChartModel } from './chart-model';
import { ChartHeader } from './ChartHeader';
import { ChartTabs } from './ChartTabs';
import { PatientSummaryActions } from './PatientSummary';
import { OriginsContext } from './Origin';
import { DocumentImport } from './DocumentImport';
import { AllergiesSection } from './sections/AllergiesSection';
import { CarePlansSection } from './sections/CarePlansSection';
import { DocumentsSection } from './sections/DocumentsSection';
import { EncountersSection } from './sections/EncountersSection';
import { MedicationsSection } from './sections/MedicationsSection';
import { OtherSection } from './sections/OtherSection';
import { ImmunizationsSection, ProceduresSection } from './sections/ProceduresSection';
import { ProblemsSection } from './sections/ProblemsSection';
import { ResultsSection } from './sections/ResultsSection';
import { SummarySection } from './sections/SummarySection';
import { TimelineSection } from './sections/TimelineSection';
import { mergeSourceEntries, sourcedRef, type SourcedEntry } from './chart-sources';
import type { SourceRecords } from '../../../shared/exchange/ips-sources';
import { referencedMedications, sourcesMedications } from './chart-medications';
import { recordsFromOtherSources, type SourceNote } from './other-source-records';
import { ChartSourcesContext, chartSourcesOf, type ChartSources } from './SourceTags';

/**
 * `entries`: the primary replica's; `sourced`: those and, when other sources are open, the linked
 * patient's records there (chart-sources.ts), which the chart shows; `notes`: what the clinician
 * must know of each link; `linked`: each other source's base and its refs of this patient (the
 * patient summary carries what the chart shows of that source, ips-sources.ts).
 */
type Loaded = Readonly<{
  entries: readonly ReplicaEntry[];
  medications: ReadonlyMap<string, Record_>;
  sourced: readonly SourcedEntry[];
  notes: readonly SourceNote[];
  linked: readonly Readonly<{ source: string; fhirBase: string; patients: readonly string[] }>[];
}>;

/**
 * One patient's chart. Re-read from the replica whenever it changes (a sync brought something, an
 * edit was saved), so a change made on the HIE appears here without a reload.
 */
export function ChartScreen({ patient, section }: Readonly<{ patient: string; section: ChartSection }>) {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const identifierPriority = useAppState((s) => s.identifierPriority);
  const linkSystems = useAppState((s) => s.linkIdentifierSystems);
  const workspace = useWorkspace();
  const revision = useReplicaRevision();
  const otherSources = useOtherSources();
  // The other sources' replicas, re-read when one opens or its sync moves on.
  const sourceViews = useStore(otherSources?.views ?? emptySources, (s) => s.sources);
  const sourcesKey = sourceViews.map((v) => `${v.id}:${v.state}:${v.revision}`).join('|');
  const labels = useMemo(() => new Map(sourceViews.map((v) => [v.id, v.label])), [sourceViews]);
  const go = useRoute((s) => s.go);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failed, setFailed] = useState(false);
  // In scope only through an emergency access: the header says so (the last sync's report knows).
  const emergency = useStore(workspace.emergency, (s) => s.patients.includes(patient));

  // BALP PatientRead: once per opening of the chart, committed before the chart shows. An access
  // the trail could not record is not made: the record stays closed and the clinician is told.
  const [audited, setAudited] = useState<'pending' | 'done' | 'failed'>('pending');
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let current = true;
    setAudited('pending');
    workspace.audit('chart-open', patient).then(
      () => current && setAudited('done'),
      () => current && setAudited('failed'),
    );
    return () => {
      current = false;
    };
  }, [workspace, patient, attempt]);

  useEffect(() => {
    let current = true;
    (async () => {
      const entries = await workspace.replica.resourcesOfPatient(patient);
      const medications = await referencedMedications(entries, workspace.replica);
      const open = otherSources === null ? [] : [...otherSources.workspaces()].map(([id, other]) => ({ id, replica: other.replica }));
      if (open.length === 0) return { entries, medications, sourced: mergeSourceEntries(entries, []), notes: [], linked: [] };
      const own = entries.find((entry) => entry.ref === patient)?.resource ?? null;
      const others = await recordsFromOtherSources(own, open, linkSystems);
      // Another source's prescriptions name that source's Medications, read there and keyed by source.
      const all = new Map([...medications, ...(await sourcesMedications(others.entries, open))]);
      const linked = others.entries.map(({ source, entries: theirs }) => ({
        source,
        fhirBase: otherSources?.workspaces().get(source)?.owner.fhirBase ?? '',
        patients: theirs.filter((entry) => entry.resource?.resourceType === 'Patient').map((entry) => entry.ref),
      }));
      return { entries, medications: all, sourced: mergeSourceEntries(entries, others.entries), notes: others.notes, linked };
    })()
      .then((found) => {
        if (current) {
          setLoaded(found);
          setFailed(false);
        }
      })
      .catch(() => {
        if (current) setFailed(true);
      });
    return () => {
      current = false;
    };
  }, [workspace, patient, revision, otherSources, sourcesKey, linkSystems]);

  const sources = useMemo<ChartSources>(() => chartSourcesOf(loaded?.sourced ?? [], labels), [loaded, labels]);
  const summarySources = useMemo(() => (loaded === null ? [] : summarySourcesOf(loaded, labels)), [loaded, labels]);
  const chart = useMemo(() => (loaded === null ? null : buildChart(loaded.sourced, { medications: loaded.medications, identifierPriority, fhirBase: workspace.owner.fhirBase })), [loaded, identifierPriority, workspace]);
  const detectedIssues = useMemo(() => (chart === null ? [] : chart.others.filter((o) => o.resource.resourceType === 'DetectedIssue').map((o) => o.resource as Record<string, unknown>)), [chart]);
  if (audited === 'failed') {
    return (
      <div className="alert" role="alert">
        <p>{t('chart.auditFailed')}</p>
        <button type="button" className="button" onClick={() => setAttempt((n) => n + 1)}>
          {t('chart.auditRetry')}
        </button>
      </div>
    );
  }
  if (failed) {
    return (
      <p className="alert" role="alert">
        {t('chart.loadFailed')}
      </p>
    );
  }
  if (chart === null || audited === 'pending') return <p role="status">{t('chart.loading')}</p>;
  if (chart.identity === null) {
    return (
      <p className="alert" role="alert">
        {t('chart.notFound')}
      </p>
    );
  }
  const select = (next: ChartSection): void => go({ screen: 'chart', patient, section: next });
  const label = chart.identity.deceased !== null ? t('chart.labelDeceased', { name: chart.identity.fullName }) : t('chart.label', { name: chart.identity.fullName });
  return (
    <article className="chart" aria-label={label}>
      <ChartHeader identity={chart.identity} language={language} pending={chart.pending} emergency={emergency} onBack={() => go({ screen: 'patients' })} />
      <ChartSourcesContext.Provider value={sources}>
      {loaded !== null && loaded.notes.length > 0 && <SourceNotes notes={loaded.notes} labels={labels} />}
      <AllergyBanner allergies={chart.allergies} />
      <MedicationReview medications={chart.medications} allergies={chart.allergies} detectedIssues={detectedIssues} language={language} />
      {chart.unreadable > 0 && <p className="notice">{t('chart.unreadable', { n: chart.unreadable })}</p>}
      <div className="chart__actions">
        <button type="button" className="button" onClick={() => go({ screen: 'messages', patient })}>
          {t('messages.forPatient', { name: chart.identity.fullName })}
        </button>
        {loaded !== null && <PatientSummaryActions patient={patient} entries={loaded.entries} medications={loaded.medications} others={summarySources} identity={chart.identity} language={language} />}
        <DocumentImport patient={patient} language={language} />
      </div>
      <ChartTabs current={section} onSelect={select} />
      <section id="chart-panel" className="chart__panel" role="tabpanel" aria-labelledby={`tab-${section}`} tabIndex={0}>
        <h2>{t(sectionKey[section])}</h2>
        <OriginsContext.Provider value={chart.origins}>
          <SectionBody section={section} chart={chart} patient={patient} language={language} openOther={() => select('other')} />
        </OriginsContext.Provider>
      </section>
      </ChartSourcesContext.Provider>
    </article>
  );
}

const emptySources = createStore<Readonly<{ sources: readonly OtherSourceView[] }>>()(() => ({ sources: [] }));

/** A link's identifier as a clinician reads it: its label (INS, NHS…) and value, not `system|value`. */
function identifierText(by: string): string {
  const at = by.indexOf('|');
  const system = at === -1 ? '' : by.slice(0, at);
  const value = at === -1 ? by : by.slice(at + 1);
  const label = defaultIdentifierPriority.find((rule) => rule.system === system)?.label ?? system;
  return `${label} ${value}`;
}

/** What the clinician must know of each other source's link to this patient (sources.ts): joined by what, or why not. */
/** What the chart shows of each other source, for the patient summary: its records not already the HIE's, and the Medications they name (keyed there). */
function summarySourcesOf(loaded: Loaded, labels: ReadonlyMap<string, string>): SourceRecords[] {
  return loaded.linked.flatMap(({ source, fhirBase, patients }) => {
    if (fhirBase === '') return [];
    const prefix = sourcedRef(source, '');
    const medications = new Map([...loaded.medications].filter(([key]) => key.startsWith(prefix)).map(([key, medication]) => [key.slice(prefix.length), medication]));
    const resources = loaded.sourced.filter((entry) => entry.source === source && entry.resource !== null).map((entry) => entry.resource as unknown as Record_);
    return [{ source: { id: source, label: labels.get(source) ?? source, fhirBase }, patients, resources, medications }];
  });
}

function SourceNotes({ notes, labels }: Readonly<{ notes: readonly SourceNote[]; labels: ReadonlyMap<string, string> }>) {
  const { t } = useTranslation();
  return (
    <ul className="source-notes" aria-label={t('sources.label')}>
      {notes.map((note) => {
        const source = labels.get(note.source) ?? note.source;
        switch (note.kind) {
          case 'linked':
            return note.fields.length === 0 ? (
              <li key={note.source} className="hint" data-link={note.source}>
                {t('sources.chart.linked', { source, by: identifierText(note.by) })}
              </li>
            ) : (
              <li key={note.source} className="notice" role="alert" data-link={note.source}>
                {t('sources.chart.differences', { source, by: identifierText(note.by), fields: note.fields.map((f) => t(`import.identity.${f}`, { system: '' })).join(', ') })}
              </li>
            );
          case 'disagree':
            return (
              <li key={note.source} className="alert" role="alert" data-link={note.source}>
                {t('sources.chart.disagree', { source, system: note.system === null ? '' : (defaultIdentifierPriority.find((rule) => rule.system === note.system)?.label ?? note.system) })}
              </li>
            );
          case 'several':
            return (
              <li key={note.source} className="alert" role="alert" data-link={note.source}>
                {t('sources.chart.several', { source, by: identifierText(note.by) })}
              </li>
            );
          case 'failed':
            return (
              <li key={note.source} className="notice" role="alert" data-link={note.source}>
                {t('sources.chart.failed', { source })}
              </li>
            );
          default:
            return assertNever(note);
        }
      })}
    </ul>
  );
}

function SectionBody(props: Readonly<{ section: ChartSection; chart: ChartModel; patient: string; language: Language; openOther(): void }>) {
  const { chart, language, openOther } = props;
  const unread = chart.unreadAs;
  switch (props.section) {
    case 'summary':
      return <SummarySection chart={chart} language={language} />;
    case 'problems':
      return <ProblemsSection problems={chart.problems} language={language} unread={unread.problems} onOpenOther={openOther} />;
    case 'medications':
      return <MedicationsSection medications={chart.medications} language={language} unread={unread.medications} onOpenOther={openOther} />;
    case 'allergies':
      return <AllergiesSection allergies={chart.allergies} patient={props.patient} language={language} unread={unread.allergies} onOpenOther={openOther} />;
    case 'results':
      return <ResultsSection patient={props.patient} results={chart.results} vitals={chart.vitals} reports={chart.reports} imaging={chart.imaging} language={language} unread={unread.results} onOpenOther={openOther} />;
    case 'procedures':
      return <ProceduresSection procedures={chart.procedures} language={language} unread={unread.procedures} onOpenOther={openOther} />;
    case 'immunizations':
      return <ImmunizationsSection immunizations={chart.immunizations} language={language} unread={unread.immunizations} onOpenOther={openOther} />;
    case 'encounters':
      return <EncountersSection encounters={chart.encounters} appointments={chart.appointments} episodes={chart.episodes} language={language} />;
    case 'careplans':
      return <CarePlansSection carePlans={chart.carePlans} goals={chart.goals} careTeams={chart.careTeams} requests={chart.requests} language={language} />;
    case 'documents':
      return <DocumentsSection documents={chart.documents} imports={chart.imports} language={language} />;
    case 'other':
      return <OtherSection devices={chart.devices} familyHistory={chart.familyHistory} others={chart.others} language={language} />;
    case 'timeline':
      return <TimelineSection timeline={chart.timeline} language={language} medications={chart.medications} />;
    case 'charting':
      return <ChartingPanel patient={props.patient} language={language} deceased={chart.identity?.deceased != null} medications={chart.medications} allergies={chart.allergies} />;
    default:
      return assertNever(props.section);
  }
}
