import type { AuditLink } from '../../shared/audit/chain';
import type { IdentifierPriorityPolicy } from '../../shared/ipc/contract';
import { decideExternalLink } from '../../shared/security/external-links';
import { TransportError, type FhirTransport, type TextResponse, type TransportRequest } from '../../shared/hie/transport';
import { LoginError, type LoginErrorCode } from '../auth/login-error';
import type { SessionManager } from '../auth/session';
import { HieConfigurationError } from '../../shared/hie/fhir-base';
import { destroyDeviceSecret, DeviceSecretLostError } from '../secrets/device-secret';
import { UnlockRefusedError, unlockFailuresAccount, type VaultKeyService } from '../secrets/vault-keys';
import { AuditAnchorRefusedError, auditAnchorAccount, createAuditAnchorService, type AuditAnchorService } from '../audit/audit-anchor';
import { lastOnlineAuthAccount, refreshTokenAccount } from '../auth/session';
import { defaultOfflineLeaseDays } from '../../shared/security/offline-lease';
import { createLeaseClock, type LeaseClock } from '../auth/lease-clock';
import type { SecretStore } from '../secrets/secret-store';
import { SecretStoreError } from '../secrets/secret-store';
import type { SettingsFile } from '../settings/settings-file';
import { CodedError } from './coded-error';
import type { IpcHandlers } from './register';
import type { PortHandlers } from './data-port';
import { isSourceAccount, type SourceServices } from '../sources/source-services';
import { SetupError, type SetupService } from '../policy/hie-setup';
import type { UpdateService } from '../updates/update-service';

export type HandlerDeps = Readonly<{
  appName: string;
  appVersion: string;
  platform: string;
  settings: SettingsFile;
  secrets: SecretStore;
  allowedExternalOrigins: readonly string[];
  openExternal: (url: string) => Promise<void>;
  /** null when no HIE is configured. */
  session: SessionManager | null;
  hie: FhirTransport | null;
  /** Derives vault keys with the device secret, counting and throttling unlock attempts. */
  vaultKeys: VaultKeyService;
  /** The audit chain's head, kept in main (default: in `secrets`). */
  auditAnchor?: AuditAnchorService;
  /** Opens a data worker's port to main and posts it to the window with the request's ticket (main.ts: MessageChannelMain, data-port.ts). */
  openDataPort: (ticket: string) => Promise<void>;
  /** Clears the page's storage on disk (Electron: session.clearStorageData). */
  clearPageStorage: () => Promise<void>;
  /** The offline lease's sealed times (default: in `secrets`). */
  lease?: LeaseClock;
  /** Policy: days the replica opens offline after the last online authentication. */
  offlineLeaseDays?: number;
  /** Policy: the order of the identifiers charts show. */
  identifierPriority?: IdentifierPriorityPolicy;
  messageAttachmentMaxBytes?: number;
  imagingViewerUrl?: string;
  /** Policy `linkIdentifierSystems` (shared/exchange/source-policy.ts). */
  linkIdentifierSystems?: readonly string[];
  /** Policy: the idle lock's bounds and the shortest passphrase. */
  idleLockMaxMinutes?: number;
  idleLockDefaultMinutes?: number;
  passphraseMinLength?: number;
  /** The policy's other FHIR sources, by id (electron/sources/source-services.ts); none when not set. */
  sources?: ReadonlyMap<string, SourceServices>;
  /** Opens a data port for one source's data worker (main.ts, `sourcePortHandlers`) and posts it to the window. */
  openSourceDataPort?: (services: SourceServices, ticket: string) => Promise<void>;
  /** Updates from IT's feed (electron/updates/update-service.ts); none: updates are off. */
  updates?: UpdateService;
  /** Whether an HIE is configured, and the administrator's setup where policy allows it (electron/policy/hie-setup.ts); none: configured. */
  setup?: SetupService;
  now?: () => number;
}>;

