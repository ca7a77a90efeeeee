import { z } from 'zod';
import type { IpcEnvelope } from './envelope';
import { dataPortTicketPattern } from './wire';

/**
 * The one declaration of every IPC channel between the renderer and main.
 * Main registers handlers only for these names (electron/ipc/register.ts), the preload exposes one
 * function per name (electron/preload/index.ts, checked with `satisfies RelaisBridge`), and both
 * sides parse with these schemas: main the request, the renderer the response.
 */
export const languageSchema = z.enum(['fr', 'en']);
export type Language = z.infer<typeof languageSchema>;

const noRequest = z.undefined();

const sessionSchema = z.object({ practitioner: z.string().regex(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/), fhirBase: z.string().url() }).strict();
export const headerSchema = z.record(z.string().max(64), z.string().max(2048));

/**
 * One rule of the order in which a chart shows a patient's identifiers (policy `identifierPriority`):
 * an identifier matches by its system, or by its HL7 v2-0203 type code, and is labelled `label`.
 */
export const identifierRuleSchema = z
  .object({
    system: z.string().min(1).max(256).optional(),
    type: z.string().regex(/^[A-Za-z0-9-]{1,20}$/).optional(),
    label: z.string().min(1).max(24),
  })
  .strict()
  .refine((rule) => rule.system !== undefined || rule.type !== undefined, { message: 'a rule names a system or a type' });
export const identifierPriorityPolicySchema = z.array(identifierRuleSchema).min(1).max(20);
export type IdentifierPriorityPolicy = z.infer<typeof identifierPriorityPolicySchema>;
/**
 * Policy `messageAttachmentMaxBytes`: the largest file attached to a message (0 forbids
 * attachments). At most 2 MB: a message travels whole, base64 inside a sync page (messages are
 * pulled ten at a time, shared/sync/pull.ts), and an HIE answer over 32 MB is refused
 * (shared/hie/fetch-transport.ts).
 */
export const messageAttachmentMaxBytesSchema = z.number().int().min(0).max(2 * 1024 * 1024);
/** When IT sets no limit. */
export const defaultMessageAttachmentMaxBytes = 1024 * 1024;
/**
 * Policy `imagingViewerUrl`: the address of the image viewer IT runs (a web DICOM viewer, e.g.
 * `https://pacs.example.org/viewer?StudyInstanceUIDs={studyUid}`); a chart's imaging study opens
 * there in the system browser. Checked in full where it is read (electron/policy, and
 * `imagingViewerLink` before any link is made, shared/security/external-links.ts).
 */
export const imagingViewerUrlSchema = z.string().min(1).max(2000);

/** A FHIR source's id in the policy (shared/exchange/source-policy.ts): it names the source's replica and keychain accounts. */
export const sourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/);
/** Policy `idleLockMaxMinutes` / `idleLockDefaultMinutes`: the idle lock's bounds (renderer/features/unlock/idle-lock.ts offers 1 to 60 minutes). */
export const idleLockMinutesSchema = z.number().int().min(1).max(60);
/** Policy `passphraseMinLength`: never below the built-in 12 characters (renderer/features/unlock/passphrase-policy.ts). */
export const passphraseMinLengthSchema = z.number().int().min(12).max(128);
export const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
export const replicaNameSchema = z.string().regex(/^relais-[0-9a-f]{16}$/);
/** One link of the audit chain (shared/audit/chain.ts, AuditLink). */
export const auditLinkSchema = z
  .object({
    seq: z.number().int().min(1),
    previous: hex64,
    hash: hex64,
    event: z.record(z.string(), z.unknown()),
    form: z.literal(2).optional(),
    eventDigest: hex64.optional(),
    redacted: z.literal(true).optional(),
  })
  .strict();
/** One FHIR request and its answer (shared/hie/transport.ts): main's transport over IPC, the data worker's over its port. */
export const hieRequestSchema = z
  .object({
    method: z.enum(['GET', 'PUT', 'POST', 'DELETE']),
    target: z.string().max(8192),
    headers: headerSchema.optional(),
    body: z.unknown().optional(),
  })
  .strict();
