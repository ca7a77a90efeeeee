/**
 * A practitioner sees only the patients of their panel (their Group, CareTeams they are in) and
 * those patients' compartments: in reads, searches, _include/_revinclude, _history and
 * $everything. Reads outside give 404, writes outside 403; panel changes apply on the next request.
 */
import type { Bundle, CareTeam, Group, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, fhirClient, idsOf, matches, practitioners, startTestSandbox, tokenFor, type FhirClient, type Practitioner } from './support.ts';

let sandbox: Sandbox;
let doctor: Practitioner;
let colleague: Practitioner;
let fhir: FhirClient;
let admin: FhirClient;
let outsider: string;

function patientOf(resource: Resource): string | undefined {
  const text = JSON.stringify(resource);
  return /"reference":"Patient\/([^"]+)"/.exec(text)?.[1];
}

function expectAllVisible(resources: readonly Resource[], visible: readonly string[]): void {
  for (const resource of resources) {
    if (resource.resourceType === 'Patient') expect(visible).toContain(resource.id);
    else {
      const patient = patientOf(resource);
      if (patient !== undefined) expect(visible, `${resource.resourceType}/${resource.id}`).toContain(patient);
    }
  }
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 16, resourcesPerPatient: 30 });
  const all = await practitioners(sandbox);
  doctor = all[0] as Practitioner;
  colleague = all[1] as Practitioner;
  outsider = colleague.patients.find((p) => !doctor.patients.includes(p)) ?? '';
  fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id));
  admin = fhirClient(sandbox, await tokenFor(sandbox, colleague.id));
});

afterAll(async () => {
  await sandbox.close();
});

