import { useTranslation } from 'react-i18next';
import { AccessLog } from '../features/access-log/AccessLog';
import { AuditIntegrityBanner } from '../features/access-log/AuditIntegrityBanner';
import { ChartScreen } from '../features/chart/ChartScreen';
import { CoordinationLoader } from '../features/coordination/coordination-store';
import { Messages } from '../features/coordination/Messages';
import { MyDay } from '../features/coordination/MyDay';
import { Notifications } from '../features/coordination/Notifications';
import { Referrals } from '../features/coordination/Referrals';
import { ConflictReview } from '../features/conflicts/ConflictReview';
import { PatientList } from '../features/patients/PatientList';
import { ChangePassphraseScreen } from '../features/unlock/ChangePassphraseScreen';
import { InitialSyncPanel } from '../features/sync-status/InitialSyncPanel';
import { SyncStatusBar } from '../features/sync-status/SyncStatusBar';
import { assertNever } from './assert-never';
import type { Route } from './route-store';
import type { OtherSources } from './other-sources';
import { OtherSourcesBar } from '../features/sync-status/OtherSourcesBar';
import type { Workspace } from './workspace';
import { useCoordination, useRoute, WorkspaceProvider } from './workspace-context';

/** The unlocked workspace: sync status always on top, the initial-sync panel until done, the screen. */
export function WorkspaceScreen({ workspace, sources = null }: Readonly<{ workspace: Workspace; sources?: OtherSources | null }>) {
  return (
    <WorkspaceProvider workspace={workspace} sources={sources}>
      <WorkspaceFrame />
    </WorkspaceProvider>
  );
}

function WorkspaceFrame() {
  const { t } = useTranslation();
  const route = useRoute((s) => s.route);
  const go = useRoute((s) => s.go);
  const unreadMessages = useCoordination((s) => s.model?.notifications.filter((n) => n.kind === 'message').length ?? 0);
  const newNotifications = useCoordination((s) => s.model?.notifications.length ?? 0);
  return (
    <>
      <CoordinationLoader />
      <AuditIntegrityBanner />
      <SyncStatusBar onReviewConflicts={() => go({ screen: 'conflicts' })} />
      <OtherSourcesBar />
      <nav className="workspace-nav" aria-label={t('nav.label')}>
        <button type="button" className="button button--quiet" aria-current={route.screen === 'day' ? 'page' : undefined} onClick={() => go({ screen: 'day' })}>
          {t('nav.day')}
        </button>
        <button type="button" className="button button--quiet" aria-current={route.screen === 'patients' ? 'page' : undefined} onClick={() => go({ screen: 'patients' })}>
          {t('nav.patients')}
        </button>
        <CountedNavButton current={route.screen === 'messages'} label={t('nav.messages')} count={unreadMessages} hidden={t('nav.unread', { count: unreadMessages })} data-unread={unreadMessages} onClick={() => go({ screen: 'messages' })} />
        <button type="button" className="button button--quiet" aria-current={route.screen === 'referrals' ? 'page' : undefined} onClick={() => go({ screen: 'referrals' })}>
          {t('nav.referrals')}
        </button>
        <CountedNavButton current={route.screen === 'notifications'} label={t('nav.notifications')} count={newNotifications} hidden={t('nav.new', { count: newNotifications })} data-new={newNotifications} onClick={() => go({ screen: 'notifications' })} />
        <button type="button" className="button button--quiet" aria-current={route.screen === 'conflicts' ? 'page' : undefined} onClick={() => go({ screen: 'conflicts' })}>
          {t('nav.conflicts')}
        </button>
        <button type="button" className="button button--quiet" aria-current={route.screen === 'access-log' ? 'page' : undefined} onClick={() => go({ screen: 'access-log' })}>
          {t('nav.accessLog')}
        </button>
        <button type="button" className="button button--quiet" aria-current={route.screen === 'passphrase' ? 'page' : undefined} onClick={() => go({ screen: 'passphrase' })}>
          {t('nav.passphrase')}
        </button>
      </nav>
      <main id="content" className="content" tabIndex={-1}>
        <InitialSyncPanel />
        <RouteScreen route={route} />
      </main>
    </>
  );
}

/** A nav button with a count (unread messages, new notifications): the number shown, and said in words to a screen reader. */
function CountedNavButton(props: Readonly<{ current: boolean; label: string; count: number; hidden: string; onClick(): void; 'data-unread'?: number; 'data-new'?: number }>) {
  const { current, label, count, hidden, onClick, ...data } = props;
  return (
    <button type="button" className="button button--quiet" aria-current={current ? 'page' : undefined} onClick={onClick} {...data}>
      {label}
      {count > 0 && (
        <>
          {' '}
          <span className="unread-count">{count}</span>
          <span className="visually-hidden">{hidden}</span>
        </>
      )}
    </button>
  );
}

function RouteScreen({ route }: Readonly<{ route: Route }>) {
  switch (route.screen) {
    case 'patients':
      return <PatientList />;
    case 'day':
      return <MyDay />;
    case 'messages':
      return <Messages key={`${route.patient ?? ''}|${route.thread ?? ''}`} {...(route.patient !== undefined ? { patient: route.patient } : {})} {...(route.thread !== undefined ? { thread: route.thread } : {})} />;
    case 'referrals':
      return <Referrals />;
    case 'notifications':
      return <Notifications />;
    case 'chart':
      return <ChartScreen key={route.patient} patient={route.patient} section={route.section} />;
    case 'conflicts':
      return <ConflictReview />;
    case 'access-log':
      return <AccessLog />;
    case 'passphrase':
      return <ChangePassphraseScreen />;
    default:
      return assertNever(route);
  }
}