const signInCodes = {
  DISCOVERY_FAILED: 'SIGN_IN_DISCOVERY_FAILED',
  ISSUER_MISMATCH: 'SIGN_IN_ISSUER_MISMATCH',
  STATE_MISMATCH: 'SIGN_IN_STATE_MISMATCH',
  ACCESS_DENIED: 'SIGN_IN_DENIED',
  TOKEN_EXCHANGE_FAILED: 'SIGN_IN_TOKEN_FAILED',
  TIMEOUT: 'SIGN_IN_TIMEOUT',
} as const satisfies Record<LoginErrorCode, string>;

const transportCodes = { offline: 'HIE_OFFLINE', timeout: 'HIE_TIMEOUT', aborted: 'HIE_OFFLINE', refused: 'HIE_REFUSED', 'not-configured': 'HIE_NOT_CONFIGURED' } as const;

/** Response headers the sync engine reads; the rest stay in main. */
const forwardedHeaders = new Set(['etag', 'last-modified', 'location', 'date', 'retry-after', 'content-type']);

/** A sign-in's failure as the channels' codes (the primary's and another source's alike). */
function signInFailure(error: unknown): unknown {
  if (error instanceof LoginError) return new CodedError(signInCodes[error.code]);
  if (error instanceof HieConfigurationError) return new CodedError('HIE_NOT_CONFIGURED');
  return error;
}

/** Setup's refusals as their codes. */
async function setupStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error: unknown) {
    if (error instanceof SetupError) throw new CodedError(error.code);
    throw error;
  }
}

/** Anchoring with a refusal as its code. */
async function anchored<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await keychain(work);
  } catch (error: unknown) {
    if (error instanceof AuditAnchorRefusedError) throw new CodedError('AUDIT_ANCHOR_REFUSED');
    throw error;
  }
}

async function keychain<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error: unknown) {
    if (error instanceof SecretStoreError) throw new CodedError('KEYCHAIN_UNAVAILABLE');
    throw error;
  }
}

const knownPlatforms = ['linux', 'darwin', 'win32'] as const;
type KnownPlatform = (typeof knownPlatforms)[number];
const isKnownPlatform = (p: string): p is KnownPlatform => (knownPlatforms as readonly string[]).includes(p);

