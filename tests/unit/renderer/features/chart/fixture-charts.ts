import { readdirSync, readFileSync } from 'node:fs';
import { isPatientRef, patientOf } from '../../../../../shared/fhir/compartment';
import type { FhirResource } from '../../../../../shared/fhir/resource';
import type { ReplicaEntry } from '../../../../../renderer/db/resource-docs';

/**
 * The fixture corpus (tests/fixtures/fhir) as the replica would hold it, patient by patient:
 * references resolved as the sandbox resolves them at load (urn:uuid and fullUrl to Type/id,
 * `${FHIR_BASE}` to an absolute base), grouped by the patient compartment.
 */
export const fixtureBase = 'https://hie.example.org/fhir';
const dir = 'tests/fixtures/fhir';

type Entry = { fullUrl?: string; resource: FhirResource & { id?: string } };

export function fixtureResources(): FhirResource[] {
  const all: FhirResource[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const bundle = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as { entry?: Entry[] };
    const byFullUrl = new Map<string, string>();
    const withIds = (bundle.entry ?? []).map((e) => {
      const id = e.resource.id ?? /^urn:uuid:(.+)$/.exec(e.fullUrl ?? '')?.[1] ?? '';
      if (e.fullUrl) byFullUrl.set(e.fullUrl, `${e.resource.resourceType}/${id}`);
      return { ...e.resource, id };
    });
    const resolve = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(resolve);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, k === 'reference' && typeof v === 'string' ? (byFullUrl.get(v) ?? v.replace('${FHIR_BASE}', fixtureBase)) : resolve(v)]),
      );
    };
    all.push(...withIds.map((r) => resolve(r) as FhirResource));
  }
  return all;
}

/** Patient ref → the entries the replica would hold for that patient. */
export function fixtureCharts(): Map<string, ReplicaEntry[]> {
  const charts = new Map<string, ReplicaEntry[]>();
  for (const resource of fixtureResources()) {
    const patient = patientOf(resource, { fhirBase: fixtureBase });
    if (!isPatientRef(patient)) continue;
    const entry: ReplicaEntry = { ref: `${resource.resourceType}/${String(resource.id)}`, resourceType: resource.resourceType, syncState: 'synced', resource };
    charts.set(patient, [...(charts.get(patient) ?? []), entry]);
  }
  return charts;
}
