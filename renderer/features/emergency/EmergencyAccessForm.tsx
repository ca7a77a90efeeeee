import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { minimumReasonLength } from '../../../shared/sync/break-the-glass';
import { useAppState } from '../../app/shell-context';
import { useRoute, useWorkspace } from '../../app/workspace-context';
import { breakTheGlass, checkRequest, problemKey, problemOf, type EmergencyProblem } from './emergency-access';
import { useUnsavedInput } from '../../app/unsaved-input';

/**
 * Emergency access ("break the glass") to a patient outside the panel: online only, since the HIE
 * decides and the patient's record must come from it. The reason is kept in both trails.
 */
export function EmergencyAccessForm({ onCancel }: Readonly<{ onCancel(): void }>) {
  const { t } = useTranslation();
  const online = useAppState((s) => s.online);
  const workspace = useWorkspace();
  const go = useRoute((s) => s.go);
  const id = useId();
  const [identifier, setIdentifier] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<EmergencyProblem | null>(null);
  useUnsavedInput(identifier.trim() !== '' || reason.trim() !== '');

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const invalid = online ? checkRequest(identifier, reason) : 'offline';
    setProblem(invalid);
    if (invalid !== null) return;
    setBusy(true);
    try {
      const patient = await breakTheGlass(workspace, identifier, reason);
      go({ screen: 'chart', patient, section: 'summary' });
    } catch (error: unknown) {
      setProblem(problemOf(error));
      setBusy(false);
    }
  };

  return (
    <form className="emergency" autoComplete="off" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)} noValidate>
      <h2 id={`${id}-title`}>{t('emergency.title')}</h2>
      <p>{t('emergency.intro')}</p>
      {!online && (
        <p className="notice" role="status">
          {t('emergency.needsNetwork')}
        </p>
      )}
      <fieldset disabled={!online || busy}>
        <div className="field">
          <label htmlFor={`${id}-identifier`}>{t('emergency.identifier')}</label>
          <input id={`${id}-identifier`} type="text" autoComplete="off" spellCheck={false} value={identifier} aria-describedby={`${id}-identifier-hint`} onChange={(e) => setIdentifier(e.target.value)} />
          <p id={`${id}-identifier-hint`} className="hint">
            {t('emergency.identifierHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('emergency.reason')}</label>
          <textarea id={`${id}-reason`} rows={3} value={reason} aria-describedby={`${id}-reason-hint`} onChange={(e) => setReason(e.target.value)} />
          <p id={`${id}-reason-hint`} className="hint">
            {t('emergency.reasonHint', { n: minimumReasonLength })}
          </p>
        </div>
        {problem !== null && (
          <p className="alert" role="alert">
            {t(problemKey[problem], { n: minimumReasonLength })}
          </p>
        )}
        {busy && <p role="status">{t('emergency.busy')}</p>}
        <div className="emergency__actions">
          <button type="submit" className="button button--danger">
            {t('emergency.submit')}
          </button>
          <button type="button" className="button button--quiet" onClick={onCancel}>
            {t('emergency.cancel')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}