/** The main-process side of every channel in shared/ipc/contract.ts. */
export function createIpcHandlers(deps: HandlerDeps): IpcHandlers {
  const lease = deps.lease ?? createLeaseClock(deps.secrets);
  const auditAnchor = deps.auditAnchor ?? createAuditAnchorService(deps.secrets);
  const leaseHolds = async (): Promise<void> => {
    if (deps.session === null) return;
    const verdict = await keychain(() => lease.verdict((deps.now ?? Date.now)(), deps.offlineLeaseDays ?? defaultOfflineLeaseDays));
    // Past the lease, one online refresh renews it; offline (or revoked), unlocking waits.
    if (verdict.state === 'expired' && !(await (deps.session as SessionManager).refresh())) throw new CodedError('OFFLINE_LEASE_EXPIRED');
  };

  return {
    getAppInfo: async () => ({
      name: deps.appName,
      version: deps.appVersion,
      platform: isKnownPlatform(deps.platform) ? deps.platform : 'other',
    }),
    getDisplayPolicy: async () => ({
      identifierPriority: deps.identifierPriority === undefined ? null : [...deps.identifierPriority],
      messageAttachmentMaxBytes: deps.messageAttachmentMaxBytes ?? null,
      imagingViewerUrl: deps.imagingViewerUrl ?? null,
      linkIdentifierSystems: deps.linkIdentifierSystems === undefined ? null : [...deps.linkIdentifierSystems],
      idleLockMaxMinutes: deps.idleLockMaxMinutes ?? null,
      idleLockDefaultMinutes: deps.idleLockDefaultMinutes ?? null,
      passphraseMinLength: deps.passphraseMinLength ?? null,
    }),
    getLanguage: async () => (await deps.settings.read()).language,
    setLanguage: async ({ language }) => {
      await deps.settings.update({ language });
      return null;
    },
    openExternal: async ({ url }) => {
      const decision = decideExternalLink(url, deps.allowedExternalOrigins);
      if (!decision.open) throw new CodedError('EXTERNAL_URL_REFUSED');
      await deps.openExternal(decision.url);
      return null;
    },
    getKeychainStatus: async () => {
      try {
        await deps.secrets.list();
        return { available: true };
      } catch (error: unknown) {
        if (error instanceof SecretStoreError) return { available: false };
        throw error;
      }
    },
    getSession: async () => (deps.session === null ? null : keychain(() => (deps.session as SessionManager).current())),
    signIn: async () => {
      if (deps.session === null) throw new CodedError('HIE_NOT_CONFIGURED');
      try {
        const session = await keychain(() => (deps.session as SessionManager).signIn());
        // An online sign-in is what lifts the block after too many wrong passphrases.
        await keychain(() => deps.vaultKeys.resetFailures());
        return session;
      } catch (error: unknown) {
        throw signInFailure(error);
      }
    },
    signOut: async () => {
      if (deps.session !== null) await keychain(() => (deps.session as SessionManager).signOut());
      return null;
    },
    newVaultSalt: async () => {
      await leaseHolds();
      return deps.vaultKeys.newVaultSalt();
    },
    deriveVaultKey: async (request) => {
      // The device secret is half of the replica's key: refusing to use it past the offline lease
      // is what makes the lease hold (the page cannot unlock without main).
      await leaseHolds();
      try {
        return await keychain(() => deps.vaultKeys.deriveVaultKey(request));
      } catch (error: unknown) {
        if (error instanceof UnlockRefusedError) throw new CodedError(error.code);
        if (error instanceof DeviceSecretLostError) throw new CodedError('DEVICE_SECRET_LOST');
        throw error;
      }
    },
    getAuditAnchor: async () => keychain(() => auditAnchor.read()),
    // The event is any JSON object here; main only recomputes each link's hash over it.
    anchorAudit: async ({ replica, links }) => anchored(() => auditAnchor.extend(replica, links as unknown as readonly AuditLink[])),
    eraseDeviceSecrets: async () => {
      // The device secret first: from this instant the replica on disk is unreadable, whatever follows.
      await keychain(() => destroyDeviceSecret(deps.secrets));
      await keychain(() => deps.secrets.delete(refreshTokenAccount));
      await keychain(() => deps.secrets.delete(lastOnlineAuthAccount));
      await keychain(() => deps.secrets.delete(unlockFailuresAccount));
      await keychain(() => deps.secrets.delete(auditAnchorAccount));
      // Every other source's refresh token, lease stamp and anchor, named by the policy today or not.
      for (const account of await keychain(() => deps.secrets.list())) if (isSourceAccount(account)) await keychain(() => deps.secrets.delete(account));
      await deps.settings.update({ session: null, sources: {} });
      return null;
    },
    eraseLocalData: async () => {
      await deps.clearPageStorage();
      return null;
    },
    openDataPort: async ({ ticket }) => {
      await deps.openDataPort(ticket);
      return null;
    },
    hieRequest: async (request) => {
      const response = await hieAnswer(deps.hie, (hie) => hie.send(request));
      return { status: response.status, headers: forwarded(response.headers), body: response.body };
    },

    getUpdateStatus: async () => deps.updates?.status() ?? { state: 'off' },
    reportWork: async (work) => deps.updates?.reportWork(work) ?? { state: 'off' },
    installUpdate: async () => deps.updates?.install() ?? { state: 'off' },
    getSetup: async () => deps.setup?.state() ?? { state: 'ready' },
    discoverHie: async ({ fhirBase }) => {
      if (deps.setup === undefined) throw new CodedError('SETUP_NOT_ALLOWED');
      const setup = deps.setup;
      return setupStep(() => setup.discover(fhirBase));
    },
    confirmHie: async ({ fhirBase }) => {
      if (deps.setup === undefined) throw new CodedError('SETUP_NOT_ALLOWED');
      const setup = deps.setup;
      await setupStep(() => setup.confirm(fhirBase));
      return null;
    },
    getSources: async () => [...(deps.sources?.values() ?? [])].map(({ source }) => ({ id: source.id, label: source.label, fhirBase: source.fhirBase })),
    getSourceSession: async ({ source }) => keychain(() => sourceOf(source).session.current()),
    signInSource: async ({ source }) => {
      const services = sourceOf(source);
      try {
        // Not an unlock: another source's sign-in never lifts the block after wrong passphrases.
        return await keychain(() => services.session.signIn());
      } catch (error: unknown) {
        throw signInFailure(error);
      }
    },
    signOutSource: async ({ source }) => {
      const services = sourceOf(source);
      await keychain(() => services.forget());
      return null;
    },
    getSourceLease: async ({ source }) => ({ holds: await keychain(() => sourceOf(source).leaseHolds()) }),
    sourceHieRequest: async ({ source, request }) => {
      const response = await hieAnswer(sourceOf(source).hie, (hie) => hie.send(request));
      return { status: response.status, headers: forwarded(response.headers), body: response.body };
    },
    getSourceAuditAnchor: async ({ source }) => keychain(() => sourceOf(source).auditAnchor.read()),
    anchorSourceAudit: async ({ source, replica, links }) => {
      const services = sourceOf(source);
      return anchored(() => services.auditAnchor.extend(replica, links as unknown as readonly AuditLink[]));
    },
    openSourceDataPort: async ({ source, ticket }) => {
      const services = sourceOf(source);
      if (deps.openSourceDataPort === undefined) throw new CodedError('SOURCE_UNKNOWN');
      await deps.openSourceDataPort(services, ticket);
      return null;
    },
  };

  /** The services of a source the policy names, or SOURCE_UNKNOWN (the primary included: it has its own channels). */
  function sourceOf(id: string): SourceServices {
    const services = deps.sources?.get(id);
    if (services === undefined) throw new CodedError('SOURCE_UNKNOWN');
    return services;
  }
}

