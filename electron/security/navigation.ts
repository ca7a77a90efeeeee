import { decideExternalLink } from '../../shared/security/external-links';
import type { Logger } from '../log/logger';
import { isAppUrl } from './app-origin';

/** The parts of Electron's WebContents the guards attach to. */
export type GuardedContents = Readonly<{
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: { preventDefault(): void; url: string }) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}>;

export type NavigationPolicy = Readonly<{
  allowedExternalOrigins: readonly string[];
  openExternal: (url: string) => Promise<void>;
  log: Logger;
}>;

/**
 * The page never navigates away from the app and never opens a window. A link to an allowlisted
 * https origin goes to the system browser instead; everything else is dropped.
 * (Electron security checklist: "Disable or limit navigation", "Disable or limit creation of new windows".)
 */
export function guardNavigation(contents: GuardedContents, policy: NavigationPolicy): void {
  const sendOutside = (url: string): void => {
    const decision = decideExternalLink(url, policy.allowedExternalOrigins);
    if (decision.open) {
      policy.openExternal(decision.url).catch(() => policy.log.warn('system browser did not open'));
    } else {
      policy.log.warn('external link refused', { reason: decision.reason });
    }
  };
  const onNavigate = (event: { preventDefault(): void; url: string }): void => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    sendOutside(event.url);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-frame-navigate', onNavigate);
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    sendOutside(url);
    return { action: 'deny' };
  });
}
