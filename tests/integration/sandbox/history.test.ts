/**
 * `_history` at system and type level: newest first, `_since` inclusive, `_count` pages that
 * visit each version exactly once, stable while new changes arrive.
 */
import type { Bundle, BundleEntry, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { asFirstPractitioner, type FhirClient, json, clockPast, startTestSandbox } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let patientId: string;

function entryKey(entry: BundleEntry): string {
  return `${entry.request?.method} ${entry.fullUrl} ${entry.response?.etag}`;
}

function entriesOf(bundles: readonly Bundle[]): BundleEntry[] {
  return bundles.flatMap((b) => b.entry ?? []);
}

async function write(value: number): Promise<Observation> {
  const id = crypto.randomUUID();
  const body: Observation = { resourceType: 'Observation', id, status: 'final', code: { text: 'history probe' }, subject: { reference: `Patient/${patientId}` }, valueQuantity: { value } };
  return json<Observation>(await fhir.request('PUT', `Observation/${id}`, { body }));
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  ({ fhir, patientId } = await asFirstPractitioner(sandbox));
});

afterAll(async () => {
  await sandbox.close();
});

describe('_history', () => {
  it('returns only versions at or after _since, newest first, creates, updates and deletes alike', async () => {
    await write(1);
    await clockPast();
    const since = new Date().toISOString();
    const created = await write(2);
    const updated = await json<Observation>(await fhir.request('PUT', `Observation/${created.id}`, { body: { ...created, valueQuantity: { value: 3 } } }));
    expect((await fhir.request('DELETE', `Observation/${created.id}`)).status).toBe(200);
    const reply = await fhir.get<Bundle>(`_history?_since=${encodeURIComponent(since)}`);
    expect(reply.status).toBe(200);
    expect(reply.body.type).toBe('history');
    const mine = (reply.body.entry ?? []).filter((e) => e.fullUrl === `${sandbox.fhirBase}/Observation/${created.id}`);
    expect(mine.map((e) => e.request?.method)).toEqual(['DELETE', 'PUT', 'POST']);
    expect(mine[1]?.resource?.meta?.versionId).toBe(updated.meta?.versionId);
    for (const entry of reply.body.entry ?? []) {
      expect(Date.parse(entry.response?.lastModified ?? '')).toBeGreaterThanOrEqual(Date.parse(since));
    }
  });

  it('pages system history with _count: every version exactly once, in the same order as one big page', async () => {
    const small = entriesOf(await fhir.pages('_history?_count=9'));
    const large = entriesOf(await fhir.pages('_history?_count=1000'));
    expect(small.length).toBeGreaterThan(50);
    expect(small.map(entryKey)).toEqual(large.map(entryKey));
    expect(new Set(small.map(entryKey)).size).toBe(small.length);
    const stamps = small.map((e) => Date.parse(e.response?.lastModified ?? ''));
    expect([...stamps].sort((a, b) => b - a)).toEqual(stamps);
  });

  it('does not shift pages when changes arrive while a client pages', async () => {
    const first = await fhir.get<Bundle>('Observation/_history?_count=5');
    await write(4);
    await write(5);
    const next = first.body.link?.find((l) => l.relation === 'next')?.url ?? '';
    const rest = entriesOf(await fhir.pages(next));
    const paged = [...(first.body.entry ?? []), ...rest].map(entryKey);
    expect(new Set(paged).size).toBe(paged.length);
    const now = entriesOf(await fhir.pages('Observation/_history?_count=1000')).map(entryKey);
    // What the client saw is exactly the history as it was when it started (now minus the 2 new).
    expect(paged).toEqual(now.slice(2));
  });

  it('keeps type history to its type', async () => {
    const entries = entriesOf(await fhir.pages('Condition/_history?_count=50'));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.fullUrl?.startsWith(`${sandbox.fhirBase}/Condition/`))).toBe(true);
  });

  it('rejects an invalid _since and unknown parameters with 400', async () => {
    expect((await fhir.get('_history?_since=yesterday')).status).toBe(400);
    expect((await fhir.get('_history?_at=2026')).status).toBe(400);
  });
});
