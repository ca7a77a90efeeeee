import { useTranslation } from 'react-i18next';
import { AccessLog } from '../features/access-log/AccessLog';
import { AuditIntegrityBanner } from '../features/access-log/AuditIntegrityBanner';
import { ChartScreen } from '../features/chart/ChartScreen';
import { ConflictReview } from '../features/conflicts/ConflictReview';
import { PatientList } from '../features/patients/PatientList';
import { ChangePassphraseScreen } from '../features/unlock/ChangePassphraseScreen';
import { InitialSyncPanel } from '../features/sync-status/InitialSyncPanel';
import { SyncStatusBar } from '../features/sync-status/SyncStatusBar';
import { assertNever } from './assert-never';
import type { Route } from './route-store';
import type { Workspace } from './workspace';
import { useRoute, WorkspaceProvider } from './workspace-context';

/** The unlocked workspace: sync status always on top, the initial-sync panel until done, the screen. */
export function WorkspaceScreen({ workspace }: Readonly<{ workspace: Workspace }>) {
  return (
    <WorkspaceProvider workspace={workspace}>
      <WorkspaceFrame />
    </WorkspaceProvider>
  );
}

function WorkspaceFrame() {
  const { t } = useTranslation();
  const route = useRoute((s) => s.route);
  const go = useRoute((s) => s.go);
  return (
    <>
      <AuditIntegrityBanner />
      <SyncStatusBar onReviewConflicts={() => go({ screen: 'conflicts' })} />
      <nav className="workspace-nav" aria-label={t('nav.label')}>
        <button type="button" className="button button--quiet" aria-current={route.screen === 'patients' ? 'page' : undefined} onClick={() => go({ screen: 'patients' })}>
          {t('nav.patients')}
        </button>
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

function RouteScreen({ route }: Readonly<{ route: Route }>) {
  switch (route.screen) {
    case 'patients':
      return <PatientList />;
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
