/**
 * Transaction bundles are atomic: all entries commit, with urn:uuid references rewritten, or a
 * failing entry leaves nothing of the bundle behind (no resource, no history). Batches are not.
 */
import type { Bundle, BundleEntry, Encounter, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { fhirClient, json, practitioners, clockPast, startTestSandbox, tokenFor, type FhirClient, type Practitioner } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let doctor: Practitioner;
let other: Practitioner;
let patientId: string;

function encounterEntry(fullUrl: string): BundleEntry {
  const encounter: Encounter = { resourceType: 'Encounter', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }, subject: { reference: `Patient/${patientId}` } };
  return { fullUrl, resource: encounter, request: { method: 'POST', url: 'Encounter' } };
}

function observationEntry(id: string, encounterRef: string, subject = `Patient/${patientId}`): BundleEntry {
  const observation: Observation = { resourceType: 'Observation', id, status: 'final', code: { text: 'tx' }, subject: { reference: subject }, encounter: { reference: encounterRef } };
  return { resource: observation, request: { method: 'PUT', url: `Observation/${id}` } };
}

function transaction(entry: BundleEntry[], type: 'transaction' | 'batch' = 'transaction'): Bundle {
  return { resourceType: 'Bundle', type, entry };
}

async function historySince(since: string): Promise<BundleEntry[]> {
  return (await fhir.get<Bundle>(`_history?_since=${encodeURIComponent(since)}&_count=1000`)).body.entry ?? [];
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  const all = await practitioners(sandbox);
  doctor = all[0] as Practitioner;
  other = all[1] as Practitioner;
  patientId = doctor.patients[0] ?? '';
  fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id));
});

afterAll(async () => {
  await sandbox.close();
});

describe('transactions', () => {
  it('commits every entry and rewrites urn:uuid references', async () => {
    const observationId = crypto.randomUUID();
    const urn = `urn:uuid:${crypto.randomUUID()}`;
    const response = await fhir.request('POST', '', { body: transaction([encounterEntry(urn), observationEntry(observationId, urn)]) });
    expect(response.status).toBe(200);
    const result = await json<Bundle>(response);
    expect(result.type).toBe('transaction-response');
    expect(result.entry?.map((e) => e.response?.status)).toEqual(['201', '201']);
    for (const entry of result.entry ?? []) {
      expect(entry.response?.etag).toBe(`W/"${entry.resource?.meta?.versionId}"`);
      expect(entry.response?.location).toBe(`${entry.resource?.resourceType}/${entry.resource?.id}/_history/${entry.resource?.meta?.versionId}`);
    }
    const encounterId = result.entry?.[0]?.resource?.id;
    const stored = await fhir.get<Observation>(`Observation/${observationId}`);
    expect(stored.body.encounter?.reference).toBe(`Encounter/${encounterId}`);
    // One transaction, one instant: its entries share lastUpdated.
    expect(result.entry?.[0]?.resource?.meta?.lastUpdated).toBe(result.entry?.[1]?.resource?.meta?.lastUpdated);
  });

  it('leaves nothing behind when an entry is invalid (400)', async () => {
    await clockPast();
    const since = new Date().toISOString();
    const goodId = crypto.randomUUID();
    const badId = crypto.randomUUID();
    const invalid: BundleEntry = { resource: { resourceType: 'Observation', id: badId, status: 'final', subject: { reference: `Patient/${patientId}` } } as Observation, request: { method: 'PUT', url: `Observation/${badId}` } };
    const response = await fhir.request('POST', '', { body: transaction([observationEntry(goodId, `Patient/${patientId}`), invalid]) });
    expect(response.status).toBe(400);
    expect((await fhir.get(`Observation/${goodId}`)).status).toBe(404);
    expect((await historySince(since)).length).toBe(0);
  });

  it('leaves an earlier update undone when a later entry fails its If-Match (412)', async () => {
    const id = crypto.randomUUID();
    const created = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observationEntry(id, `Patient/${patientId}`).resource }));
    await clockPast();
    const since = new Date().toISOString();
    const update: BundleEntry = { resource: { ...created, status: 'amended' }, request: { method: 'PUT', url: `Observation/${id}`, ifMatch: `W/"${created.meta?.versionId}"` } };
    const stale: BundleEntry = { resource: { ...created, status: 'cancelled' }, request: { method: 'PUT', url: `Observation/${id}`, ifMatch: 'W/"stale"' } };
    const deleteOther: BundleEntry = { request: { method: 'DELETE', url: `Observation/${id}` } };
    const response = await fhir.request('POST', '', { body: transaction([update, deleteOther, stale]) });
    expect(response.status).toBeGreaterThanOrEqual(400);
    const current = await fhir.get<Observation>(`Observation/${id}`);
    expect(current.status).toBe(200);
    expect(current.body.status).toBe('final');
    expect(current.body.meta?.versionId).toBe(created.meta?.versionId);
    expect((await fhir.get<Bundle>(`Observation/${id}/_history`)).body.entry?.length).toBe(1);
    expect((await historySince(since)).length).toBe(0);
  });

  it('refuses the whole transaction when one entry is for a patient outside the panel (403)', async () => {
    const outside = other.patients.find((p) => !doctor.patients.includes(p)) ?? '';
    const mine = crypto.randomUUID();
    const theirs = crypto.randomUUID();
    const response = await fhir.request('POST', '', {
      body: transaction([observationEntry(mine, `Patient/${patientId}`), observationEntry(theirs, `Patient/${outside}`, `Patient/${outside}`)]),
    });
    expect(response.status).toBe(403);
    expect((await fhir.get(`Observation/${mine}`)).status).toBe(404);
  });

  it('processes a batch entry by entry: one failure does not undo the others', async () => {
    const good = crypto.randomUUID();
    const invalid: BundleEntry = { resource: { resourceType: 'Observation', status: 'final' } as Observation, request: { method: 'POST', url: 'Observation' } };
    const response = await fhir.request('POST', '', { body: transaction([observationEntry(good, `Patient/${patientId}`), invalid], 'batch') });
    expect(response.status).toBe(200);
    const result = await json<Bundle>(response);
    expect(result.type).toBe('batch-response');
    expect(result.entry?.map((e) => e.response?.status)).toEqual(['201', '400']);
    expect((await fhir.get(`Observation/${good}`)).status).toBe(200);
  });
});