describe('panel filtering', () => {
  it('searches return exactly the panel’s patients', async () => {
    const patients = idsOf(matches(await fhir.pages('Patient?_count=1000')));
    expect(patients.sort()).toEqual(doctor.patients.map((p) => `Patient/${p}`).sort());
    expect(doctor.patients.length).toBeGreaterThan(2);
    expect(outsider).not.toBe('');
  });

  it('includes patients shared through a CareTeam, not only the Group', async () => {
    const teams = matches(await fhir.pages(`CareTeam?participant=Practitioner/${doctor.id}`)) as CareTeam[];
    expect(teams.length).toBeGreaterThan(0);
    const viaTeam = teams.map((t) => t.subject?.reference?.split('/')[1] ?? '');
    const group = matches(await fhir.pages(`Group?managing-entity=Practitioner/${doctor.id}`)) as Group[];
    const members = (group[0]?.member ?? []).map((m) => m.entity.reference?.split('/')[1]);
    expect(viaTeam.some((id) => !members.includes(id))).toBe(true);
    for (const id of viaTeam) expect(doctor.patients).toContain(id);
  });

  it('searches over compartments return only the panel’s resources', async () => {
    const observations = matches(await fhir.pages('Observation?_count=1000'));
    expect(observations.length).toBeGreaterThan(0);
    expectAllVisible(observations, doctor.patients);
    expect(observations.some((o) => patientOf(o) === outsider)).toBe(false);
  });

  it('reads outside the panel give 404, for the patient and for their resources', async () => {
    expect((await fhir.get(`Patient/${outsider}`)).status).toBe(404);
    const theirs = matches(await admin.pages(`Observation?patient=${outsider}&_count=1`, 1))[0];
    expect(theirs).toBeDefined();
    expect((await fhir.get(`Observation/${theirs?.id}`)).status).toBe(404);
    expect((await fhir.get(`Observation/${theirs?.id}/_history`)).status).toBe(404);
    expect((await fhir.get(`Observation/${theirs?.id}/_history/${theirs?.meta?.versionId}`)).status).toBe(404);
    expect((await fhir.get(`Patient/${outsider}/$everything`)).status).toBe(404);
    expect(matches(await fhir.pages(`Observation?patient=${outsider}`)).length).toBe(0);
  });

  it('writes outside the panel give 403 and change nothing', async () => {
    const theirs = matches(await admin.pages(`Observation?patient=${outsider}&_count=1`, 1))[0] as Observation;
    const update = await fhir.request('PUT', `Observation/${theirs.id}`, { body: { ...theirs, status: 'cancelled' } });
    expect(update.status).toBe(403);
    const staleUpdate = await fhir.request('PUT', `Observation/${theirs.id}`, { body: { ...theirs, status: 'cancelled' }, headers: { 'if-match': 'W/"x"' } });
    expect(staleUpdate.status).toBe(403);
    expect((await fhir.request('DELETE', `Observation/${theirs.id}`)).status).toBe(403);
    const id = crypto.randomUUID();
    const create = await fhir.request('PUT', `Observation/${id}`, { body: { resourceType: 'Observation', id, status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${outsider}` } } });
    expect(create.status).toBe(403);
    expect((await admin.get<Observation>(`Observation/${theirs.id}`)).body.status).toBe(theirs.status);
    expect((await admin.get(`Observation/${id}`)).status).toBe(404);
  });

  it('cannot add an outside patient to their own Group (403)', async () => {
    const group = (matches(await fhir.pages(`Group?managing-entity=Practitioner/${doctor.id}`)) as Group[])[0] as Group;
    const widened = { ...group, member: [...(group.member ?? []), { entity: { reference: `Patient/${outsider}` } }] };
    expect((await fhir.request('PUT', `Group/${group.id}`, { body: widened })).status).toBe(403);
  });

  it('hides other practitioners’ panel Groups', async () => {
    const groups = matches(await fhir.pages('Group')) as Group[];
    expect(groups.map((g) => g.managingEntity?.reference)).toEqual([`Practitioner/${doctor.id}`]);
  });

  it('_include follows references only to visible resources', async () => {
    const bundles = await fhir.pages('Observation?_include=Observation:subject&_count=50');
    const included = bundles.flatMap((b) => (b.entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => e.resource as Resource));
    expect(included.some((r) => r.resourceType === 'Patient')).toBe(true);
    expectAllVisible(included, doctor.patients);
  });

  it('_revinclude brings in only the panel’s resources', async () => {
    const bundles = await fhir.pages('Practitioner?_revinclude=Patient:general-practitioner&_count=50');
    const included = bundles.flatMap((b) => (b.entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => e.resource as Patient));
    expect(included.length).toBeGreaterThan(0);
    expect(included.every((p) => doctor.patients.includes(p.id ?? ''))).toBe(true);
    const colleagueView = await admin.pages('Practitioner?_revinclude=Patient:general-practitioner&_count=50');
    const theirIncluded = colleagueView.flatMap((b) => (b.entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => e.resource?.id));
    expect(theirIncluded).toContain(outsider);
  });

  it('_history (system and type) lists only the panel’s versions', async () => {
    const entries = (await fhir.pages('_history?_count=500')).flatMap((b) => b.entry ?? []);
    expect(entries.length).toBeGreaterThan(0);
    expectAllVisible(entries.flatMap((e) => (e.resource ? [e.resource] : [])), doctor.patients);
    const typeEntries = (await fhir.pages('Observation/_history?_count=500')).flatMap((b) => b.entry ?? []);
    expect(typeEntries.some((e) => e.resource && patientOf(e.resource) === outsider)).toBe(false);
  });

  it('_summary=count counts only what the caller may see', async () => {
    const mine = await fhir.get<Bundle>('Patient?_summary=count');
    expect(mine.body.total).toBe(doctor.patients.length);
  });
});

describe('panel changes', () => {
  it('takes a patient out of the panel on the next request, and back in', async () => {
    const group = (matches(await fhir.pages(`Group?managing-entity=Practitioner/${doctor.id}`)) as Group[])[0] as Group;
    const patient = group.member?.[1]?.entity.reference?.split('/')[1] ?? '';
    expect((await fhir.get(`Patient/${patient}`)).status).toBe(200);
    const observation = matches(await fhir.pages(`Observation?patient=${patient}&_count=1`, 1))[0];

    expect((await control(sandbox, 'POST', 'panel', { patient, practitioner: doctor.id, member: false })).status).toBe(204);
    expect((await fhir.get(`Patient/${patient}`)).status).toBe(404);
    expect((await fhir.get(`Observation/${observation?.id}`)).status).toBe(404);
    expect(idsOf(matches(await fhir.pages('Patient?_count=1000')))).not.toContain(`Patient/${patient}`);
    expect((await practitioners(sandbox))[0]?.patients).not.toContain(patient);

    expect((await control(sandbox, 'POST', 'panel', { patient, practitioner: doctor.id, member: true })).status).toBe(204);
    expect((await fhir.get(`Patient/${patient}`)).status).toBe(200);
    expect((await practitioners(sandbox))[0]?.patients).toContain(patient);
  });

  it('takes out a patient shared only through a CareTeam', async () => {
    const group = (matches(await fhir.pages(`Group?managing-entity=Practitioner/${doctor.id}`)) as Group[])[0] as Group;
    const members = (group.member ?? []).map((m) => m.entity.reference?.split('/')[1]);
    const teams = matches(await fhir.pages(`CareTeam?participant=Practitioner/${doctor.id}`)) as CareTeam[];
    const shared = teams.map((t) => t.subject?.reference?.split('/')[1] ?? '').find((id) => !members.includes(id)) ?? '';
    expect((await fhir.get(`Patient/${shared}`)).status).toBe(200);
    expect((await control(sandbox, 'POST', 'panel', { patient: shared, practitioner: doctor.id, member: false })).status).toBe(204);
    expect((await fhir.get(`Patient/${shared}`)).status).toBe(404);
    // The patient's own practitioner still sees them.
    const owner = (await practitioners(sandbox)).find((p) => p.id !== doctor.id && p.patients.includes(shared));
    expect(owner).toBeDefined();
  });

  it('puts an outside patient into the panel', async () => {
    expect((await fhir.get(`Patient/${outsider}`)).status).toBe(404);
    expect((await control(sandbox, 'POST', 'panel', { patient: outsider, practitioner: doctor.id, member: true })).status).toBe(204);
    expect((await fhir.get(`Patient/${outsider}`)).status).toBe(200);
    expect(matches(await fhir.pages(`Observation?patient=${outsider}`)).length).toBeGreaterThan(0);
    expect((await control(sandbox, 'POST', 'panel', { patient: outsider, practitioner: doctor.id, member: false })).status).toBe(204);
    expect((await fhir.get(`Patient/${outsider}`)).status).toBe(404);
  });

  it('refuses panel changes for unknown patients or practitioners (404) and bad bodies (400)', async () => {
    expect((await control(sandbox, 'POST', 'panel', { patient: 'nobody', practitioner: doctor.id, member: true })).status).toBe(404);
    expect((await control(sandbox, 'POST', 'panel', { patient: outsider, practitioner: 'nobody', member: true })).status).toBe(404);
    expect((await control(sandbox, 'POST', 'panel', { patient: outsider })).status).toBe(400);
  });
});
