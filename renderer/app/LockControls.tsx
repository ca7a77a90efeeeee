import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { idleMinuteChoices } from '../features/unlock/idle-lock';
import { useSession, useSessionController } from './session-context';

/** Lock now, and after how many idle minutes the screen locks by itself. */
export function LockControls() {
  const { t } = useTranslation();
  const controller = useSessionController();
  const minutes = useSession((s) => s.idleMinutes);
  const id = useId();
  return (
    <div className="lock-controls">
      <label htmlFor={id}>{t('lock.after')}</label>
      <select id={id} value={minutes} onChange={(e) => controller.setIdleMinutes(Number(e.target.value))}>
        {idleMinuteChoices.map((m) => (
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
