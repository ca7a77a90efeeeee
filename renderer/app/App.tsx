import { useTranslation } from 'react-i18next';
import { ChoosePassphraseScreen } from '../features/unlock/ChoosePassphraseScreen';
import { SignInScreen } from '../features/unlock/SignInScreen';
import { UnavailableScreen } from '../features/unlock/UnavailableScreen';
import { UnlockScreen } from '../features/unlock/UnlockScreen';
import { assertNever } from './assert-never';
import { LanguageSwitch } from './LanguageSwitch';
import { LockControls } from './LockControls';
import { NetworkIndicator } from './NetworkIndicator';
import { useSession } from './session-context';
import type { SessionView } from './session-store';
import { useAppState } from './shell-context';
import { Topbar } from './Topbar';
import { UpdateNotice } from './UpdateNotice';
import { WorkspaceScreen } from './WorkspaceScreen';

/** The app frame: the name, the always-visible status, and the screen for where the clinician is. */
export function App() {
  const { t } = useTranslation();
  const online = useAppState((s) => s.online);
  const errorKey = useAppState((s) => s.errorKey);
  const view = useSession((s) => s.view);
  return (
    <>
      <Topbar>
        <NetworkIndicator />
        {view.kind === 'unlocked' && <LockControls />}
        <LanguageSwitch />
      </Topbar>
      <UpdateNotice />
      {errorKey !== null && (
        <p className="alert alert--shell" role="alert">
          {t(errorKey)}
        </p>
      )}
      {view.kind === 'unlocked' ? (
        <WorkspaceScreen workspace={view.workspace} sources={view.sources} />
      ) : (
        <main id="content" className="content content--gate" tabIndex={-1}>
          {!online && <p className="notice">{t('network.offlineHint')}</p>}
          <GateScreen kind={view.kind} />
        </main>
      )}
    </>
  );
}

function GateScreen({ kind }: Readonly<{ kind: Exclude<SessionView['kind'], 'unlocked'> }>) {
  const { t } = useTranslation();
  switch (kind) {
    case 'starting':
      return <p role="status">{t('app.starting')}</p>;
    case 'sign-in':
      return <SignInScreen />;
    case 'choose-passphrase':
      return <ChoosePassphraseScreen />;
    case 'locked':
      return <UnlockScreen />;
    case 'unavailable':
      return <UnavailableScreen />;
    default:
      return assertNever(kind);
  }
}
