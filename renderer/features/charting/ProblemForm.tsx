import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { useWorkspace } from '../../app/workspace-context';
import { Field } from './Field';
import { problemResource } from './record-builders';
import { useSaveEdits } from './save-edit';
import { SaveStatus } from './SaveStatus';
import { problems, suggestionFor } from './terminology';
import { useUnsavedInput } from '../../app/unsaved-input';

/** A problem on the problem list (Condition, active, confirmed). */
export function ProblemForm({ patient, language }: Readonly<{ patient: string; language: Language }>) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const listId = useId();
  const { outcome, save, reset } = useSaveEdits(patient);
  const [text, setText] = useState('');
  const [onset, setOnset] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  useUnsavedInput(text.trim() !== '' || onset !== '' || note.trim() !== '');
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setMissing(text.trim() === '');
    if (text.trim() === '') return;
    const coding = suggestionFor(problems, text)?.codings[0] ?? null;
    const resource = problemResource(
      { text, coding, onset: /^\d{4}-\d{2}-\d{2}$/.test(onset) ? onset : null, note },
      { patient, practitioner: workspace.owner.practitioner, now: new Date().toISOString().slice(0, 10), newId: () => window.crypto.randomUUID() },
    );
    if (await save([{ op: 'create', resource }])) {
      setText('');
      setOnset('');
      setNote('');
    }
  };
  return (
    <form className="charting-form" autoComplete="off" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="problem-form-title">
      <h3 id="problem-form-title">{t('charting.problem.title')}</h3>
      <div className="charting-form__grid">
        <Field label={t('charting.problem.text')} error={missing ? t('charting.problem.missing') : null}>
          {({ id, describedBy, invalid }) => (
            <input id={id} list={listId} value={text} aria-describedby={describedBy} aria-invalid={invalid || undefined} onChange={(e) => { reset(); setText(e.target.value); }} />
          )}
        </Field>
        <datalist id={listId}>
          {problems.map((p) => (
            <option key={p.en} value={language === 'fr' ? p.fr : p.en} />
          ))}
        </datalist>
        <Field label={t('charting.problem.onset')}>{({ id }) => <input id={id} type="date" value={onset} onChange={(e) => setOnset(e.target.value)} />}</Field>
        <Field label={t('charting.problem.note')}>{({ id }) => <input id={id} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
      </div>
      <button type="submit" className="button button--primary" disabled={outcome.kind === 'saving'}>
        {t('charting.problem.save')}
      </button>
      <SaveStatus outcome={outcome} />
    </form>
  );
}
