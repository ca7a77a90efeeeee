import type { FhirSource } from '../../shared/exchange/source-policy';
import type { FhirTransport } from '../../shared/hie/transport';
import { defaultOfflineLeaseDays, type LeaseVerdict } from '../../shared/security/offline-lease';
import { createAuditAnchorService, type AuditAnchorService } from '../audit/audit-anchor';
import { createHieTransport } from '../hie/hie-transport';
import type { Logger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsFile } from '../settings/settings-file';
import { createLeaseClock, type LeaseClock } from '../auth/lease-clock';
import { createSessionManager, type SessionManager, type SessionStore } from '../auth/session';

/**
 * The FHIR sources other than the primary HIE (issue 15, shared/exchange/source-policy.ts), held by
 * main as the primary is: each its own SMART sign-in (its client id, its read-and-search-only
 * scope), its refresh token in the keychain bound to its provider and server, its own offline
 * lease, its own origin-pinned transport, and the audit anchor of its own replica. Nothing of one
 * source is kept under another's account, so a source's sign-out or wipe order touches its own
 * accounts only; the device wipe removes every source's.
 */
export const sourceAccountKinds = ['refresh-token', 'last-online-auth', 'audit-anchor'] as const;

/** A source's keychain accounts: the primary's names with `@<source id>` (ids are `[a-z0-9-]`, never `@`). */
export const sourceAccounts = (id: string) => ({
  refreshToken: `refresh-token@${id}`,
  lease: `last-online-auth@${id}`,
  auditAnchor: `audit-anchor@${id}`,
});

/** Is this keychain account another source's (any source, named by the policy today or not)? */
export const isSourceAccount = (account: string): boolean => sourceAccountKinds.some((kind) => account.startsWith(`${kind}@`));

export type SourceServices = Readonly<{
  source: FhirSource;
  session: SessionManager;
  hie: FhirTransport;
  auditAnchor: AuditAnchorService;
  /**
   * May this source's records be read now? Within its lease since its last online sign-in or
   * refresh (its own `offlineLeaseDays`, else the primary's); past it, one refresh renews it.
   */
  leaseHolds(): Promise<boolean>;
  /** The source's wipe order, or its sign-out: its refresh token, its session and its lease stamp go; nothing of the primary's or another source's. */
  forget(): Promise<void>;
}>;

export type SourceServicesOptions = Readonly<{
  /** The policy's sources; the primary among them is skipped. */
  sources: readonly FhirSource[];
  secrets: SecretStore;
  settings: SettingsFile;
  openBrowser: (url: string) => Promise<void>;
  log: Logger;
  /** The primary's lease, for a source whose policy sets none. */
  primaryLeaseDays?: number;
  fetch?: typeof fetch;
  now?: () => number;
}>;

/** Who is signed in to one source, in the settings file's `sources` (never a token). */
function sourceSessionStore(settings: SettingsFile, id: string): SessionStore {
  return {
    load: async () => (await settings.read()).sources[id] ?? null,
    save: async (info) => {
      await settings.update((current) => {
        const sources = { ...current.sources };
        if (info === null) delete sources[id];
        else sources[id] = info;
        return { sources };
      });
    },
  };
}

export function createSourceServices(options: SourceServicesOptions): ReadonlyMap<string, SourceServices> {
  const now = options.now ?? Date.now;
  const services = new Map<string, SourceServices>();
  for (const source of options.sources) {
    if (source.primary) continue;
    const accounts = sourceAccounts(source.id);
    const lease: LeaseClock = createLeaseClock(options.secrets, accounts.lease);
    const session = createSessionManager({
      fhirBase: source.fhirBase,
      ...(source.clientId === null ? {} : { clientId: source.clientId }),
      scope: source.scope,
      refreshTokenAccount: accounts.refreshToken,
      lease,
      secrets: options.secrets,
      store: sourceSessionStore(options.settings, source.id),
      openBrowser: options.openBrowser,
      log: options.log,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      now,
    });
    const leaseDays = source.offlineLeaseDays ?? options.primaryLeaseDays ?? defaultOfflineLeaseDays;
    services.set(source.id, {
      source,
      session,
      hie: createHieTransport({ fhirBase: source.fhirBase, tokens: session, log: options.log, ...(options.fetch === undefined ? {} : { fetch: options.fetch }) }),
      auditAnchor: createAuditAnchorService(options.secrets, accounts.auditAnchor),
      async leaseHolds() {
        const verdict: LeaseVerdict = await lease.verdict(now(), leaseDays);
        return verdict.state !== 'expired' || (await session.refresh());
      },
      async forget() {
        await session.signOut();
        await options.secrets.delete(accounts.lease);
      },
    });
  }
  return services;
}