export const hieResponseSchema = z.object({ status: z.number().int().min(100).max(599), headers: headerSchema, body: z.unknown() }).strict();
/** The same answer with its body as the HIE's text or bytes (shared/hie/transport.ts, UnparsedResponse): the data worker parses it. */
export const hieUnparsedResponseSchema = z.union([
  z.object({ status: z.number().int().min(100).max(599), headers: headerSchema, text: z.string() }).strict(),
  z.object({ status: z.number().int().min(100).max(599), headers: headerSchema, bytes: z.custom<Uint8Array>((value) => value instanceof Uint8Array) }).strict(),
]);
/** Names the port a data port request will get (wire.ts). */
const dataPortTicket = z.string().regex(dataPortTicketPattern);
/** Which of the policy's other FHIR sources a call is for (shared/exchange/source-policy.ts; never the primary). */
const sourceRequest = z.object({ source: sourceIdSchema }).strict();
export const auditAnchorSchema = z.object({ replica: z.string().max(64), seq: z.number().int().min(0), hash: z.string().max(64) }).strict();

/** What an update waits for before it may be installed (electron/updates/install-moment.ts). */
export const waitReasonSchema = z.enum(['unsent-entries', 'sync-writing', 'unsaved-input']);
/** Where updates stand (electron/updates/update-service.ts): `off` when IT set no feed or turned updates off. */
export const updateStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('off') }).strict(),
  z.object({ state: z.literal('current') }).strict(),
  z.object({ state: z.literal('downloading'), version: z.string().max(64) }).strict(),
  z.object({ state: z.literal('ready'), version: z.string().max(64), waitingFor: z.array(waitReasonSchema).max(3) }).strict(),
  z.object({ state: z.literal('failed') }).strict(),
]);
export type UpdateStatus = z.infer<typeof updateStatusSchema>;
/** The page's work an install would cut short: unsent outbox entries, a sync writing, a form's unsaved input. */
export const workInProgressSchema = z.object({ unsentEntries: z.number().int().min(0).max(100_000_000), syncWriting: z.boolean(), unsavedInput: z.boolean() }).strict();

/**
 * Whether this installation knows its HIE (electron/policy/hie-setup.ts). A packaged Relais with no
 * HIE never runs on a demo: `contact-it` (no HIE in the policy, or a policy that is not valid), or, where IT's
 * policy allows it (`allowAdminSetup`), `admin-entry`, where an administrator enters the HIE's address.
 */
export const setupStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready') }).strict(),
  z.object({ state: z.literal('contact-it'), reason: z.enum(['not-configured', 'invalid-policy']) }).strict(),
  z.object({ state: z.literal('admin-entry') }).strict(),
]);
export type SetupState = z.infer<typeof setupStateSchema>;
/** What discovery found at an address an administrator entered, shown for confirmation before it is kept. */
export const discoveredHieSchema = z
  .object({
    fhirBase: z.string().url(),
    /** The CapabilityStatement's name or title, and its software, as the server says them. */
    name: z.string().max(200).nullable(),
    software: z.string().max(200).nullable(),
    fhirVersion: z.string().max(20),
    /** The identity provider clinicians will sign in with (SMART configuration's issuer). */
    identityProvider: z.string().url(),
  })
  .strict();
export type DiscoveredHie = z.infer<typeof discoveredHieSchema>;
const setupAddressRequest = z.object({ fhirBase: z.string().min(1).max(2000) }).strict();

