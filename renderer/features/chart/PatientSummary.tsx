import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { buildIps, type IpsSummary } from '../../../shared/exchange/ips';
import { sourcedForIps, type SourceRecords } from '../../../shared/exchange/ips-sources';
import type { PatientIdentity } from '../../../shared/clinical/patient-identity';
import type { Record_ } from '../../../shared/fhir/fhir-text';
import type { Language } from '../../../shared/ipc/contract';
import { useWorkspace } from '../../app/workspace-context';
import type { ReplicaEntry } from '../../db/resource-docs';
import { formatDate, formatDateTime, formatWhen } from '../../i18n/format';
import { safeFileName } from '../coordination/attachments';
import { SexText } from '../record/IdentityText';

type Props = Readonly<{
  patient: string;
  entries: readonly ReplicaEntry[];
  medications: ReadonlyMap<string, Record_>;
  /** What the chart shows of other FHIR sources (their records marked with where they came from). */
  others: readonly SourceRecords[];
  identity: PatientIdentity;
  language: Language;
}>;

const uuid = (): string => crypto.randomUUID();

/**
 * The patient summary from what the replicas hold (offline): an IPS document, and its printable
 * form; the other sources' records the chart shows join it, each marked with its source.
 */
function summaryOf(props: Props, author: Readonly<{ reference: string; display?: string }>, fhirBase: string): IpsSummary | null {
  const resources = props.entries.flatMap((e) => (e.resource === null ? [] : [e.resource as Record_]));
  const patient = resources.find((r) => r['resourceType'] === 'Patient' && `Patient/${String(r['id'])}` === props.patient);
  if (patient === undefined) return null;
  const others = sourcedForIps(props.patient, props.others, uuid);
  return buildIps({
    patient,
    resources: [...resources, ...others.resources],
    referenced: new Map([...props.medications, ...others.referenced]),
    author,
    fhirBase,
    now: new Date(),
    language: props.language,
    uuid,
    sources: others.sources,
  });
}

/**
 * "Save the summary" (an HL7 IPS document as a .json file) and "Print the summary" (the same
 * sections on paper or print-to-PDF, the patient's identity at the top of every page). Both work
 * offline, and both are data leaving the app: each is written to the audit trail (BALP Export)
 * before anything leaves, and nothing leaves if the trail could not record it. The printed form
 * exists only between an audited "Print" and the browser's `afterprint`; printing the page
 * otherwise prints the screen as it is.
 */
export function PatientSummaryActions(props: Props) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const author = useMemo(() => ({ reference: workspace.owner.practitioner }), [workspace]);
  const [said, setSaid] = useState<Readonly<{ kind: 'saved'; file: string; gaps: number } | { kind: 'failed' }> | null>(null);
  // Counts the attempts, so that a second failure is a new sentence (and a test can tell them apart).
  const [attempt, setAttempt] = useState(0);
  // The printable form is in the page only from an audited "Print" until the browser has printed.
  const [printable, setPrintable] = useState<IpsSummary | null>(null);
  useEffect(() => {
    if (printable === null) return;
    const done = (): void => setPrintable(null);
    window.addEventListener('afterprint', done);
    window.print();
    return () => window.removeEventListener('afterprint', done);
  }, [printable]);

  const save = async (): Promise<void> => {
    setSaid(null);
    setAttempt((n) => n + 1);
    try {
      await workspace.audit('export', props.patient);
      const summary = summaryOf(props, author, workspace.owner.fhirBase);
      if (summary === null) throw new Error('no patient');
      const day = new Date().toISOString().slice(0, 10);
      const file = safeFileName(`IPS ${props.identity.fullName || props.patient.replace('/', ' ')} ${day}.json`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(summary.bundle, null, 2)], { type: 'application/fhir+json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = file;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setSaid({ kind: 'saved', file, gaps: summary.gaps.length });
    } catch {
      setSaid({ kind: 'failed' });
    }
  };

  const print = async (): Promise<void> => {
    setSaid(null);
    setAttempt((n) => n + 1);
    try {
      await workspace.audit('export', props.patient);
      const summary = summaryOf(props, author, workspace.owner.fhirBase);
      if (summary === null) throw new Error('no patient');
      setPrintable(summary);
    } catch {
      setSaid({ kind: 'failed' });
    }
  };

  return (
    <div className="summary-actions" role="group" aria-label={t('chart.patientSummary.actions')}>
      <button type="button" className="button" onClick={() => void save()}>
        {t('chart.patientSummary.save')}
      </button>
      <button type="button" className="button" onClick={() => void print()}>
        {t('chart.patientSummary.print')}
      </button>
      {said?.kind === 'saved' && (
        <p role="status">
          {t('chart.patientSummary.saved', { file: said.file })}
          {said.gaps > 0 && <> {t('chart.patientSummary.gaps', { count: said.gaps })}</>}
        </p>
      )}
      {said?.kind === 'failed' && (
        <p className="alert" role="alert" data-attempt={attempt}>
          {t('chart.patientSummary.failed')}
        </p>
      )}
      {printable !== null && createPortal(<PrintableSummary summary={printable} identity={props.identity} language={props.language} />, document.body)}
    </div>
  );
}

/**
 * The printed summary: one table whose header row (the patient's name, birth date, sex and
 * identifiers) the browser repeats at the top of every printed page; one body row a section.
 * Hidden on screen; in print, the only thing shown (styles.css, `@media print`).
 */
function PrintableSummary(props: Readonly<{ summary: IpsSummary; identity: PatientIdentity; language: Language }>) {
  const { t } = useTranslation();
  const { identity, language, summary } = props;
  const made = formatDateTime(String(summary.bundle['timestamp']), language);
  return (
    <div className="print-summary" data-testid="print-summary">
      <table role="presentation">
        <thead>
          <tr>
            <td>
              <p className="print-summary__identity">
                <strong>{identity.fullName || t('patients.unnamed')}</strong>
                {identity.birthDate !== null && <> · {t('patients.born', { date: formatDate(identity.birthDate, language) })}</>}
                {' · '}
                <SexText sex={identity.sex} />
                {identity.identifiers.map((id) => (
                  <span key={`${id.label}-${id.value}`}>
                    {' · '}
                    {id.label} {id.value}
                  </span>
                ))}
                {identity.deceased !== null && (
                  <>
                    {' · '}
                    {identity.deceased.when !== null ? t('chart.deceased.on', { date: formatWhen(identity.deceased.when, language, true) }) : t('chart.deceased.undated')}
                  </>
                )}
              </p>
            </td>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>
              <h1>{t('chart.patientSummary.title')}</h1>
              <p>{t('chart.patientSummary.made', { date: made })}</p>
            </td>
          </tr>
          {summary.sections.map((section) => (
            <tr key={section.key}>
              <td>
                <h2>{section.title}</h2>
                <ul>
                  {section.lines.map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
