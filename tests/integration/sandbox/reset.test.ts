/**
 * `POST /_test/reset` brings back the seeded data exactly (same versions); without --test-mode
 * the control API does not exist.
 */
import type { Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, fhirClient, json, practitioners, startTestSandbox, tokenFor, type FhirClient, type Practitioner } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let doctor: Practitioner;

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 6, resourcesPerPatient: 20 });
  doctor = (await practitioners(sandbox))[0] as Practitioner;
  fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id));
});

afterAll(async () => {
  await sandbox.close();
});

describe('reset', () => {
  it('restores deleted and edited resources with their seeded versions and drops created ones', async () => {
    const patientId = doctor.patients[0] ?? '';
    const seeded = await fhir.get<Patient>(`Patient/${patientId}`);
    const edited = await fhir.request('PUT', `Patient/${patientId}`, { body: { ...seeded.body, active: false } });
    expect(edited.status).toBe(200);
    const condition = (await fhir.get<{ entry?: { resource: Observation }[] }>(`Condition?patient=${patientId}`)).body.entry?.[0]?.resource;
    expect((await fhir.request('DELETE', `Condition/${condition?.id}`)).status).toBe(200);
    const id = crypto.randomUUID();
    await fhir.request('PUT', `Observation/${id}`, { body: { resourceType: 'Observation', id, status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patientId}` } } });
    await control(sandbox, 'POST', 'panel', { patient: patientId, practitioner: doctor.id, member: false });

    expect((await control(sandbox, 'POST', 'reset')).status).toBe(204);

    const after = await fhir.get<Patient>(`Patient/${patientId}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual(seeded.body);
    expect((await fhir.get(`Condition/${condition?.id}`)).status).toBe(200);
    expect((await fhir.get(`Observation/${id}`)).status).toBe(404);
    expect((await practitioners(sandbox))[0]?.patients).toEqual(doctor.patients);
    const history = await json<{ entry?: unknown[] }>(await fhir.request('GET', `Patient/${patientId}/_history`));
    expect(history.entry?.length).toBe(1);
  });
});

describe('without test mode', () => {
  it('has no control API', async () => {
    const plain = await startTestSandbox({ testMode: false, patients: 2, resourcesPerPatient: 10 });
    try {
      expect(plain.testMode).toBe(false);
      expect((await fetch(`${plain.url}/_test/practitioners`)).status).toBe(404);
      expect((await fetch(`${plain.url}/_test/token`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await fetch(`${plain.fhirBase}/metadata`)).status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});
