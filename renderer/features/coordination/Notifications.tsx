import { useTranslation } from 'react-i18next';
import type { Coordination, Notification } from '../../../shared/clinical/coordination';
import { parseWhen } from '../../../shared/fhir/fhir-when';
import { useCoordination, useCoordinationStore, useRoute, useWorkspace } from '../../app/workspace-context';
import { useAppState } from '../../app/shell-context';
import { formatWhen } from '../../i18n/format';
import { CoordinationPending, markSeen } from './coordination-store';
import { referralStateKey } from './Referrals';

/** Where a notification's "View" leads: the thread of the message, or the referrals. */
function threadOf(model: Coordination, ref: string): string | null {
  return model.threads.find((th) => th.messages.some((m) => m.ref === ref))?.id ?? null;
}

/**
 * What is new for my patients since I last looked, counted in the shell: a message to me, a
 * referral I sent that moved on (accepted, answered, declined), a referral sent to me, an
 * abnormal result received after the first sync. Marked
 * read one by one or all at once (the marks are sealed in the replica). Nothing of it exists
 * while locked: the workspace and its stores are gone.
 */
export function Notifications() {
  const { t } = useTranslation();
  const language = useAppState((s) => s.language);
  const model = useCoordination((s) => s.model);
  const store = useCoordinationStore();
  const workspace = useWorkspace();
  const go = useRoute((s) => s.go);
  if (model === null) return <CoordinationPending />;
  const patientName = (ref: string | null): string => (ref === null ? t('day.unknownPatient') : model.patients[ref] ?? t('day.unknownPatient'));
  const person = (ref: string | null): string => (ref === null ? t('messages.unknownPerson') : model.people[ref] ?? t('messages.unknownPerson'));
  const sentence = (n: Notification): string => {
    if (n.kind === 'message') {
      const sender = model.threads.flatMap((th) => th.messages).find((m) => m.ref === n.ref)?.sender ?? null;
      return t('notifications.message', { from: person(sender), patient: patientName(n.patient) });
    }
    if (n.kind === 'result') return t('notifications.result', { patient: patientName(n.patient), what: n.what ?? t('notifications.resultUnnamed') });
    const referral = model.referrals.find((r) => r.ref === n.ref);
    if (n.kind === 'referral-received') return t('notifications.received', { from: person(referral?.requester ?? null), patient: patientName(n.patient) });
    return t('notifications.answered', { patient: patientName(n.patient), state: t(referralStateKey(referral?.status ?? 'unknown')) });
  };
  const seen = (keys: readonly string[]) => void markSeen(store, workspace.replica, keys).catch(() => undefined);
  return (
    <section className="notifications" aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t('notifications.title')}</h1>
      <p>{t('notifications.intro')}</p>
      {model.notifications.length === 0 ? (
        <p className="notice">{t('notifications.none')}</p>
      ) : (
        <>
          <p>
            <button type="button" className="button" onClick={() => seen(model.notifications.map((n) => n.key))}>
              {t('notifications.markAll')}
            </button>
          </p>
          <ul className="notification-list">
            {model.notifications.map((n) => {
              const text = sentence(n);
              const thread = n.kind === 'message' ? threadOf(model, n.ref) : null;
              return (
                <li key={n.key} data-kind={n.kind} data-ref={n.ref}>
                  <span>{text}</span>
                  {n.at !== null && <span className="hint">{formatWhen(parseWhen(new Date(n.at).toISOString()), language)}</span>}
                  <button type="button" className="button button--small" aria-label={`${t('notifications.open')} : ${text}`} onClick={() => go(thread !== null ? { screen: 'messages', thread } : n.kind === 'result' && n.patient !== null ? { screen: 'chart', patient: n.patient, section: 'results' } : { screen: 'referrals' })}>
                    {t('notifications.open')}
                  </button>
                  <button type="button" className="button button--small" aria-label={`${t('notifications.markRead')} : ${text}`} onClick={() => seen([n.key])}>
                    {t('notifications.markRead')}
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
