import { useTranslation } from 'react-i18next';
import { useAppState } from './shell-context';

/** Always visible: whether the HIE can be reached at all, from the browser's real network state. */
export function NetworkIndicator() {
  const { t } = useTranslation();
  const online = useAppState((s) => s.online);
  return (
    <div className={`network network--${online ? 'online' : 'offline'}`} role="status" aria-live="polite">
      <span className="network__dot" aria-hidden="true" />
      <span>{online ? t('network.online') : t('network.offline')}</span>
    </div>
  );
}