export const ipcContract = {
  getAppInfo: {
    request: noRequest,
    response: z
      .object({
        name: z.string(),
        version: z.string(),
        platform: z.enum(['linux', 'darwin', 'win32', 'other']),
      })
      .strict(),
  },
  /** How the chart shows records, as IT set it (null: the built-in order). */
  getDisplayPolicy: {
    request: noRequest,
    response: z
      .object({
        identifierPriority: identifierPriorityPolicySchema.nullable(),
        messageAttachmentMaxBytes: messageAttachmentMaxBytesSchema.nullable(),
        imagingViewerUrl: imagingViewerUrlSchema.nullable(),
        /** Policy `linkIdentifierSystems`: the systems that link one person's records across sources (null: INS and the NHS number). */
        linkIdentifierSystems: z.array(z.string().min(1).max(256)).min(1).max(10).nullable(),
        /** The longest idle time before the screen locks that a clinician may choose, and the time chosen for them (null: 60 and 10). */
        idleLockMaxMinutes: idleLockMinutesSchema.nullable(),
        idleLockDefaultMinutes: idleLockMinutesSchema.nullable(),
        /** The shortest passphrase a clinician may choose (null: 12 characters). */
        passphraseMinLength: passphraseMinLengthSchema.nullable(),
      })
      .strict(),
  },
  getLanguage: {
    request: noRequest,
    response: languageSchema.nullable(),
  },
  setLanguage: {
    request: z.object({ language: languageSchema }).strict(),
    response: z.null(),
  },
  openExternal: {
    request: z.object({ url: z.string().max(2048) }).strict(),
    response: z.null(),
  },
  getKeychainStatus: {
    request: noRequest,
    response: z.object({ available: z.boolean() }).strict(),
  },
  getSession: {
    request: noRequest,
    response: sessionSchema.nullable(),
  },
  signIn: {
    request: noRequest,
    response: sessionSchema,
  },
  signOut: {
    request: noRequest,
    response: z.null(),
  },
  /**
   * A fresh salt for a new vault (first run, new passphrase), chosen by main and good for one
   * deriveVaultKey call. The device secret itself never reaches the page (electron/secrets/vault-keys.ts).
   */
  newVaultSalt: {
    request: noRequest,
    response: z.object({ salt: z.string().regex(/^[A-Za-z0-9_-]{22}$/) }).strict(),
  },
  /**
   * The vault's key-encryption key from the page's stretched passphrase (PBKDF2, 32 bytes) and the
   * device secret main holds. With `wrappedReplicaKey` it is an unlock attempt main checks, counts and
   * throttles; without, `salt` must be one newVaultSalt just gave. The KEK, 32 bytes, is imported
   * non-extractable by the page at once.
   */
  deriveVaultKey: {
    request: z
      .object({
        salt: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
        stretched: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
        wrappedReplicaKey: z.string().regex(/^[A-Za-z0-9_-]{80}$/).optional(),
      })
      .strict(),
    response: z.object({ kek: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).strict(),
  },
  /** The audit chain's head main holds (shared/audit/anchor.ts), or null before the first event. */
  getAuditAnchor: {
    request: noRequest,
    response: auditAnchorSchema.nullable(),
  },
  /** New audit links for main to check and anchor: they must continue the anchored chain. */
  anchorAudit: {
    request: z
      .object({
        replica: replicaNameSchema,
        links: z.array(auditLinkSchema).min(1).max(100),
      })
      .strict(),
    response: auditAnchorSchema,
  },
  /**
   * Remote wipe, step 1 (before the page deletes its databases): destroy the device secret, the
   * refresh token and the session. After this nothing on disk can be opened.
   */
  eraseDeviceSecrets: {
    request: noRequest,
    response: z.null(),
  },
  /** Remote wipe, last step: clear every file the page's storage left (IndexedDB, caches, local storage). */
  eraseLocalData: {
    request: noRequest,
    response: z.null(),
  },
  /**
   * A new data worker is starting: main opens a MessageChannel, serves the data worker's platform
   * services on one end (electron/ipc/data-port.ts) and posts the other to this window
   * (`dataPortMessage`, with the request's ticket), which the preload forwards to the page for the worker.
   */
  openDataPort: {
    request: z.object({ ticket: dataPortTicket }).strict(),
    response: z.null(),
  },
  /** One FHIR request through main's origin-pinned transport; main adds the token. */
  hieRequest: {
    request: hieRequestSchema,
    response: hieResponseSchema,
  },
  /**
   * The FHIR sources other than the primary HIE that the policy names (issue 15): what the page
   * shows of them. Their client ids, scopes and tokens stay in main (electron/sources/source-services.ts).
   */
  getSources: {
    request: noRequest,
    response: z.array(z.object({ id: sourceIdSchema, label: z.string().min(1).max(60), fhirBase: z.string().url().max(2000) }).strict()).max(8),
  },
  /** Who is signed in to that source on this device, or null. */
  getSourceSession: {
    request: sourceRequest,
    response: sessionSchema.nullable(),
  },
  /** Signs in to that source (the system browser, a loopback redirect, its own read-only scope). */
  signInSource: {
    request: sourceRequest,
    response: sessionSchema,
  },
  /** Signs out of that source only (its refresh token revoked and forgotten, its lease stamp gone). */
  signOutSource: {
    request: sourceRequest,
    response: z.null(),
  },
  /** May that source's replica be opened now: within its offline lease, or renewed by a refresh. */
  getSourceLease: {
    request: sourceRequest,
    response: z.object({ holds: z.boolean() }).strict(),
  },
  /** One FHIR request to that source, through its own origin-pinned transport and token. */
  sourceHieRequest: {
    request: z.object({ source: sourceIdSchema, request: hieRequestSchema }).strict(),
    response: hieResponseSchema,
  },
  /** The head of that source's replica's audit chain, kept apart from the primary's. */
  getSourceAuditAnchor: {
    request: sourceRequest,
    response: auditAnchorSchema.nullable(),
  },
  anchorSourceAudit: {
    request: z.object({ source: sourceIdSchema, replica: replicaNameSchema, links: z.array(auditLinkSchema).min(1).max(100) }).strict(),
    response: auditAnchorSchema,
  },
  /**
   * A data port for that source's data worker (as `openDataPort`): its HIE requests go to that
   * source, its anchor is that source's, and its wipe order forgets that source's session only.
   */
  openSourceDataPort: {
    request: z.object({ source: sourceIdSchema, ticket: dataPortTicket }).strict(),
    response: z.null(),
  },
  /** Where updates stand, and what a ready one waits for. */
  getUpdateStatus: {
    request: noRequest,
    response: updateStatusSchema,
  },
  /** The page's work in progress, sent whenever it changes and every minute; answers the update status. */
  reportWork: {
    request: workInProgressSchema,
    response: updateStatusSchema,
  },
  /** Restart on the ready update now, if nothing would be lost; otherwise the status says what it waits for. */
  installUpdate: {
    request: noRequest,
    response: updateStatusSchema,
  },
  /** Whether an HIE is configured, or what the setup screen shows instead. */
  getSetup: {
    request: noRequest,
    response: setupStateSchema,
  },
  /** Discovers the HIE at an address an administrator entered (only where policy allows it); nothing is kept. */
  discoverHie: {
    request: setupAddressRequest,
    response: discoveredHieSchema,
  },
  /** Keeps the confirmed address (discovered again) and restarts Relais on it. */
  confirmHie: {
    request: setupAddressRequest,
    response: z.null(),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

export type IpcContract = typeof ipcContract;
export type ChannelName = keyof IpcContract;
export type RequestOf<C extends ChannelName> = z.infer<IpcContract[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.infer<IpcContract[C]['response']>;

export const channelNames = Object.keys(ipcContract) as ChannelName[];

/** What the preload exposes as `window.relais`: one function per channel, answering an envelope. */
export type RelaisBridge = {
  readonly [C in ChannelName]: RequestOf<C> extends undefined
    ? () => Promise<IpcEnvelope<ResponseOf<C>>>
    : (request: RequestOf<C>) => Promise<IpcEnvelope<ResponseOf<C>>>;
};
