import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { useWorkspace } from '../../app/workspace-context';
import { Field } from './Field';
import { medicationOrder } from './record-builders';
import { useSaveEdits } from './save-edit';
import { SaveStatus } from './SaveStatus';
import { medicines, suggestionFor } from './terminology';

/** A medication order (MedicationRequest, active, intent order) with its dosage instructions. */
/**
 * A medication order. For a patient recorded as deceased the order is refused until the clinician
 * confirms, in a checkbox that says so, that they mean to order for that patient.
 */
export function MedicationOrderForm({ patient, language, deceased = false }: Readonly<{ patient: string; language: Language; deceased?: boolean }>) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const listId = useId();
  const { outcome, save, reset } = useSaveEdits(patient);
  const [name, setName] = useState('');
  const [dosage, setDosage] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [confirmedDeceased, setConfirmedDeceased] = useState(false);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTried(true);
    if (name.trim() === '' || dosage.trim() === '') return;
    if (deceased && !confirmedDeceased) return;
    const resource = medicationOrder(
      { name, codings: suggestionFor(medicines, name)?.codings ?? [], dosage, note },
      { patient, practitioner: workspace.owner.practitioner, now: new Date().toISOString(), newId: () => window.crypto.randomUUID() },
    );
    if (await save([{ op: 'create', resource }])) {
      setTried(false);
      setName('');
      setDosage('');
      setNote('');
    }
  };
  return (
    <form className="charting-form" autoComplete="off" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="medication-form-title">
      <h3 id="medication-form-title">{t('charting.medication.title')}</h3>
      <div className="charting-form__grid">
        <Field label={t('charting.medication.name')} error={tried && name.trim() === '' ? t('charting.medication.missingName') : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} list={listId} value={name} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => { reset(); setName(e.target.value); }} />
          )}
        </Field>
        <datalist id={listId}>
          {medicines.map((m) => (
            <option key={m.en} value={language === 'fr' ? m.fr : m.en} />
          ))}
        </datalist>
        <Field label={t('charting.medication.dosage')} hint={t('charting.medication.dosageHint')} error={tried && dosage.trim() === '' ? t('charting.medication.missingDosage') : null}>
          {({ id, describedBy, invalid }) => <input id={id} value={dosage} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => setDosage(e.target.value)} />}
        </Field>
        <Field label={t('charting.medication.note')}>{({ id }) => <input id={id} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
      </div>
      {deceased && (
        <div className={`deceased-confirm${tried && !confirmedDeceased ? ' deceased-confirm--missing' : ''}`}>
          <p className="alert" role="alert">
            {t('charting.medication.deceasedWarning')}
          </p>
          <label>
            <input type="checkbox" checked={confirmedDeceased} onChange={(e) => setConfirmedDeceased(e.target.checked)} /> {t('charting.medication.deceasedConfirm')}
          </label>
        </div>
      )}
      <button type="submit" className="button button--primary" disabled={outcome.kind === 'saving'}>
        {t('charting.medication.save')}
      </button>
      <SaveStatus outcome={outcome} />
    </form>
  );
}
