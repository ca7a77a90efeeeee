import { z } from 'zod';
import { isSecureOrLoopback } from '../security/secure-url';
import { clientScope, readTypes } from '../sync/client-scope';
import { sourceIdSchema } from '../ipc/contract';

/**
 * The FHIR sources a chart reads from (issue 15, point 1), as IT names them: the primary HIE (the
 * policy's `fhirBase`, where edits, messages and the access log go) and, in `sources`, other FHIR
 * servers the clinician may read, each signed in to on its own (its own SMART sign-in, client id,
 * scopes and offline lease) and kept in its own encrypted replica, so that one source's deletion,
 * purge or revoked access never touches another's data. Patients are linked across sources only by
 * an identifier of a system in `linkIdentifierSystems` (sources.ts), never by name.
 *
 * The primary is not in the list: there is exactly one by construction, and a policy written before
 * `sources` existed means what it meant. Both hosts read this: Electron main from the policy file,
 * the web host from its build (`VITE_RELAIS_SOURCES`, renderer/host/web-config.ts).
 */
export const primarySourceId = 'primary';
export { sourceIdSchema };

const otherSourceSchema = z
  .object({
    /** Stable: it names the source's replica and its records' badge; never reused for another server. */
    id: sourceIdSchema.refine((id) => id !== primarySourceId, { message: "'primary' names the policy's fhirBase" }),
    /** What the chart says an item came from ("CH de Périgueux"). */
    label: z.string().trim().min(1).max(60),
    fhirBase: z.string().url().max(2000),
    clientId: z.string().min(1).max(200).optional(),
    /** Days this source's data may be read offline after its last sign-in (the primary's lease when not set). */
    offlineLeaseDays: z.number().int().min(0).max(365).optional(),
  })
  .strict();

export const otherSourcesSchema = z.array(otherSourceSchema).max(8);
export type OtherSourcePolicy = z.infer<typeof otherSourceSchema>;

/** The identifier systems that link one person's records across sources: INS (NIR) and the NHS number when IT names none. */
export const linkIdentifierSystemsSchema = z.array(z.string().min(1).max(256)).min(1).max(10);
export const defaultLinkIdentifierSystems: readonly string[] = ['urn:oid:1.2.250.1.213.1.4.8', 'https://fhir.nhs.uk/Id/nhs-number'];

/**
 * A source as the app uses it. `scope` is what its sign-in asks for: the primary's whole client
 * scope; another source's, read and search only on the types Relais reads (nothing is ever written
 * there, so a stolen token of it can write nothing either).
 */
export type FhirSource = Readonly<{
  id: string;
  label: string;
  fhirBase: string;
  primary: boolean;
  clientId: string | null;
  scope: string;
  offlineLeaseDays: number | null;
}>;

export const readOnlySourceScope: string = ['openid', 'fhirUser', 'offline_access', ...readTypes.map((type) => `user/${type}.rs`)].join(' ');

export class SourcePolicyError extends Error {
  constructor(readonly reason: 'insecure' | 'duplicate-id' | 'duplicate-server') {
    super(`the policy's sources are not valid (${reason})`);
    this.name = 'SourcePolicyError';
  }
}

/** A FHIR base as compared: its URL without trailing slashes, so `…/fhir` and `…/fhir/` are one server. */
const sameBase = (value: string): string => new URL(value).href.replace(/\/+$/, '');

/**
 * Every source, the primary first. A source that is not https (or http on this computer, the
 * sandbox), an id used twice, or a server named twice (the primary included: its records would be
 * shown twice, from two replicas) is an error, never ignored: its tokens or records would go where
 * IT did not mean.
 */
export function sourcesFrom(primary: Readonly<{ fhirBase: string; clientId?: string | null; label: string }>, others: readonly OtherSourcePolicy[] = []): FhirSource[] {
  const sources: FhirSource[] = [
    { id: primarySourceId, label: primary.label, fhirBase: sameBase(primary.fhirBase), primary: true, clientId: primary.clientId ?? null, scope: clientScope, offlineLeaseDays: null },
  ];
  for (const other of others) {
    if (!isSecureOrLoopback(other.fhirBase)) throw new SourcePolicyError('insecure');
    if (sources.some((known) => known.id === other.id)) throw new SourcePolicyError('duplicate-id');
    const fhirBase = sameBase(other.fhirBase);
    if (sources.some((known) => known.fhirBase === fhirBase)) throw new SourcePolicyError('duplicate-server');
    sources.push({ id: other.id, label: other.label, fhirBase, primary: false, clientId: other.clientId ?? null, scope: readOnlySourceScope, offlineLeaseDays: other.offlineLeaseDays ?? null });
  }
  return sources;
}
