import { useTranslation } from 'react-i18next';
import { medicationKnowledge } from '../../../shared/medication/knowledge';
import type { MedicationItem } from '../chart/clinical-items';
import { ingredientsOf } from './patient-medications';

/** "Not checked": a medication the dictionary does not know (free text, or a code and name it cannot match) takes part in no check; it says so wherever it is listed. */
export function NotChecked({ medication }: Readonly<{ medication: MedicationItem }>) {
  const { t } = useTranslation();
  if (ingredientsOf(medicationKnowledge().base, medication).length > 0) return null;
  return (
    <span className="tag tag--pending" title={t('chart.medications.notCheckedHint')}>
      {t('chart.medications.notChecked')}
    </span>
  );
}
