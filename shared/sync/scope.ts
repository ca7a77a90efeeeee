import { z } from 'zod';
import { resolveLiteralReference, type ReferenceContext } from '../fhir/compartment';
import { parseBundle } from './bundle';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';

/**
 * The patients the clinician may see, read from the HIE at every sync: members of the panel
 * Groups the practitioner manages, and subjects of the CareTeams they take part in.
 */
const referenceSchema = z.object({ reference: z.string() }).loose();
const groupSchema = z
  .object({
    resourceType: z.literal('Group'),
    member: z.array(z.object({ entity: referenceSchema, inactive: z.boolean().optional() }).loose()).optional(),
  })
  .loose();
const careTeamSchema = z
  .object({
    resourceType: z.literal('CareTeam'),
    status: z.string().optional(),
    subject: referenceSchema.optional(),
  })
  .loose();

async function* searchAll(transport: FhirTransport, query: string, seen: { serverDate: string | null }): AsyncGenerator<unknown> {
  const visited = new Set<string>();
  let target: string | null = query;
  while (target !== null && !visited.has(target)) {
    visited.add(target);
    const response = await exchange(transport, { method: 'GET', target });
    seen.serverDate ??= response.headers['date'] ?? null;
    const bundle = parseBundle(response.body, 'searchset');
    for (const entry of bundle.entries) if ((entry.search?.mode ?? 'match') === 'match') yield entry.resource;
    target = bundle.next;
  }
}

const consentSchema = z
  .object({
    resourceType: z.literal('Consent'),
    status: z.string(),
    patient: referenceSchema.optional(),
    provision: z
      .object({
        type: z.enum(['deny', 'permit']).optional(),
        purpose: z.array(z.object({ system: z.string().optional(), code: z.string().optional() }).loose()).optional(),
        period: z.object({ start: z.string().optional(), end: z.string().optional() }).loose().optional(),
        actor: z.array(z.object({ reference: referenceSchema }).loose()).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/**
 * A patient's active Consent that denies sharing, to everyone or to this practitioner, in force
 * now by the HIE's clock: that patient is out of scope, whatever the panel says.
 */
/**
 * `Type/<id>` of a reference as this HIE means it (relative, versioned, or absolute on its base),
 * or null: a Consent written with `https://hie/fhir/Patient/9` denies as surely as one with `Patient/9`.
 */
function target(reference: string | undefined, type: 'Patient' | 'Practitioner', context: ReferenceContext): string | null {
  if (reference === undefined) return null;
  const resolved = resolveLiteralReference(reference, context);
  return resolved !== null && resolved.type === type ? `${type}/${resolved.id}` : null;
}

function deniesSharing(consent: z.infer<typeof consentSchema>, practitioner: string, serverNow: number, context: ReferenceContext): boolean {
  if (consent.status !== 'active' || consent.provision?.type !== 'deny') return false;
  const { start, end } = consent.provision.period ?? {};
  if (start !== undefined && !Number.isNaN(serverNow) && Date.parse(start) > serverNow) return false;
  if (end !== undefined && !Number.isNaN(serverNow) && Date.parse(end) < serverNow) return false;
  const actors = consent.provision.actor ?? [];
  return actors.length === 0 || actors.some((a) => target(a.reference.reference, 'Practitioner', context) === practitioner);
}

/** An HIE-granted emergency access ("break the glass") for this practitioner, in force now. */
function grantsEmergencyAccess(consent: z.infer<typeof consentSchema>, practitioner: string, serverNow: number, context: ReferenceContext): boolean {
  const provision = consent.provision;
  if (consent.status !== 'active' || provision?.type !== 'permit') return false;
  if (!(provision.purpose ?? []).some((p) => p.code === 'BTG')) return false;
  if (!(provision.actor ?? []).some((a) => target(a.reference.reference, 'Practitioner', context) === practitioner)) return false;
  const end = provision.period?.end;
  return end === undefined || Number.isNaN(serverNow) || Date.parse(end) > serverNow;
}

export type Scope = Readonly<{
  patients: ReadonlySet<string>;
  /** Patients in scope only through an emergency access (break the glass): their events are flagged. */
  emergency: ReadonlySet<string>;
  /** The HIE's clock at the time of reading (its Date header): where a first history stream starts. */
  serverDate: string | null;
}>;

export async function readScope(transport: FhirTransport, practitioner: string, context: ReferenceContext = {}): Promise<Scope> {
  const patients = new Set<string>();
  const seen: { serverDate: string | null } = { serverDate: null };
  const who = encodeURIComponent(practitioner);
  for await (const resource of searchAll(transport, `Group?managing-entity=${who}&_count=100`, seen)) {
    const group = groupSchema.safeParse(resource);
    if (!group.success) continue;
    for (const member of group.data.member ?? []) {
      if (member.inactive === true) continue;
      const patient = target(member.entity.reference, 'Patient', context);
      if (patient !== null) patients.add(patient);
    }
  }
  for await (const resource of searchAll(transport, `CareTeam?participant=${who}&_count=100`, seen)) {
    const team = careTeamSchema.safeParse(resource);
    if (!team.success || team.data.status === 'inactive' || team.data.status === 'entered-in-error') continue;
    const subject = target(team.data.subject?.reference, 'Patient', context);
    if (subject !== null) patients.add(subject);
  }
  const serverNow = seen.serverDate === null ? Number.NaN : Date.parse(seen.serverDate);
  const denied = new Set<string>();
  const emergency = new Set<string>();
  for await (const resource of searchAll(transport, 'Consent?status=active&_count=100', seen)) {
    const consent = consentSchema.safeParse(resource);
    const subject = consent.success ? target(consent.data.patient?.reference, 'Patient', context) : null;
    if (!consent.success || subject === null) continue;
    if (deniesSharing(consent.data, practitioner, serverNow, context)) denied.add(subject);
    else if (grantsEmergencyAccess(consent.data, practitioner, serverNow, context) && !patients.has(subject)) emergency.add(subject);
  }
  for (const patient of emergency) patients.add(patient);
  for (const patient of denied) {
    patients.delete(patient);
    emergency.delete(patient);
  }
  return { patients, emergency, serverDate: seen.serverDate };
}
