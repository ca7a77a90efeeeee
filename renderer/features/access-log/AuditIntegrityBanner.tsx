import { useTranslation } from 'react-i18next';
import { useWorkspace } from '../../app/workspace-context';

/**
 * The trail's hash chain did not verify when the replica opened, or it no longer holds the head
 * anchored outside the page (its last events removed, or anchored ones rewritten): someone or
 * something changed the local access log. Care goes on, but IT must know, so it stays on screen while unlocked.
 */
export function AuditIntegrityBanner() {
  const { t } = useTranslation();
  const verdict = useWorkspace().auditIntegrity;
  if (verdict.intact) return null;
  return (
    <p className="alert alert--shell" role="alert">
      {t('accessLog.tampered', { entry: verdict.brokenAt, total: verdict.length })}
    </p>
  );
}
