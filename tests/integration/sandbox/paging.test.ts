/**
 * Paging: following `next` links visits every match exactly once — through same-millisecond
 * ties, in both directions, for filtered and custom-sorted searches, and while data changes.
 */
import type { Bundle, Observation, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { fhirClient, idsOf, matches, practitioners, startTestSandbox, tokenFor, type FhirClient, type Practitioner } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let doctor: Practitioner;

function lastUpdatedOf(resource: Resource): number {
  return Date.parse(resource.meta?.lastUpdated ?? '');
}

async function countOf(path: string): Promise<number> {
  const reply = await fhir.get<Bundle>(`${path}${path.includes('?') ? '&' : '?'}_summary=count`);
  expect(reply.status).toBe(200);
  return reply.body.total ?? -1;
}

function expectExactlyOnce(found: readonly Resource[], total: number): void {
  const ids = idsOf(found);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.length).toBe(total);
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 24, resourcesPerPatient: 40 });
  const [first] = await practitioners(sandbox);
  if (!first) throw new Error('no practitioner');
  doctor = first;
  fhir = fhirClient(sandbox, await tokenFor(sandbox, first.id));
});

afterAll(async () => {
  await sandbox.close();
});

describe('paging', () => {
  it('visits every Observation exactly once in (lastUpdated, id) order, with ties inside and across pages', async () => {
    const total = await countOf('Observation');
    expect(total).toBeGreaterThan(100);
    const pages = await fhir.pages('Observation?_lastUpdated=ge2000-01-01&_sort=_lastUpdated&_count=7');
    const found = matches(pages);
    expectExactlyOnce(found, total);
    expect(pages.length).toBe(Math.ceil(total / 7));
    for (let i = 1; i < found.length; i++) {
      const previous = found[i - 1] as Resource;
      const current = found[i] as Resource;
      const order = lastUpdatedOf(previous) - lastUpdatedOf(current) || (previous.id ?? '').localeCompare(current.id ?? '');
      expect(order).toBeLessThan(0);
    }
    const ties = found.filter((r, i) => i > 0 && lastUpdatedOf(r) === lastUpdatedOf(found[i - 1] as Resource));
    expect(ties.length).toBeGreaterThan(10);
    // At least one page boundary falls inside a same-millisecond tie.
    const boundaries = pages.slice(1).filter((page, i) => {
      const last = pages[i]?.entry?.at(-1)?.resource;
      const first = page.entry?.[0]?.resource;
      return last && first && lastUpdatedOf(last) === lastUpdatedOf(first);
    });
    expect(boundaries.length).toBeGreaterThan(0);
  });

  it('pages descending (_sort=-_lastUpdated) over the same set', async () => {
    const total = await countOf('Observation');
    const found = matches(await fhir.pages('Observation?_sort=-_lastUpdated&_count=11'));
    expectExactlyOnce(found, total);
    expect(lastUpdatedOf(found[0] as Resource)).toBeGreaterThanOrEqual(lastUpdatedOf(found.at(-1) as Resource));
  });

  it('pages a filtered search (patient and code) completely', async () => {
    const patient = doctor.patients[0] ?? '';
    const path = `Observation?patient=${patient}&category=vital-signs`;
    const total = await countOf(path);
    expect(total).toBeGreaterThan(3);
    expectExactlyOnce(matches(await fhir.pages(`${path}&_count=2`)), total);
  });

  it('pages a custom sort (_sort=-date) over a snapshot, exactly once', async () => {
    const total = await countOf('Observation');
    const found = matches(await fhir.pages('Observation?_sort=-date&_count=13')) as Observation[];
    expectExactlyOnce(found, total);
    const dates = found.map((o) => o.effectiveDateTime ?? '');
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('agrees between the indexed _lastUpdated path and the general matcher', async () => {
    const all = matches(await fhir.pages('Observation?_count=1000'));
    const middle = all[Math.floor(all.length / 2)]?.meta?.lastUpdated ?? '';
    const indexed = idsOf(matches(await fhir.pages(`Observation?_lastUpdated=gt${encodeURIComponent(middle)}&_count=1000`))).sort();
    const general = idsOf(matches(await fhir.pages(`Observation?_lastUpdated=gt${encodeURIComponent(middle)}&status=final,amended,preliminary&_count=1000`))).sort();
    expect(indexed.length).toBeGreaterThan(0);
    expect(indexed.length).toBeLessThan(all.length);
    expect(general).toEqual(indexed);
  });

  it('returns resources created while paging exactly once, after what was there', async () => {
    const before = idsOf(matches(await fhir.pages('Observation?_count=1000')));
    const first = await fhir.get<Bundle>('Observation?_sort=_lastUpdated&_count=20');
    const patient = doctor.patients[0] ?? '';
    const createdIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = crypto.randomUUID();
      createdIds.push(`Observation/${id}`);
      const body: Observation = { resourceType: 'Observation', id, status: 'final', code: { text: 'added while paging' }, subject: { reference: `Patient/${patient}` } };
      expect((await fhir.request('PUT', `Observation/${id}`, { body })).status).toBe(201);
    }
    const next = first.body.link?.find((l) => l.relation === 'next')?.url ?? '';
    const rest = matches(await fhir.pages(next));
    const seen = idsOf([...matches([first.body]), ...rest]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(-3)).toEqual(createdIds);
    expect(seen.slice(0, -3).sort()).toEqual([...before].sort());
  });

  it('gives _total=accurate and a total on single-page results', async () => {
    const total = await countOf('Observation');
    const first = await fhir.get<Bundle>('Observation?_count=5&_total=accurate');
    expect(first.body.total).toBe(total);
    const single = await fhir.get<Bundle>(`Patient?_count=1000`);
    expect(single.body.total).toBe(single.body.entry?.length);
    expect(single.body.link?.some((l) => l.relation === 'next')).toBe(false);
  });

  it('rejects a tampered cursor with 400', async () => {
    const reply = await fhir.get(`Observation?_cursor=not-a-cursor`);
    expect(reply.status).toBe(400);
  });
});
