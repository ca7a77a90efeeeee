import { compartmentPaths } from './patient-compartment';
import type { FhirResource } from './resource';

/**
 * Which patient a resource belongs to: its Patient compartment (FHIR R4), read along every element
 * the compartment definition names for its type (patient-compartment.ts), with references resolved
 * the FHIR way (R4 §2.3.0 "Resource References"): relative (`Patient/9`), versioned
 * (`Patient/9/_history/2`), or absolute against the HIE's base (`https://hie/fhir/Patient/9`).
 *
 * - `Patient/<id>`: the one patient it belongs to;
 * - `null`: not patient data (Practitioner, Organization, Medication…);
 * - `'ambiguous'`: it names more than one patient;
 * - `'unresolved'`: patient data whose patient cannot be known here (an identifier-only or
 *   contained patient, another server's patient, no patient at all). Never stored: a row that
 *   cannot be tied to a patient could be neither scoped nor purged.
 */
export type PatientOfResult = string | null | 'ambiguous' | 'unresolved';

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** R5's `Provenance.patient` as an R4 extension (FHIR cross-version extensions). */
export const provenancePatientExtension = 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Provenance.patient';

export type ReferenceContext = Readonly<{
  /** The HIE's FHIR base, against which absolute references are resolved. */
  fhirBase?: string;
}>;

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `Type/id` of a literal reference on this server, or null (contained, urn:, another server, malformed). */
export function resolveLiteralReference(reference: string, context: ReferenceContext = {}): { type: string; id: string } | null {
  let path = reference;
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) {
    if (context.fhirBase === undefined) return null;
    let target: URL;
    let base: URL;
    try {
      target = new URL(reference);
      base = new URL(context.fhirBase);
    } catch {
      return null;
    }
    const basePath = base.pathname.replace(/\/+$/, '');
    if (target.origin !== base.origin || !target.pathname.startsWith(`${basePath}/`) || target.search !== '' || target.hash !== '') return null;
    path = target.pathname.slice(basePath.length + 1);
  }
  const match = /^([A-Z][A-Za-z]{1,63})\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(path);
  if (match === null || !idPattern.test(match[2] as string)) return null;
  return { type: match[1] as string, id: match[2] as string };
}

/** Every Reference found along a dotted element path (arrays are walked). */
function referencesAt(value: unknown, path: readonly string[]): Readonly<Record<string, unknown>>[] {
  if (Array.isArray(value)) return value.flatMap((item) => referencesAt(item, path));
  if (!isRecord(value)) return [];
  const [head, ...rest] = path;
  if (head === undefined) return [value];
  return referencesAt(value[head], rest);
}

/** Does this Reference point at a Patient (by its literal, its type, or its identifier's type)? */
function targetsPatient(reference: Readonly<Record<string, unknown>>): boolean {
  const literal = reference['reference'];
  if (typeof literal === 'string' && /(^|\/)Patient\/[^/]+(\/_history\/[^/]+)?$/.test(literal)) return true;
  return reference['type'] === 'Patient';
}

/** Types that may be about no patient (coordination between practitioners). */
const patientlessAllowed = new Set(['Communication', 'CommunicationRequest', 'Task', 'ServiceRequest']);

export function patientOf(resource: FhirResource, context: ReferenceContext = {}): PatientOfResult {
  if (resource.resourceType === 'Patient') return typeof resource.id === 'string' && idPattern.test(resource.id) ? `Patient/${resource.id}` : 'unresolved';
  const paths = compartmentPaths(resource.resourceType);
  if (paths === null) return null;
  const found = new Set<string>();
  let unresolved = 0;
  const references = paths.flatMap((path) => referencesAt(resource, path.split('.')));
  // R4 files a Provenance under a patient only when it targets the Patient; R5's Provenance.patient,
  // carried as its cross-version extension, names the patient whose records it is about.
  if (resource.resourceType === 'Provenance') {
    for (const extension of referencesAt(resource, ['extension'])) {
      if (extension['url'] === provenancePatientExtension && isRecord(extension['valueReference'])) references.push({ type: 'Patient', ...extension['valueReference'] });
    }
  }
  {
    for (const reference of references) {
      if (!targetsPatient(reference)) continue;
      const literal = reference['reference'];
      const target = typeof literal === 'string' ? resolveLiteralReference(literal, context) : null;
      if (target !== null && target.type === 'Patient') found.add(`Patient/${target.id}`);
      else unresolved += 1;
    }
  }
  if (found.size > 1 || (found.size === 1 && unresolved > 0)) return 'ambiguous';
  // A message or task between practitioners that names no patient at all is nobody's chart: kept as shared data.
  if (found.size === 0 && unresolved === 0 && patientlessAllowed.has(resource.resourceType)) return null;
  if (found.size === 0) return 'unresolved';
  return [...found][0] as string;
}

/** A patient's own reference (`Patient/<id>`), as the scope and the replica key it. */
export const isPatientRef = (value: PatientOfResult): value is string => value !== null && value !== 'ambiguous' && value !== 'unresolved';
