import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { AllergyForm } from './AllergyForm';
import { MedicationOrderForm } from './MedicationOrderForm';
import { NoteForm } from './NoteForm';
import { ProblemForm } from './ProblemForm';
import { VitalSignsForm } from './VitalSignsForm';

/** Everything the clinician can record, offline or not; each entry is in the chart at once, pending. */
export function ChartingPanel({ patient, language, deceased = false }: Readonly<{ patient: string; language: Language; deceased?: boolean }>) {
  const { t } = useTranslation();
  return (
    <div className="charting">
      <p className="hint">{t('charting.intro')}</p>
      <VitalSignsForm patient={patient} language={language} />
      <NoteForm patient={patient} language={language} />
      <AllergyForm patient={patient} language={language} />
      <ProblemForm patient={patient} language={language} />
      <MedicationOrderForm patient={patient} language={language} deceased={deceased} />
    </div>
  );
}
