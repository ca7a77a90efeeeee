/**
 * Versioned REST over real HTTP: update-as-create, If-Match optimistic locking (412), version
 * reads, and the headers a client needs (ETag, Last-Modified, Location).
 */
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { asFirstPractitioner, type FhirClient, json, startTestSandbox } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let patientId: string;

function observation(id: string, value: number): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2026-11-20T10:00:00Z',
    valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ({ fhir, patientId } = await asFirstPractitioner(sandbox));
});

afterAll(async () => {
  await sandbox.close();
});

describe('versioned writes', () => {
  it('creates with PUT to a client id (update-as-create): 201, Location, ETag, Last-Modified', async () => {
    const id = crypto.randomUUID();
    const response = await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 70) });
    expect(response.status).toBe(201);
    const stored = await json<Observation>(response);
    expect(stored.id).toBe(id);
    expect(response.headers.get('etag')).toBe(`W/"${stored.meta?.versionId}"`);
    expect(response.headers.get('location')).toBe(`${sandbox.fhirBase}/Observation/${id}/_history/${stored.meta?.versionId}`);
    expect(response.headers.get('last-modified')).toBe(new Date(stored.meta?.lastUpdated ?? '').toUTCString());
  });

  it('creates with POST: 201 with a server id and a versioned Location', async () => {
    const response = await fhir.request('POST', 'Observation', { body: { ...observation('ignored', 71), id: undefined } });
    expect(response.status).toBe(201);
    const stored = await json<Observation>(response);
    expect(stored.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(response.headers.get('location')).toBe(`${sandbox.fhirBase}/Observation/${stored.id}/_history/${stored.meta?.versionId}`);
  });

  it('updates with the current If-Match: a new version with a new ETag and later lastUpdated', async () => {
    const id = crypto.randomUUID();
    const first = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 72) }));
    const response = await fhir.request('PUT', `Observation/${id}`, {
      body: observation(id, 90),
      headers: { 'if-match': `W/"${first.meta?.versionId}"` },
    });
    expect(response.status).toBe(200);
    const second = await json<Observation>(response);
    expect(second.meta?.versionId).not.toBe(first.meta?.versionId);
    expect(response.headers.get('etag')).toBe(`W/"${second.meta?.versionId}"`);
    expect(Date.parse(second.meta?.lastUpdated ?? '')).toBeGreaterThan(Date.parse(first.meta?.lastUpdated ?? ''));
    expect(second.valueQuantity?.value).toBe(90);
  });

  it('refuses an update with a stale If-Match (412) and keeps the current version', async () => {
    const id = crypto.randomUUID();
    const first = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 60) }));
    const second = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 61), headers: { 'if-match': `W/"${first.meta?.versionId}"` } }));
    const stale = await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 62), headers: { 'if-match': `W/"${first.meta?.versionId}"` } });
    expect(stale.status).toBe(412);
    expect((await json<{ resourceType: string }>(stale)).resourceType).toBe('OperationOutcome');
    const current = await fhir.get<Observation>(`Observation/${id}`);
    expect(current.body.meta?.versionId).toBe(second.meta?.versionId);
    expect(current.body.valueQuantity?.value).toBe(61);
  });

  it('refuses a malformed If-Match (400) instead of updating unconditionally', async () => {
    const id = crypto.randomUUID();
    const first = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 60) }));
    const response = await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 99), headers: { 'if-match': first.meta?.versionId ?? '' } });
    expect(response.status).toBe(400);
    expect((await fhir.get<Observation>(`Observation/${id}`)).body.valueQuantity?.value).toBe(60);
  });

  it('refuses a delete with a stale If-Match (412)', async () => {
    const id = crypto.randomUUID();
    await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 60) });
    const response = await fhir.request('DELETE', `Observation/${id}`, { headers: { 'if-match': 'W/"not-the-version"' } });
    expect(response.status).toBe(412);
    expect((await fhir.get(`Observation/${id}`)).status).toBe(200);
  });

  it('reads an older version by vread and lists versions newest first', async () => {
    const id = crypto.randomUUID();
    const v1 = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 50) }));
    const v2 = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 51) }));
    const old = await fhir.get<Observation>(`Observation/${id}/_history/${v1.meta?.versionId}`);
    expect(old.status).toBe(200);
    expect(old.body.valueQuantity?.value).toBe(50);
    expect(old.headers.get('etag')).toBe(`W/"${v1.meta?.versionId}"`);
    const history = await fhir.get<Bundle<Observation>>(`Observation/${id}/_history`);
    expect(history.body.type).toBe('history');
    expect(history.body.entry?.map((e) => e.resource?.meta?.versionId)).toEqual([v2.meta?.versionId, v1.meta?.versionId]);
    // Stable across calls (the router alone reverses its array in place on every call).
    const again = await fhir.get<Bundle<Observation>>(`Observation/${id}/_history`);
    expect(again.body.entry?.map((e) => e.resource?.meta?.versionId)).toEqual([v2.meta?.versionId, v1.meta?.versionId]);
  });

  it('answers 304 to If-None-Match with the current ETag', async () => {
    const current = await fhir.get<Patient>(`Patient/${patientId}`);
    const etag = current.headers.get('etag') ?? '';
    const response = await fhir.request('GET', `Patient/${patientId}`, { headers: { 'if-none-match': etag } });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe(etag);
  });

  it('patches with JSON Patch under If-Match and bumps the version', async () => {
    const id = crypto.randomUUID();
    const v1 = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 80) }));
    const response = await fhir.request('PATCH', `Observation/${id}`, {
      body: JSON.stringify([{ op: 'replace', path: '/status', value: 'amended' }]),
      headers: { 'content-type': 'application/json-patch+json', 'if-match': `W/"${v1.meta?.versionId}"` },
    });
    expect(response.status).toBe(200);
    const patched = await json<Observation>(response);
    expect(patched.status).toBe('amended');
    expect(patched.meta?.versionId).not.toBe(v1.meta?.versionId);
  });

  it('never lets lastUpdated go backwards between successive writes', async () => {
    const stamps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const id = crypto.randomUUID();
      const stored = await json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body: observation(id, 60 + i) }));
      stamps.push(Date.parse(stored.meta?.lastUpdated ?? ''));
    }
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  });
});
