import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../shared/ipc/contract';
import { useWorkspace } from '../../app/workspace-context';
import { Field } from './Field';
import { clinicalNote } from './record-builders';
import { useSaveEdits } from './save-edit';
import { SaveStatus } from './SaveStatus';
import { useUnsavedInput } from '../../app/unsaved-input';

/** A clinical note: a DocumentReference (progress note) holding the text as written. */
export function NoteForm({ patient, language }: Readonly<{ patient: string; language: Language }>) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const { outcome, save, reset } = useSaveEdits(patient);
  const [title, setTitle] = useState(() => t('charting.note.defaultTitle'));
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  useUnsavedInput(text.trim() !== '');
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setMissing(text.trim() === '');
    if (text.trim() === '') return;
    const now = new Date().toISOString();
    const resource = clinicalNote({ title: title.trim() || t('charting.note.defaultTitle'), text: text.trim(), language: language === 'fr' ? 'fr-FR' : 'en-GB' }, {
      patient,
      practitioner: workspace.owner.practitioner,
      now,
      newId: () => window.crypto.randomUUID(),
    });
    if (await save([{ op: 'create', resource }])) setText('');
  };
  return (
    <form className="charting-form" autoComplete="off" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="note-form-title">
      <h3 id="note-form-title">{t('charting.note.title')}</h3>
      <Field label={t('charting.note.heading')}>
        {({ id }) => <input id={id} value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label={t('charting.note.text')} error={missing ? t('charting.note.empty') : null}>
        {({ id, describedBy, invalid }) => (
          <textarea
            id={id}
            rows={6}
            value={text}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(e) => {
              reset();
              setText(e.target.value);
            }}
          />
        )}
      </Field>
      <button type="submit" className="button button--primary" disabled={outcome.kind === 'saving'}>
        {t('charting.note.save')}
      </button>
      <SaveStatus outcome={outcome} />
    </form>
  );
}
