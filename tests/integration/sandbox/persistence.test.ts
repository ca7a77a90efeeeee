/**
 * `--data DIR`: the clinician's edits (creates, updates, deletes, panel changes) survive a
 * restart with the same versions, and history with them; without it a restart starts afresh.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, fhirClient, json, practitioners, startTestSandbox, tokenFor, type Practitioner } from './support.ts';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'relais-sandbox-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function session(options: { dataDir?: string; patients?: number }): Promise<{ sandbox: Sandbox; doctor: Practitioner; fhir: ReturnType<typeof fhirClient> }> {
  const sandbox = await startTestSandbox({ patients: options.patients ?? 6, resourcesPerPatient: 20, ...(options.dataDir ? { dataDir: options.dataDir } : {}) });
  const doctor = (await practitioners(sandbox))[0] as Practitioner;
  return { sandbox, doctor, fhir: fhirClient(sandbox, await tokenFor(sandbox, doctor.id)) };
}

describe('persistence', () => {
  it('keeps creates, updates, deletes and panel changes across a restart', async () => {
    const first = await session({ dataDir: directory });
    const patientId = first.doctor.patients[0] ?? '';
    const id = crypto.randomUUID();
    const created = await json<Observation>(await first.fhir.request('PUT', `Observation/${id}`, {
      body: { resourceType: 'Observation', id, status: 'final', code: { text: 'kept' }, subject: { reference: `Patient/${patientId}` } },
    }));
    const patient = (await first.fhir.get<Patient>(`Patient/${patientId}`)).body;
    const updated = await json<Patient>(await first.fhir.request('PUT', `Patient/${patientId}`, { body: { ...patient, active: false } }));
    const condition = (await first.fhir.get<Bundle>(`Condition?patient=${patientId}`)).body.entry?.[0]?.resource;
    expect((await first.fhir.request('DELETE', `Condition/${condition?.id}`)).status).toBe(200);
    const leaving = first.doctor.patients[1] ?? '';
    expect((await control(first.sandbox, 'POST', 'panel', { patient: leaving, practitioner: first.doctor.id, member: false })).status).toBe(204);
    const historyBefore = (await first.fhir.get<Bundle>('_history?_count=1000')).body.entry?.length;
    await first.sandbox.close();

    // Other generator options are ignored: the directory keeps what it was created with.
    const second = await session({ dataDir: directory, patients: 9 });
    try {
      expect(second.sandbox.practitioners[0]?.id).toBe(first.doctor.id);
      const kept = await second.fhir.get<Observation>(`Observation/${id}`);
      expect(kept.status).toBe(200);
      expect(kept.body.meta).toEqual(created.meta);
      expect((await second.fhir.get<Patient>(`Patient/${patientId}`)).body).toEqual(updated);
      expect((await second.fhir.get(`Condition/${condition?.id}`)).status).toBe(410);
      expect((await practitioners(second.sandbox))[0]?.patients).not.toContain(leaving);
      expect((await second.fhir.get<Bundle>('_history?_count=1000')).body.entry?.length).toBe(historyBefore);
    } finally {
      await second.sandbox.close();
    }
  });

  it('starts from the seed when no data directory is given', async () => {
    const first = await session({});
    const id = crypto.randomUUID();
    await first.fhir.request('PUT', `Observation/${id}`, {
      body: { resourceType: 'Observation', id, status: 'final', code: { text: 'lost' }, subject: { reference: `Patient/${first.doctor.patients[0]}` } },
    });
    await first.sandbox.close();
    const second = await session({});
    try {
      expect((await second.fhir.get(`Observation/${id}`)).status).toBe(404);
    } finally {
      await second.sandbox.close();
    }
  });
});
