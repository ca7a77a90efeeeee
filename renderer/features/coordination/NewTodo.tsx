import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useCoordinationStore, useWorkspace } from '../../app/workspace-context';
import { loadCoordination } from './coordination-store';
import { useUnsavedInput } from '../../app/unsaved-input';

/** A to-do for this patient that the clinician keeps for themself: a Task they own, due on a day, shown on My day. */
export function NewTodo({ patient }: Readonly<{ patient: string }>) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const store = useCoordinationStore();
  const [what, setWhat] = useState('');
  const [due, setDue] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed' | 'missing'>('idle');
  useUnsavedInput(what.trim() !== '' || due !== '');
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (what.trim() === '' || !/^\d{4}-\d{2}-\d{2}$/.test(due)) return setState('missing');
    setState('saving');
    const me = workspace.owner.practitioner;
    const id = window.crypto.randomUUID();
    const task = {
      resourceType: 'Task', id, status: 'requested', intent: 'plan', priority: 'routine', description: what.trim(),
      for: { reference: patient }, authoredOn: new Date().toISOString(), requester: { reference: me }, owner: { reference: me },
      restriction: { period: { end: due } },
    };
    try {
      await workspace.saveEdit({ ref: `Task/${id}`, op: 'create', resource: task, patient });
      setState('saved');
      setWhat('');
      await loadCoordination(store, workspace.replica, new Date());
    } catch {
      setState('failed');
    }
  };
  return (
    <form className="coordination-form" autoComplete="off" onSubmit={(e) => void submit(e)} aria-labelledby="new-todo-title">
      <h2 id="new-todo-title">{t('day.newTodo')}</h2>
      <div className="field">
        <label htmlFor="todo-what">{t('day.todoWhat')}</label>
        <input id="todo-what" value={what} onChange={(e) => setWhat(e.target.value)} maxLength={300} />
      </div>
      <div className="field">
        <label htmlFor="todo-due">{t('day.todoDueLabel')}</label>
        <input id="todo-due" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </div>
      <button type="submit" className="button button--primary" disabled={state === 'saving'}>{t('day.todoSubmit')}</button>
      {state === 'saved' && <p className="saved" role="status">{t('day.todoSaved')}</p>}
      {state === 'failed' && <p className="alert" role="alert">{t('day.failed')}</p>}
      {state === 'missing' && <p className="alert" role="alert">{t('day.todoMissing')}</p>}
    </form>
  );
}
