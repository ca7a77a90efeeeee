import type { DiscoveredHie, Language, ResponseOf, SetupState, UpdateStatus } from '../../shared/ipc/contract';
import type { AuditAnchor } from '../../shared/audit/anchor';
import type { AuditLink } from '../../shared/audit/chain';
import type { KekSource } from '../../shared/crypto/key-hierarchy';
import type { FhirTransport } from '../../shared/hie/transport';
import type { FhirSource } from '../../shared/exchange/source-policy';

export type AppInfo = ResponseOf<'getAppInfo'>;
export type DisplayPolicy = ResponseOf<'getDisplayPolicy'>;

/** Who is signed in to the HIE on this device (no token: tokens never reach the renderer in Electron). */
export type HieSession = Readonly<{
  /** `Practitioner/<id>` from the sign-in's fhirUser claim. */
  practitioner: string;
  /** The FHIR base the session is for. */
  fhirBase: string;
}>;

/**
 * Everything the renderer needs from the platform, behind one type. The Electron host reaches
 * main through the preload bridge (main holds tokens, the keychain and the HIE transport); the web
 * host (dev and tests only, never packaged) does the same work in the page so the whole renderer
 * runs in a plain browser.
 */
export type Host = Readonly<{
  kind: 'electron' | 'web';
  appInfo(): Promise<AppInfo>;
  /** How charts show records, as IT set it (the identifier order); null fields mean the built-in default. */
  displayPolicy(): Promise<DisplayPolicy>;
  loadLanguage(): Promise<Language | null>;
  saveLanguage(language: Language): Promise<void>;
  /** Opens an allowlisted https link in the system browser; refuses anything else. */
  openExternal(url: string): Promise<void>;

  /** The current HIE session, or null when the clinician must sign in (first run, revoked, signed out). */
  session(): Promise<HieSession | null>;
  /**
   * Signs in to the HIE (SMART on FHIR / OpenID Connect). Electron: the system browser and a
   * loopback redirect, driven by main. Web host: the page goes to the provider and comes back;
   * the promise may then never resolve, and `session()` reports the result after the reload.
   */
  signIn(): Promise<HieSession>;
  signOut(): Promise<void>;
  /**
   * Who turns the passphrase into the vault's key with this device's secret
   * (shared/crypto/key-hierarchy.ts, KekSource). Electron: main, which keeps the secret in the OS
   * keychain and counts and throttles unlock attempts; the page never holds the secret. Fails with
   * HostError('KEYCHAIN_UNAVAILABLE') when there is no OS keychain: never a plaintext fallback.
   */
  vaultKeys(): KekSource;
  /**
   * The audit chain's head kept outside the page (Electron: main, which checks every extension;
   * web host: the page's own storage, which proves nothing against code in the page).
   */
  auditAnchor(): AuditAnchorPort;
  /** The HIE, for the sync engine (Electron: main's origin-pinned transport over IPC). */
  fhirTransport(): FhirTransport;
  /**
   * A port to the platform's services for a new data worker (shared/ipc/host-contract.ts), or null
   * when the page serves them itself. Electron: main opens one per worker, so the worker's HIE
   * requests and answers never cross the page. Web host: null.
   */
  dataPort(): Promise<MessagePort | null>;
  /**
   * Remote wipe, first step: destroy the device secret and the session. From then on nothing on
   * disk can be opened, whatever the following steps manage to delete.
   */
  eraseDeviceSecrets(): Promise<void>;
  /** Remote wipe, last step (after the replica erased its databases): clear what the page's storage left. */
  eraseLocalData(): Promise<void>;
  /**
   * The FHIR sources other than the primary HIE that the policy names (shared/exchange/source-policy.ts).
   * Electron: as main reads them from the policy (their client ids, scopes and tokens stay in main).
   */
  otherSources(): Promise<readonly SourceListing[]>;
  /**
   * Another source's own session (read-only), or null for the primary or a source `otherSources`
   * has not listed. Web host: its sign-in in a window of its own, so this page never leaves.
   * Electron: main's (electron/sources/source-services.ts), as the primary's.
   */
  otherSource(id: string): OtherSourceSession | null;
  /** True in a window that only carried another source's sign-in back to the app that opened it (web host): nothing starts there. */
  relayed(): boolean;
  /** Updates from IT's feed (Electron: main's updater, electron/updates/; web host: none, always `off`). */
  updates(): UpdatesPort;
  /**
   * Whether this installation knows its HIE, or what the setup screen shows (Electron: main,
   * electron/policy/hie-setup.ts; web host: always ready, its HIE is the build's).
   */
  setup(): Promise<SetupState>;
  /** What is at an address an administrator entered (only where policy allows setup): HostError('SETUP_…') otherwise. */
  discoverHie(address: string): Promise<DiscoveredHie>;
  /** Keeps the confirmed address; Relais restarts on it. */
  confirmHie(address: string): Promise<void>;
}>;

/** The page's side of updates: where they stand, the work an install would cut short, and the install itself. */
export type UpdatesPort = Readonly<{
  status(): Promise<UpdateStatus>;
  /** Unsent entries, a sync writing, unsaved input: sent when they change and every minute. */
  reportWork(work: Readonly<{ unsentEntries: number; syncWriting: boolean; unsavedInput: boolean }>): Promise<UpdateStatus>;
  /** Restarts on the ready update if nothing would be lost; otherwise the status says what it waits for. */
  install(): Promise<UpdateStatus>;
}>;

/**
 * Another source's own session: the same calls as the primary's (the web host signs in to it in a
 * window of its own, so this page never leaves), and where its replica's audit chain is anchored.
 */
export type OtherSourceSession = Pick<Host, 'session' | 'signIn' | 'signOut' | 'fhirTransport' | 'auditAnchor' | 'dataPort'> &
  Readonly<{
    /**
     * May this source's replica be opened now (its policy's `offlineLeaseDays` since its last
     * online sign-in or refresh; past it, a refresh renews it)? Electron: main keeps and seals the
     * times, as the primary's. Web host (dev and demo): always.
     */
    leaseHolds(): Promise<boolean>;
  }>;

/** What the page knows of another source: its id, its name, its server. */
export type SourceListing = Pick<FhirSource, 'id' | 'label' | 'fhirBase'>;

export type HostFactory = () => Host;

export type AuditAnchorPort = Readonly<{
  read(): Promise<AuditAnchor | null>;
  /** Anchors links that continue the chain; HostError('AUDIT_ANCHOR_REFUSED') when they do not. */
  extend(replica: string, links: readonly AuditLink[]): Promise<AuditAnchor>;
}>;

/** A platform call that failed, with the code main (or the web host) gave. */
export class HostError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.name = 'HostError';
    this.code = code;
  }
}
