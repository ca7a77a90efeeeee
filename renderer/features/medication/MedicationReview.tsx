import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { isRecord, records, stringOf, type Record_ } from '../../../shared/fhir/fhir-text';
import { reviewMedications, type Alert } from '../../../shared/medication/checks';
import { implicatedBy } from '../../../shared/medication/detected-issue';
import { medicationKnowledge } from '../../../shared/medication/knowledge';
import type { AllergyItem, MedicationItem } from '../chart/clinical-items';
import { AlertList } from './AlertList';
import { allergyEntries, medicationEntries } from './patient-medications';

export type Override = Readonly<{ date: string | null; reason: string }>;

/** The DetectedIssue, if any, that records a clinician going past this alert: one that implicates everything the alert does. */
export function overrideOf(alert: Alert, issues: readonly Record_[]): Override | null {
  const wanted = implicatedBy(alert);
  for (const issue of issues) {
    const implicated = new Set(records(issue['implicated']).map((r) => stringOf(r['reference']) ?? ''));
    if (wanted.length > 0 && wanted.every((ref) => implicated.has(ref))) {
      const mitigation = records(issue['mitigation'])[0];
      const action = mitigation !== undefined && isRecord(mitigation['action']) ? mitigation['action'] : null;
      return { date: stringOf(mitigation?.['date']) ?? stringOf(issue['identifiedDateTime']), reason: stringOf(action?.['text']) ?? '' };
    }
  }
  return null;
}

/**
 * The medication review a chart opens with: the interactions, duplications and allergy conflicts
 * already present among the patient's current medications, from the replica, offline. What a
 * clinician already went past (a DetectedIssue in the record implicating the same items) is
 * listed as such, with its date and reason, and does not count as to review. Nothing is shown when
 * there is nothing to say; it opens by itself when something contraindicated or serious is left
 * to review, and stays a one-line summary otherwise.
 */
export function MedicationReview(
  props: Readonly<{ medications: readonly MedicationItem[]; allergies: readonly AllergyItem[]; detectedIssues: readonly Record_[]; language: Language }>,
) {
  const { medications, allergies, detectedIssues, language } = props;
  const { t } = useTranslation();
  const { open, gonePast } = useMemo(() => {
    const { base } = medicationKnowledge();
    const all = reviewMedications(base, medicationEntries(base, medications), allergyEntries(base, allergies));
    const withOverride = all.map((alert) => ({ alert, override: overrideOf(alert, detectedIssues) }));
    return { open: withOverride.filter((a) => a.override === null).map((a) => a.alert), gonePast: withOverride.filter((a) => a.override !== null) };
  }, [medications, allergies, detectedIssues]);
  if (open.length === 0 && gonePast.length === 0) return null;
  const urgent = open.filter((a) => a.severity !== 'caution').length;
  return (
    <details className={`med-review${urgent > 0 ? ' med-review--urgent' : ''}`} open={urgent > 0} data-testid="medication-review">
      <summary>
        {t('medication.review.summary', { count: open.length })}
        {urgent > 0 && <strong> — {t('medication.review.urgent', { count: urgent })}</strong>}
        {gonePast.length > 0 && <span> — {t('medication.review.gonePast', { count: gonePast.length })}</span>}
      </summary>
      {open.length > 0 && <AlertList alerts={open} language={language} label={t('medication.review.label')} />}
      {gonePast.length > 0 && (
        <AlertList alerts={gonePast.map((a) => a.alert)} overrides={gonePast.map((a) => a.override)} language={language} label={t('medication.review.gonePastLabel')} />
      )}
    </details>
  );
}
