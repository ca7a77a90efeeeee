/**
 * What decides who may see a resource: the patients it belongs to (its patient compartment, read
 * from every `Patient/<id>` reference it holds) and, for panel resources (Group, CareTeam), the
 * practitioners they give access to. Computed once per stored version and kept in the index, so
 * searches and history filter without re-reading resources.
 */
import type { Resource } from '@medplum/fhirtypes';

export type AccessTag = Readonly<{
  /**
   * patient: the Patient itself; compartment: references at least one patient; shared: no
   * patient (Practitioner, Organization...); panel: a Group or CareTeam that grants access;
   * participants: a message or task about no patient, seen by the practitioners it names only.
   */
  kind: 'patient' | 'compartment' | 'shared' | 'panel' | 'participants';
  patients: readonly string[];
  practitioners: readonly string[];
}>;

const none: readonly string[] = Object.freeze([]);
const sharedTag: AccessTag = Object.freeze({ kind: 'shared', patients: none, practitioners: none });
// Most resources reference exactly one patient: share their tag (500k resources, ~2.5k tags).
const compartmentTags = new Map<string, AccessTag>();
const patientTags = new Map<string, AccessTag>();

export function referencedId(reference: string, resourceType: string): string | undefined {
  // Relative (Patient/1), versioned (Patient/1/_history/2) or absolute (https://x/fhir/Patient/1).
  const marker = `${resourceType}/`;
  const at = reference.startsWith(marker) ? 0 : reference.lastIndexOf(`/${marker}`) + 1;
  if (at === 0 && !reference.startsWith(marker)) return undefined;
  const rest = reference.slice(at + marker.length);
  const id = rest.split('/')[0] ?? '';
  return /^[A-Za-z0-9\-.]{1,64}$/.test(id) ? id : undefined;
}

function collectReferences(value: unknown, resourceType: string, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, resourceType, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string') {
      const id = referencedId(child, resourceType);
      if (id !== undefined) out.add(id);
    } else if (typeof child === 'object') {
      collectReferences(child, resourceType, out);
    }
  }
}

export function patientReferences(value: unknown): string[] {
  const out = new Set<string>();
  collectReferences(value, 'Patient', out);
  return [...out];
}

function referenceOf(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const reference: unknown = (value as { reference?: unknown }).reference;
  return typeof reference === 'string' ? reference : undefined;
}

function practitionerIdOf(value: unknown): string[] {
  const reference = referenceOf(value);
  const id = reference === undefined ? undefined : referencedId(reference, 'Practitioner');
  return id === undefined ? [] : [id];
}

function patientTag(id: string): AccessTag {
  let tag = patientTags.get(id);
  if (!tag) {
    tag = Object.freeze({ kind: 'patient', patients: Object.freeze([id]), practitioners: none });
    patientTags.set(id, tag);
  }
  return tag;
}

function compartmentTag(patients: readonly string[]): AccessTag {
  if (patients.length === 0) return sharedTag;
  if (patients.length > 1) return { kind: 'compartment', patients, practitioners: none };
  const id = patients[0] ?? '';
  let tag = compartmentTags.get(id);
  if (!tag) {
    tag = Object.freeze({ kind: 'compartment', patients: Object.freeze([id]), practitioners: none });
    compartmentTags.set(id, tag);
  }
  return tag;
}

export function accessTagOf(resource: Resource): AccessTag {
  if (resource.resourceType === 'Patient') return patientTag(resource.id ?? '');
  if (resource.resourceType === 'Group') {
    // A Group is a panel for its managing practitioner (inactive members are out of it).
    const patients = (resource.member ?? [])
      .filter((m) => m.inactive !== true)
      .flatMap((m) => {
        const reference = referenceOf(m.entity);
        const id = reference === undefined ? undefined : referencedId(reference, 'Patient');
        return id === undefined ? [] : [id];
      });
    return { kind: 'panel', patients, practitioners: practitionerIdOf(resource.managingEntity) };
  }
  if (resource.resourceType === 'CareTeam') {
    const patients = patientReferences({ subject: resource.subject });
    const practitioners = (resource.participant ?? []).flatMap((p) => practitionerIdOf(p.member));
    return { kind: 'panel', patients, practitioners };
  }
  const patients = patientReferences(resource);
  if (patients.length === 0 && coordinationTypes.has(resource.resourceType)) {
    // A message or task between practitioners about no patient is theirs alone, never "shared".
    const practitioners = new Set<string>();
    collectReferences(resource, 'Practitioner', practitioners);
    return { kind: 'participants', patients: none, practitioners: [...practitioners] };
  }
  return compartmentTag(patients);
}

/** Types that carry messages or work between practitioners. */
const coordinationTypes = new Set(['Communication', 'CommunicationRequest', 'Task', 'ServiceRequest']);
