/**
 * Test-mode faults, each one observed from outside over HTTP: latency, 503/429 with Retry-After
 * for the next `count` requests, responses dropped after the write committed, duplicated and
 * reordered pages; and clearing them.
 */
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, fhirClient, idsOf, matches, practitioners, startTestSandbox, tokenFor, type FhirClient, type Practitioner } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let doctor: Practitioner;

function observation(id: string): Observation {
  return { resourceType: 'Observation', id, status: 'final', code: { text: 'fault probe' }, subject: { reference: `Patient/${doctor.patients[0]}` } };
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  doctor = (await practitioners(sandbox))[0] as Practitioner;
  fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id));
});

afterEach(async () => {
  expect((await control(sandbox, 'DELETE', 'faults')).status).toBe(204);
});

afterAll(async () => {
  await sandbox.close();
});

describe('faults', () => {
  it('adds latency to FHIR requests', async () => {
    // A delay far above what a loaded machine adds to a small read, so the second read (no fault left) tells apart.
    expect((await control(sandbox, 'POST', 'faults', { latencyMs: 3_000, count: 1 })).status).toBe(204);
    const started = performance.now();
    expect((await fhir.get('Patient?_count=1')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2_990);
    const quick = performance.now();
    await fhir.get('Patient?_count=1');
    expect(performance.now() - quick).toBeLessThan(2_500);
  });

  it('answers 503 with Retry-After for the next `count` requests, then recovers', async () => {
    expect((await control(sandbox, 'POST', 'faults', { status: 503, retryAfter: 7, count: 2 })).status).toBe(204);
    for (let i = 0; i < 2; i++) {
      const response = await fhir.request('GET', 'Patient');
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
      expect((await response.json() as { resourceType: string }).resourceType).toBe('OperationOutcome');
    }
    expect((await fhir.get('Patient')).status).toBe(200);
  });

  it('answers 429 without processing the request', async () => {
    expect((await control(sandbox, 'POST', 'faults', { status: 429, retryAfter: 1, count: 1 })).status).toBe(204);
    const id = crypto.randomUUID();
    const response = await fhir.request('PUT', `Observation/${id}`, { body: observation(id) });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await fhir.get(`Observation/${id}`)).status).toBe(404);
  });

  it('keeps faulting until cleared when no count is given', async () => {
    expect((await control(sandbox, 'POST', 'faults', { status: 503 })).status).toBe(204);
    for (let i = 0; i < 3; i++) expect((await fhir.get('Patient')).status).toBe(503);
    expect((await control(sandbox, 'DELETE', 'faults')).status).toBe(204);
    expect((await fhir.get('Patient')).status).toBe(200);
  });

  it('drops the response after the write committed; a retried PUT then succeeds', async () => {
    expect((await control(sandbox, 'POST', 'faults', { dropAfterCommit: 1 })).status).toBe(204);
    const id = crypto.randomUUID();
    await expect(fhir.request('PUT', `Observation/${id}`, { body: observation(id) })).rejects.toThrow();
    const stored = await fhir.get<Observation>(`Observation/${id}`);
    expect(stored.status).toBe(200);
    const retry = await fhir.request('PUT', `Observation/${id}`, { body: observation(id) });
    expect(retry.status).toBe(200);
  });

  it('does not drop reads while a drop is pending', async () => {
    expect((await control(sandbox, 'POST', 'faults', { dropAfterCommit: 1 })).status).toBe(204);
    expect((await fhir.get('Patient?_count=1')).status).toBe(200);
  });

  it('duplicates the last entry of each page on the next page; the union is still complete', async () => {
    const clean = idsOf(matches(await fhir.pages('Observation?_count=1000')));
    expect((await control(sandbox, 'POST', 'faults', { duplicatePages: true })).status).toBe(204);
    const pages = await fhir.pages('Observation?_sort=_lastUpdated&_count=25');
    const seen = idsOf(matches(pages));
    expect(seen.length).toBeGreaterThan(clean.length);
    expect(new Set(seen).size).toBe(clean.length);
    expect(pages[1]?.entry?.[0]?.resource?.id).toBe(pages[0]?.entry?.at(-1)?.resource?.id);
  });

  it('reorders entries within pages; the union is still complete', async () => {
    const clean = idsOf(matches(await fhir.pages('Observation?_count=1000')));
    expect((await control(sandbox, 'POST', 'faults', { reorderPages: true })).status).toBe(204);
    const pages = await fhir.pages('Observation?_sort=_lastUpdated&_count=25');
    const first = (pages[0]?.entry ?? []).map((e) => e.resource as Resource);
    const stamps = first.map((r) => `${r.meta?.lastUpdated} ${r.id}`);
    expect([...stamps].sort()).not.toEqual(stamps);
    expect(idsOf(matches(pages)).sort()).toEqual([...clean].sort());
  });

  it('duplicates history pages too', async () => {
    expect((await control(sandbox, 'POST', 'faults', { duplicatePages: true })).status).toBe(204);
    const pages = await fhir.pages('Condition/_history?_count=5');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages[1]?.entry?.[0]?.fullUrl).toBe(pages[0]?.entry?.at(-1)?.fullUrl);
  });

  it('leaves the identity provider and the control API alone', async () => {
    expect((await control(sandbox, 'POST', 'faults', { status: 503 })).status).toBe(204);
    expect((await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    expect((await control(sandbox, 'GET', 'practitioners')).status).toBe(200);
  });

  it('rejects an unknown fault or status (400)', async () => {
    expect((await control(sandbox, 'POST', 'faults', { status: 500 })).status).toBe(400);
    expect((await control(sandbox, 'POST', 'faults', { explode: true })).status).toBe(400);
    expect((await fhir.get<Bundle>('Patient')).status).toBe(200);
  });
});
