/**
 * Deletes survive: a deleted resource reads as 410 Gone, its deletion shows in instance, type and
 * system `_history` (with `_since`), searches stop returning it, and its old versions stay readable.
 */
import type { Bundle, BundleEntry, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { asFirstPractitioner, type FhirClient, idsOf, json, matches, startTestSandbox } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let patientId: string;

function heartRate(id: string): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    subject: { reference: `Patient/${patientId}` },
    valueQuantity: { value: 66, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

async function createAndDelete(): Promise<{ id: string; created: Observation; before: string }> {
  const before = new Date().toISOString();
  const id = crypto.randomUUID();
  const created = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: heartRate(id) }));
  const deleted = await fhir.request('DELETE', `Observation/${id}`);
  expect(deleted.status).toBe(200);
  return { id, created, before };
}

function deletionOf(entries: readonly BundleEntry[] | undefined, id: string): BundleEntry | undefined {
  return entries?.find((e) => e.request?.method === 'DELETE' && e.request.url === `Observation/${id}`);
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ({ fhir, patientId } = await asFirstPractitioner(sandbox));
});

afterAll(async () => {
  await sandbox.close();
});

describe('tombstones', () => {
  it('reads a deleted resource as 410 Gone with an OperationOutcome', async () => {
    const { id } = await createAndDelete();
    const reply = await fhir.get<{ resourceType: string; issue: { code: string }[] }>(`Observation/${id}`);
    expect(reply.status).toBe(410);
    expect(reply.body.resourceType).toBe('OperationOutcome');
    expect(reply.body.issue[0]?.code).toBe('deleted');
  });

  it('reads a never-created resource as 404, not 410', async () => {
    expect((await fhir.get(`Observation/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('accepts deleting again (a retried delete must not fail)', async () => {
    const { id } = await createAndDelete();
    expect((await fhir.request('DELETE', `Observation/${id}`)).status).toBe(200);
  });

  it('keeps the deleted resource’s versions readable and lists the deletion first in its history', async () => {
    const { id, created } = await createAndDelete();
    const version = await fhir.get<Observation>(`Observation/${id}/_history/${created.meta?.versionId}`);
    expect(version.status).toBe(200);
    expect(version.body.id).toBe(id);
    const history = await fhir.get<Bundle>(`Observation/${id}/_history`);
    expect(history.status).toBe(200);
    expect(history.body.entry?.map((e) => e.request?.method)).toEqual(['DELETE', 'POST']);
    expect(history.body.entry?.[0]?.resource).toBeUndefined();
    expect(history.body.entry?.[0]?.response?.etag).toMatch(/^W\/".+"$/);
  });

  it('shows the deletion in type and system _history with _since', async () => {
    const { id, before } = await createAndDelete();
    const typeHistory = await fhir.get<Bundle>(`Observation/_history?_since=${encodeURIComponent(before)}`);
    expect(deletionOf(typeHistory.body.entry, id)).toBeDefined();
    const systemHistory = await fhir.get<Bundle>(`_history?_since=${encodeURIComponent(before)}`);
    const deletion = deletionOf(systemHistory.body.entry, id);
    expect(deletion?.response?.lastModified).toBeDefined();
    expect(Date.parse(deletion?.response?.lastModified ?? '')).toBeGreaterThanOrEqual(Date.parse(before));
  });

  it('stops returning a deleted resource from searches', async () => {
    const { id } = await createAndDelete();
    const found = matches(await fhir.pages(`Observation?patient=${patientId}&_count=200`));
    expect(idsOf(found)).not.toContain(`Observation/${id}`);
  });

  it('revives a deleted id with PUT, continuing its history', async () => {
    const { id } = await createAndDelete();
    const revived = await fhir.request('PUT', `Observation/${id}`, { body: heartRate(id) });
    expect([200, 201]).toContain(revived.status);
    expect((await fhir.get(`Observation/${id}`)).status).toBe(200);
    const history = await fhir.get<Bundle>(`Observation/${id}/_history`);
    expect(history.body.entry?.map((e) => e.request?.method)).toEqual(['PUT', 'DELETE', 'POST']);
  });
});
