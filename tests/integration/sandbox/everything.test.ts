/**
 * `Patient/<id>/$everything`: the whole compartment plus the practitioners and organisation it
 * references, `_since` and `_type` filters, paging, and no access outside the panel.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { fhirClient, idsOf, json, matches, practitioners, clockPast, startTestSandbox, tokenFor, type FhirClient, type Practitioner } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let doctor: Practitioner;
let other: Practitioner;
let patientId: string;

const compartmentSearches = ['Condition', 'MedicationRequest', 'AllergyIntolerance', 'Encounter', 'Observation', 'DocumentReference', 'Composition'];

beforeAll(async () => {
  sandbox = await startTestSandbox({ resourcesPerPatient: 60 });
  const all = await practitioners(sandbox);
  doctor = all[0] as Practitioner;
  other = all[1] as Practitioner;
  patientId = doctor.patients[0] ?? '';
  fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id));
});

afterAll(async () => {
  await sandbox.close();
});

describe('$everything', () => {
  it('returns the patient, every compartment resource and the shared resources they reference', async () => {
    const everything = matches(await fhir.pages(`Patient/${patientId}/$everything`));
    const ids = idsOf(everything);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain(`Patient/${patientId}`);
    for (const type of compartmentSearches) {
      const searched = idsOf(matches(await fhir.pages(`${type}?patient=${patientId}&_count=1000`)));
      for (const id of searched) expect(ids).toContain(id);
    }
    const types = new Set(everything.map((r) => r.resourceType));
    expect(types.has('Practitioner')).toBe(true);
    expect(types.has('Organization')).toBe(true);
    expect(everything.length).toBeGreaterThanOrEqual(60);
  });

  it('pages with _count and next links, exactly once', async () => {
    const all = idsOf(matches(await fhir.pages(`Patient/${patientId}/$everything`)));
    const pages = await fhir.pages(`Patient/${patientId}/$everything?_count=7`);
    expect(pages.length).toBe(Math.ceil(all.length / 7));
    expect(idsOf(matches(pages)).sort()).toEqual([...all].sort());
  });

  it('returns only what changed since _since', async () => {
    await clockPast();
    const since = new Date().toISOString();
    const id = crypto.randomUUID();
    const created = await fhir.request('PUT', `Observation/${id}`, {
      body: { resourceType: 'Observation', id, status: 'final', code: { text: 'new' }, subject: { reference: `Patient/${patientId}` } },
    });
    expect(created.status).toBe(201);
    const recent = matches(await fhir.pages(`Patient/${patientId}/$everything?_since=${encodeURIComponent(since)}`));
    expect(idsOf(recent)).toEqual([`Observation/${id}`]);
  });

  it('filters by _type', async () => {
    const onlyConditions = matches(await fhir.pages(`Patient/${patientId}/$everything?_type=Condition`));
    expect(onlyConditions.length).toBeGreaterThan(0);
    expect(onlyConditions.every((r: Resource) => r.resourceType === 'Condition')).toBe(true);
  });

  it('gives 404 for a patient outside the panel', async () => {
    const outside = other.patients.find((p) => !doctor.patients.includes(p)) ?? '';
    const reply = await fhir.get(`Patient/${outside}/$everything`);
    expect(reply.status).toBe(404);
  });

  it('leaves out deleted resources', async () => {
    const before = matches(await fhir.pages(`Patient/${patientId}/$everything?_type=Condition`));
    const victim = before[0];
    expect((await fhir.request('DELETE', `Condition/${victim?.id}`)).status).toBe(200);
    const after = idsOf(matches(await fhir.pages(`Patient/${patientId}/$everything?_type=Condition`)));
    expect(after).not.toContain(`Condition/${victim?.id}`);
    expect(after.length).toBe(before.length - 1);
    const bundle = await json<Bundle>(await fhir.request('GET', `Patient/${patientId}/$everything?_count=1`));
    expect(bundle.type).toBe('searchset');
  });
});
