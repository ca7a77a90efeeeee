import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import type { AllergyItem, MedicationItem } from '../chart/clinical-items';
import { NewTodo } from '../coordination/NewTodo';
import { NewReferral } from '../coordination/Referrals';
import { AllergyForm } from './AllergyForm';
import { MedicationOrderForm } from './MedicationOrderForm';
import { NoteForm } from './NoteForm';
import { ProblemForm } from './ProblemForm';
import { VitalSignsForm } from './VitalSignsForm';

/** Everything the clinician can record, offline or not; each entry is in the chart at once, pending. */
export function ChartingPanel({
  patient,
  language,
  deceased = false,
  medications,
  allergies,
}: Readonly<{ patient: string; language: Language; deceased?: boolean; medications: readonly MedicationItem[]; allergies: readonly AllergyItem[] }>) {
  const { t } = useTranslation();
  return (
    <div className="charting">
      <p className="hint">{t('charting.intro')}</p>
      <VitalSignsForm patient={patient} language={language} />
      <NoteForm patient={patient} language={language} />
      <AllergyForm patient={patient} language={language} />
      <ProblemForm patient={patient} language={language} />
      <MedicationOrderForm patient={patient} language={language} deceased={deceased} medications={medications} allergies={allergies} />
      <NewReferral patient={patient} />
      <NewTodo patient={patient} />
    </div>
  );
}