/**
 * What another source's data worker may ask of main on its port (data-port.ts): its HIE requests
 * go to that source alone, its anchor is that source's, and its wipe order forgets that source's
 * session only. The device secret, the primary's session and the page's storage are out of its
 * reach: a hostile or compromised source cannot wipe the clinician's replica.
 */
export function sourcePortHandlers(services: SourceServices): PortHandlers {
  return {
    hieText: (request) => hieTextRequest(services.hie, request),
    getAuditAnchor: () => keychain(() => services.auditAnchor.read()),
    anchorAudit: ({ replica, links }) => anchored(() => services.auditAnchor.extend(replica, links as unknown as readonly AuditLink[])),
    eraseDeviceSecrets: async () => {
      await keychain(() => services.forget());
      return null;
    },
    eraseLocalData: async () => null,
  };
}

/** The headers the page or the worker may see of an HIE answer. */
function forwarded(headers: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (forwardedHeaders.has(name)) kept[name] = value.slice(0, 2048);
  return kept;
}

/** An HIE exchange with the transport's failures as the channels' codes. */
async function hieAnswer<T>(hie: FhirTransport | null, exchange: (hie: FhirTransport) => Promise<T>): Promise<T> {
  if (hie === null) throw new CodedError('HIE_NOT_CONFIGURED');
  try {
    return await exchange(hie);
  } catch (error: unknown) {
    if (error instanceof TransportError) throw new CodedError(transportCodes[error.kind]);
    throw error;
  }
}

/**
 * The data port's HIE exchange (data-port.ts): the same rule as the `hieRequest` channel (the
 * header filter, the codes), with the answer as text, so that the worker parses it once and main
 * does not parse it and write it out again. A transport without text answers has its parsed
 * answer written out.
 */
export async function hieTextRequest(hie: FhirTransport | null, request: TransportRequest): Promise<TextResponse> {
  return hieAnswer(hie, async (transport) => {
    if (transport.sendText !== undefined) {
      const { status, headers, text } = await transport.sendText(request);
      return { status, headers: forwarded(headers), text };
    }
    const { status, headers, body } = await transport.send(request);
    return { status, headers: forwarded(headers), text: body === null || body === undefined ? '' : JSON.stringify(body) };
  });
}
