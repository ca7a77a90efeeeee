import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { reviewMedications } from '../../../shared/medication/checks';
import { medicationKnowledge } from '../../../shared/medication/knowledge';
import type { AllergyItem, MedicationItem } from '../chart/clinical-items';
import { AlertList } from './AlertList';
import { allergyEntries, medicationEntries } from './patient-medications';

/**
 * The medication review a chart opens with: the interactions, duplications and allergy conflicts
 * already present among the patient's current medications, from the replica, offline. Nothing is
 * shown when there is nothing to say; it opens by itself when something is contraindicated or
 * serious, and stays a one-line summary for cautions.
 */
export function MedicationReview({ medications, allergies, language }: Readonly<{ medications: readonly MedicationItem[]; allergies: readonly AllergyItem[]; language: Language }>) {
  const { t } = useTranslation();
  const alerts = useMemo(() => {
    const { base } = medicationKnowledge();
    return reviewMedications(base, medicationEntries(base, medications), allergyEntries(base, allergies));
  }, [medications, allergies]);
  if (alerts.length === 0) return null;
  const urgent = alerts.filter((a) => a.severity !== 'caution').length;
  return (
    <details className={`med-review${urgent > 0 ? ' med-review--urgent' : ''}`} open={urgent > 0} data-testid="medication-review">
      <summary>
        {t('medication.review.summary', { count: alerts.length })}
        {urgent > 0 && <strong> — {t('medication.review.urgent', { count: urgent })}</strong>}
      </summary>
      <AlertList alerts={alerts} language={language} label={t('medication.review.label')} />
    </details>
  );
}
