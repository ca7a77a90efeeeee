import type { Record_ } from '../fhir/fhir-text';

/**
 * Another FHIR source's records in the patient summary (issue 15): what the chart shows of them
 * (the linked patient's records there that the HIE does not already hold, sources.ts
 * mergeRecords) joins the IPS document and its printed form, each marked with where it came from.
 *
 * Two servers may use one id for different things, and a source's references mean that source's
 * resources, so each of its records is carried under a new id, with:
 * - `meta.source`: its address at that source (`<source base>/<Type>/<id>`), kept in the Bundle;
 * - its references rewritten: to that source's patient → the summary's patient; to another record
 *   or Medication of that source carried here → its new id; any other relative reference → made
 *   absolute on that source's base (never read against the HIE's, nor the receiver's).
 */
export type SourceRecords = Readonly<{
  source: Readonly<{ id: string; label: string; fhirBase: string }>;
  /** That source's refs of this patient (`Patient/<id>` there: the linked record or records). */
  patients: readonly string[];
  /** Its records the chart shows (not the Patient). */
  resources: readonly Record_[];
  /** The Medications they name, by `Medication/<id>` at that source. */
  medications: ReadonlyMap<string, Record_>;
}>;

export type SourcedForIps = Readonly<{
  /** The records to add to the summary's, under their new ids. */
  resources: Record_[];
  /** The Medications they name, by `Medication/<new id>`. */
  referenced: Map<string, Record_>;
  /** Each source's base and name, for the summary's lines (buildIps `sources`). */
  sources: Readonly<{ fhirBase: string; label: string }>[];
}>;

const relativeRef = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const baseOf = (fhirBase: string): string => fhirBase.replace(/\/+$/, '');

/** `Type/id` at that source for a reference (relative, or absolute on its base), else null. */
function atSource(reference: string, base: string): string | null {
  const unversioned = reference.replace(/\/_history\/[^/]+$/, '');
  if (relativeRef.test(unversioned)) return unversioned;
  if (!unversioned.startsWith(`${base}/`)) return null;
  const rest = unversioned.slice(base.length + 1);
  return relativeRef.test(rest) ? rest : null;
}

function rewrite(value: unknown, at: (reference: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, at));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = key === 'reference' && typeof inner === 'string' ? at(inner) : rewrite(inner, at);
  return out;
}

/** The other sources' records for `buildIps`, re-identified and marked (see above). `patient`: the summary's patient (`Patient/<id>` on the HIE). */
export function sourcedForIps(patient: string, others: readonly SourceRecords[], uuid: () => string): SourcedForIps {
  const resources: Record_[] = [];
  const referenced = new Map<string, Record_>();
  const sources: Array<Readonly<{ fhirBase: string; label: string }>> = [];
  for (const other of others) {
    const base = baseOf(other.source.fhirBase);
    sources.push({ fhirBase: base, label: other.source.label });
    // One of each `Type/id` (a Medication listed twice is carried once).
    const carried = [...new Map([...other.resources.filter((r) => r['resourceType'] !== 'Patient'), ...other.medications.values()].map((r) => [`${String(r['resourceType'])}/${String(r['id'])}`, r])).values()];
    const newIds = new Map<string, string>();
    for (const resource of carried) newIds.set(`${String(resource['resourceType'])}/${String(resource['id'])}`, uuid());
    const patients = new Set(other.patients);
    const at = (reference: string): string => {
      const local = atSource(reference, base);
      if (local === null) return reference; // another server's, a urn, a contained '#…': as it is
      if (patients.has(local)) return patient;
      const moved = newIds.get(local);
      if (moved !== undefined) return `${local.slice(0, local.indexOf('/'))}/${moved}`;
      return `${base}/${local}`;
    };
    for (const resource of carried) {
      const type = String(resource['resourceType']);
      const key = `${type}/${String(resource['id'])}`;
      const rewritten = rewrite(resource, at) as Record_;
      const meta = isRecord(rewritten['meta']) ? rewritten['meta'] : {};
      const { versionId: _v, lastUpdated: _l, source: _s, ...keptMeta } = meta;
      const marked: Record_ = { ...rewritten, id: newIds.get(key) as string, meta: { ...keptMeta, source: `${base}/${key}` } };
      if (other.medications.get(key) === resource) referenced.set(`${type}/${String(marked['id'])}`, marked);
      else resources.push(marked);
    }
  }
  return { resources, referenced, sources };
}

/** The source a carried record came from (its `meta.source` on a listed base), else null (the HIE's own). */
export function sourceLabelOf(resource: Record_, sources: readonly Readonly<{ fhirBase: string; label: string }>[]): string | null {
  const meta = isRecord(resource['meta']) ? resource['meta'] : null;
  const source = typeof meta?.['source'] === 'string' ? meta['source'] : null;
  if (source === null) return null;
  return sources.find((s) => source.startsWith(`${baseOf(s.fhirBase)}/`))?.label ?? null;
}
