import { z } from 'zod';
import { readPolicyDocument, systemPolicyDeps, type PolicyStore, type PolicyStoreDeps } from './policy-store';
import { identifierPriorityPolicySchema, idleLockMinutesSchema, imagingViewerUrlSchema, messageAttachmentMaxBytesSchema, passphraseMinLengthSchema } from '../../shared/ipc/contract';
import { linkIdentifierSystemsSchema, otherSourcesSchema, sourcesFrom, type FhirSource } from '../../shared/exchange/source-policy';
import { isViewerTemplate, viewerOrigin } from '../../shared/security/external-links';
import { updatePolicySchema } from '../updates/update-policy';

/**
 * Which HIE this installation talks to, and how: IT's policy, read where each OS manages machines
 * (policy-store.ts: the registry on Windows, managed preferences on macOS, /etc/relais/policy.json
 * on Linux; docs/OPERATIONS.md), or, in development only, the RELAIS_FHIR_BASE environment
 * variable. A packaged build reads the machine-wide store and nothing the user can set: no
 * environment variable chooses the store or the HIE (an HIE address from the environment would
 * receive the refresh token).
 */
const policySchema = z
  .object({
    /** The HIE. Without it, a packaged Relais shows the setup screen (hie-setup.ts), never a demo. */
    fhirBase: z.string().url().optional(),
    /** true: with no `fhirBase`, an administrator may enter the HIE's address on the setup screen (discovered and confirmed first). */
    allowAdminSetup: z.boolean().optional(),
    clientId: z.string().min(1).max(200).optional(),
    externalOrigins: z.array(z.string().url()).max(100).optional(),
    offlineLeaseDays: z.number().int().min(0).max(365).optional(),
    /** Wrong passphrases before an online sign-in is required (attempts after the third wait 1 s, 2 s, 4 s …). */
    maxUnlockAttempts: z.number().int().min(3).max(100).optional(),
    /** The order of the identifiers a chart and the patient list show (e.g. INS, then the hospital's MRN). */
    identifierPriority: identifierPriorityPolicySchema.optional(),
    /** The largest file a clinician may attach to a message, in bytes (0: no attachments; at most 2 MB); 1 MB when not set. */
    messageAttachmentMaxBytes: messageAttachmentMaxBytesSchema.optional(),
    /** The image viewer's address, `{studyUid}` marking the study (https; its origin is allowed for links). */
    imagingViewerUrl: imagingViewerUrlSchema.refine(isViewerTemplate, { message: 'an https address with {studyUid} once, in its path or query' }).optional(),
    /** Other FHIR servers a chart also reads from, each signed in to on its own (shared/exchange/source-policy.ts); edits go to `fhirBase` only. */
    sources: otherSourcesSchema.optional(),
    /** The identifier systems that link one person's records across sources (INS and the NHS number when not set). */
    linkIdentifierSystems: linkIdentifierSystemsSchema.optional(),
    /** The longest idle time (minutes) a clinician may choose before the screen locks (60 when not set). */
    idleLockMaxMinutes: idleLockMinutesSchema.optional(),
    /** The idle time (minutes) until a clinician chooses another (10 when not set; at most idleLockMaxMinutes). */
    idleLockDefaultMinutes: idleLockMinutesSchema.optional(),
    /** The shortest passphrase a clinician may choose, in characters (12 when not set, never less). */
    passphraseMinLength: passphraseMinLengthSchema.optional(),
    /** Updates from IT's feed (electron/updates/update-policy.ts): feed, channel, on or off, a pinned version. None when not set. */
    updates: updatePolicySchema.optional(),
    /** Where the secrets are kept: the OS keychain through keytar (the default) or Electron safeStorage (electron/secrets/secret-store-choice.ts). */
    secretStore: z.enum(['keychain', 'safeStorage']).optional(),
  })
  .strict()
  .refine((policy) => policy.idleLockDefaultMinutes === undefined || policy.idleLockDefaultMinutes <= (policy.idleLockMaxMinutes ?? 60), { message: 'idleLockDefaultMinutes is above idleLockMaxMinutes' });

export type HiePolicy = z.infer<typeof policySchema>;
/** A policy with its HIE: IT's `fhirBase`, or the address an administrator confirmed on the setup screen (hie-setup.ts). */
export type ConfiguredPolicy = HiePolicy & Readonly<{ fhirBase: string }>;

/** Every key a policy may set (each an ADMX policy, a configuration profile key and a row of docs/OPERATIONS.md). */
export const policyKeys: readonly string[] = Object.keys(policySchema.shape);

/** The policy a store holds, checked: its schema, then its sources (not https, an id or a server named twice). Throws PolicyError. */
export function checkedPolicy(document: unknown): HiePolicy {
  try {
    const policy = policySchema.parse(document);
    // The other sources are checked against the HIE when there is one, and among themselves when not.
    policySources({ ...policy, fhirBase: policy.fhirBase ?? 'https://hie.invalid/fhir' }, 'HIE');
    return policy;
  } catch {
    throw new PolicyError();
  }
}

/** Every source the policy names, the primary (`fhirBase`) first; throws SourcePolicyError on an unsafe list (checked when the policy is read). */
export const policySources = (policy: ConfiguredPolicy, primaryLabel: string): FhirSource[] =>
  sourcesFrom({ fhirBase: policy.fhirBase, clientId: policy.clientId ?? null, label: primaryLabel }, policy.sources ?? []);

/**
 * The sites links may open in the system browser: the policy's `externalOrigins` when IT set it
 * (https origins only; anything else in the list is dropped), else the built-in reference sites;
 * with the image viewer's origin when the policy names a viewer.
 */
export function externalOriginsFrom(policy: HiePolicy | null, defaults: readonly string[]): readonly string[] {
  const viewer = policy?.imagingViewerUrl === undefined ? null : viewerOrigin(policy.imagingViewerUrl);
  if (policy?.externalOrigins === undefined) return viewer === null ? defaults : [...new Set([...defaults, viewer])];
  const origins = new Set<string>(viewer === null ? [] : [viewer]);
  for (const value of policy.externalOrigins) {
    const url = new URL(value);
    if (url.protocol === 'https:' && url.username === '' && url.password === '') origins.add(url.origin);
  }
  return [...origins];
}

export class PolicyError extends Error {
  constructor() {
    super('The Relais policy is not valid: ask IT to check it against docs/OPERATIONS.md.');
    this.name = 'PolicyError';
  }
}

/** The policy, or null when none is set. A present but unreadable or invalid policy is an error, never ignored. */
export async function readHiePolicy(
  store: PolicyStore,
  env: Readonly<Record<string, string | undefined>>,
  options: { packaged?: boolean; deps?: PolicyStoreDeps } = {},
): Promise<HiePolicy | null> {
  let document: unknown;
  try {
    document = await readPolicyDocument(store, options.deps ?? systemPolicyDeps);
  } catch {
    throw new PolicyError();
  }
  if (document !== null) return checkedPolicy(document);
  if (options.packaged === true) return null;
  const fromEnv = env['RELAIS_FHIR_BASE'];
  return fromEnv === undefined || fromEnv === '' ? null : policySchema.parse({ fhirBase: fromEnv });
}
