import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession, useSessionController } from './session-context';
import { useAppState } from './shell-context';

/** Lock now, and after how many idle minutes the screen locks by itself. */
export function LockControls() {
  const { t } = useTranslation();
  const controller = useSessionController();
  const minutes = useSession((s) => s.idleMinutes);
  // The times IT allows (policy `idleLockMaxMinutes`).
  const choices = useAppState((s) => s.idleChoices);
  const id = useId();
  return (
    <div className="lock-controls">
      <label htmlFor={id}>{t('lock.after')}</label>
      <select id={id} value={minutes} onChange={(e) => controller.setIdleMinutes(Number(e.target.value))}>
        {choices.map((m) => (
          <option key={m} value={m}>
            {t('lock.minutes', { minutes: m })}
          </option>
        ))}
      </select>
      <button type="button" className="button" onClick={() => void controller.lock('manual')}>
        {t('lock.now')}
      </button>
    </div>
  );
}
