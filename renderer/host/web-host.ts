import { localKekSource } from '../../shared/crypto/key-hierarchy';
import { localAuditAnchor } from './local-audit-anchor';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { languageSchema } from '../../shared/ipc/contract';
import { decideExternalLink, defaultExternalOrigins, isViewerTemplate, viewerOrigin } from '../../shared/security/external-links';
import { HostError, type Host, type HostFactory, type OtherSourceSession, type UpdatesPort } from './host';
import { webFhirBase, webIdentifierPriority, webLinkIdentifierSystems, webSources } from './web-config';
import { createDeviceSecretSource, destroyWebDeviceSecret, eraseWebStorage } from './web-device-secret';
import { createWebSession, relaySourceCallback } from './web-session';

/**
 * The host for a plain browser: development and end-to-end tests only. The Electron build
 * resolves `@relais/host` to electron-host.ts, so this file is never in a packaged app
 * (tests/integration/build/packaging.test.ts checks the asar for it). Sign-in, tokens and the
 * device secret are done in the page here (web-session.ts, web-device-secret.ts); in Electron
 * main does them.
 */
const languageKey = 'relais.web-host.language';

export const createHost: HostFactory = (): Host => {
  const session = createWebSession({ fhirBase: webFhirBase(), window, crypto: window.crypto, fetch: window.fetch.bind(window) });
  const sources = webSources(webFhirBase(), 'HIE');
  // Each other source its own session, made when first asked for (its tokens in this page's memory, as the primary's).
  const others = new Map<string, OtherSourceSession>();
  const otherSource = (id: string): OtherSourceSession | null => {
    const source = sources.find((s) => s.id === id && !s.primary);
    if (source === undefined) return null;
    let known = others.get(id);
    if (known === undefined) {
      const web = createWebSession({ fhirBase: source.fhirBase, window, crypto: window.crypto, fetch: window.fetch.bind(window), source: { id, clientId: source.clientId, scope: source.scope } });
      const anchor = localAuditAnchor(window.localStorage, window.crypto as unknown as WebCrypto, id);
      // The page serves this source's data worker itself (dataPort: null), with this session's transport; no lease in the web host.
      known = { ...web, auditAnchor: () => anchor, dataPort: async () => null, leaseHolds: async () => true };
      others.set(id, known);
    }
    return known;
  };
  const relayed = relaySourceCallback(window);
  // The device key lives in the page here (dev and demo only): nothing counts or throttles guesses
  // as main does in Electron (docs/SECURITY.md).
  // Dev and demo only: kept in the page's own storage, so it shows the flow but proves nothing
  // against code running in the page (docs/SECURITY.md).
  const webAuditAnchor = localAuditAnchor(window.localStorage, window.crypto as unknown as WebCrypto);
  const vaultKeys = localKekSource(window.crypto as unknown as WebCrypto, createDeviceSecretSource(window.indexedDB, window.crypto));
  // Dev and demo: the image viewer from the build's environment, its origin allowed like policy's.
  const webViewer = isViewerTemplate(import.meta.env.VITE_RELAIS_IMAGING_VIEWER ?? '') ? (import.meta.env.VITE_RELAIS_IMAGING_VIEWER as string) : null;
  const viewer = webViewer === null ? null : viewerOrigin(webViewer);
  const webOrigins = viewer === null ? defaultExternalOrigins : [...defaultExternalOrigins, viewer];
  return {
    kind: 'web',
    appInfo: async () => ({ name: 'Relais', version: import.meta.env.VITE_RELAIS_VERSION ?? '0.0.0', platform: 'other' }),
    displayPolicy: async () => ({ identifierPriority: webIdentifierPriority(import.meta.env.VITE_RELAIS_IDENTIFIER_PRIORITY), messageAttachmentMaxBytes: null, imagingViewerUrl: webViewer, linkIdentifierSystems: webLinkIdentifierSystems(import.meta.env.VITE_RELAIS_LINK_SYSTEMS), idleLockMaxMinutes: null, idleLockDefaultMinutes: null, passphraseMinLength: null }),
    loadLanguage: async () => {
      const parsed = languageSchema.safeParse(window.localStorage.getItem(languageKey));
      return parsed.success ? parsed.data : null;
    },
    saveLanguage: async (language) => {
      window.localStorage.setItem(languageKey, language);
    },
    openExternal: async (url) => {
      const decision = decideExternalLink(url, webOrigins);
      if (!decision.open) throw new HostError('EXTERNAL_URL_REFUSED');
      window.open(decision.url, '_blank', 'noopener,noreferrer');
    },
    session: session.session,
    signIn: session.signIn,
    signOut: session.signOut,
    vaultKeys: () => vaultKeys,
    auditAnchor: () => webAuditAnchor,
    fhirTransport: session.fhirTransport,
    // The web host serves the data worker's platform services from the page.
    dataPort: async () => null,
    eraseDeviceSecrets: async () => {
      await destroyWebDeviceSecret(window.indexedDB);
      await session.signOut().catch(() => undefined);
    },
    eraseLocalData: () => eraseWebStorage(window),
    otherSources: async () => sources.filter((source) => !source.primary),
    otherSource,
    relayed: () => relayed,
    // The web host is never installed: no updates, and its HIE is the build's.
    updates: () => noUpdates,
    setup: async () => ({ state: 'ready' }),
    discoverHie: () => Promise.reject(new HostError('SETUP_NOT_ALLOWED')),
    confirmHie: () => Promise.reject(new HostError('SETUP_NOT_ALLOWED')),
  };
};

const noUpdates: UpdatesPort = {
  status: async () => ({ state: 'off' }),
  reportWork: async () => ({ state: 'off' }),
  install: async () => ({ state: 'off' }),
};
