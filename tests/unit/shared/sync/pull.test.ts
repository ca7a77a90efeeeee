import { describe, expect, it } from 'vitest';
import { SyncStop } from '../../../../shared/hie/errors';
import type { FhirTransport, TransportRequest, TransportResponse } from '../../../../shared/hie/transport';
import { pullType, type PullStore } from '../../../../shared/sync/pull';
import { memoryReplica } from '../../../support/memory-replica';

const obs = (id: string, second: number, patient = 'Patient/p1', version = `v1-${id}`) => ({
  resourceType: 'Observation',
  id,
  meta: { versionId: version, lastUpdated: `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z` },
  subject: { reference: patient },
  status: 'final',
});
const page = (resources: unknown[], next?: string) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: 99,
  ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
  entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })),
});
const ok = (body: unknown): TransportResponse => ({ status: 200, headers: {}, body });

/** Answers each request from a script; the first request (whatever its query) gets `first`. */
function scripted(first: TransportResponse, pages: Record<string, TransportResponse>): FhirTransport & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    async send(request: TransportRequest) {
      seen.push(request.target);
      if (seen.length === 1) return first;
      const answer = pages[request.target];
      if (!answer) throw new Error(`unscripted ${request.target}`);
      return answer;
    },
  };
}
const scope = new Set(['Patient/p1']);

describe('pullType', () => {
  it('follows next links, stores every page, and ends with the checkpoint at the last resource', async () => {
    const store = memoryReplica();
    const transport = scripted(ok(page([obs('a', 1), obs('b', 2)], 'http://hie/fhir/p2')), { 'http://hie/fhir/p2': ok(page([obs('c', 3)])) });
    const counts = await pullType({ transport, store, scope, pageSize: 2 }, 'Observation');
    expect(counts).toMatchObject({ received: 3, stored: 3, pages: 2, outOfScope: 0 });
    expect([...store.docs.keys()].sort()).toEqual(['Observation/a', 'Observation/b', 'Observation/c']);
    expect(store.checkpoints.get('Observation')).toEqual({ lastUpdated: '2026-03-01T10:00:03.000Z', idsAtLastUpdated: ['c'] });
  });

  it('never stores a resource of a patient outside the scope, even mixed into a page', async () => {
    const store = memoryReplica();
    const transport = scripted(ok(page([obs('a', 1), obs('x', 2, 'Patient/other'), { ...obs('y', 3), subject: undefined, patient: { reference: 'Patient/other' } }])), {});
    const counts = await pullType({ transport, store, scope, pageSize: 10 }, 'Observation');
    // 'y' names its patient in an element Observation does not have: no patient can be resolved.
    expect(counts).toMatchObject({ outOfScope: 1, unresolved: 1 });
    expect([...store.docs.keys()]).toEqual(['Observation/a']);
  });

  it('counts patient data with no resolvable patient apart (refused and reported), and withdraws a held copy whose new version left the scope', async () => {
    const store = memoryReplica();
    const first = scripted(ok(page([obs('moved', 1), obs('stays', 2)])), {});
    await pullType({ transport: first, store, scope, pageSize: 10 }, 'Observation');
    expect([...store.docs.keys()].sort()).toEqual(['Observation/moved', 'Observation/stays']);
    const second = scripted(
      ok(page([obs('moved', 3, 'Patient/other', 'v2'), { ...obs('lost', 4), subject: { identifier: { value: '1' }, type: 'Patient' } }, { ...obs('two', 5), performer: [{ reference: 'Patient/other' }] }])),
      {},
    );
    const counts = await pullType({ transport: second, store, scope, pageSize: 10 }, 'Observation');
    expect(counts).toMatchObject({ outOfScope: 1, unresolved: 2, withdrawn: 1, stored: 0 });
    expect([...store.docs.keys()]).toEqual(['Observation/stays']);
  });

  it('resumes with ge and drops what the checkpoint already holds', async () => {
    const store = memoryReplica();
    store.checkpoints.set('Observation', { lastUpdated: '2026-03-01T10:00:02.000Z', idsAtLastUpdated: ['b'] });
    const transport = scripted(ok(page([obs('b', 2), obs('tie', 2), obs('c', 3)])), {});
    const counts = await pullType({ transport, store, scope, pageSize: 10 }, 'Observation');
    expect(transport.seen[0]).toContain('_lastUpdated=ge2026-03-01T10%3A00%3A02.000Z');
    expect(counts.stored).toBe(2);
    expect([...store.docs.keys()].sort()).toEqual(['Observation/c', 'Observation/tie']);
  });

  it('does not let a late or duplicated page move a version backwards', async () => {
    const store = memoryReplica();
    const newer = obs('a', 5, 'Patient/p1', 'v2');
    const older = obs('a', 1, 'Patient/p1', 'v1');
    const transport = scripted(ok(page([newer], 'n2')), { n2: ok(page([older], 'n3')), n3: ok(page([newer])) });
    await pullType({ transport, store, scope, pageSize: 1 }, 'Observation');
    expect(store.docs.get('Observation/a')?.meta.versionId).toBe('v2');
  });

  it('stores every resource of reordered pages and only then advances the checkpoint', async () => {
    const store = memoryReplica();
    const writes: unknown[] = [];
    const write = store.writeCheckpoint.bind(store);
    const recording = { ...store, writeCheckpoint: async (s: string, v: unknown) => { writes.push(v); await write(s, v); } };
    const transport = scripted(ok(page([obs('c', 30), obs('d', 40)], 'n2')), { n2: ok(page([obs('a', 10), obs('b', 20)])) });
    const counts = await pullType({ transport, store: recording, scope, pageSize: 2 }, 'Observation');
    expect(counts.stored).toBe(4);
    // The first (in-order so far) page advanced it; the out-of-order page did not move it until the end.
    expect(writes.at(-1)).toEqual({ lastUpdated: '2026-03-01T10:00:40.000Z', idsAtLastUpdated: ['d'] });
  });

  it('stops on a repeated next link instead of looping', async () => {
    const store = memoryReplica();
    const transport = scripted(ok(page([obs('a', 1)], 'loop')), { loop: ok(page([obs('b', 2)], 'loop')) });
    const counts = await pullType({ transport, store, scope, pageSize: 1 }, 'Observation');
    expect(counts.pages).toBe(2);
  });

  it('skips a malformed resource, counts it, and keeps the rest', async () => {
    const store = memoryReplica();
    const transport = scripted(ok(page([obs('a', 1), { resourceType: 'Observation', id: 'no-meta' }, { id: 'b' }, 'garbage'])), {});
    const counts = await pullType({ transport, store, scope, pageSize: 10 }, 'Observation');
    expect(counts).toMatchObject({ stored: 1, malformed: 3 });
  });

  it('a response that is not a searchset stops the stream without advancing', async () => {
    const store = memoryReplica();
    const transport = scripted(ok({ resourceType: 'OperationOutcome' }), {});
    await expect(pullType({ transport, store, scope, pageSize: 10 }, 'Observation')).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
    expect(store.checkpoints.size).toBe(0);
  });

  it('a 401 mid-stream keeps the committed pages and advances nothing further', async () => {
    const store = memoryReplica();
    const transport = scripted(ok(page([obs('a', 1)], 'n2')), { n2: { status: 401, headers: {}, body: null } });
    await expect(pullType({ transport, store, scope, pageSize: 1 }, 'Observation')).rejects.toBeInstanceOf(SyncStop);
    expect([...store.docs.keys()]).toEqual(['Observation/a']);
    expect(store.checkpoints.get('Observation')).toEqual({ lastUpdated: '2026-03-01T10:00:01.000Z', idsAtLastUpdated: ['a'] });
  });

  it('never overwrites a resource with a pending local edit', async () => {
    const store = memoryReplica();
    store.edit({ id: 'e1', ref: 'Observation/a', op: 'update', resource: obs('a', 0), baseVersionId: 'v0', base: obs('a', 0), patient: 'Patient/p1', group: 'g', createdAt: '1', state: 'ready' });
    const transport = scripted(ok(page([obs('a', 9, 'Patient/p1', 'v9')])), {});
    await pullType({ transport, store, scope, pageSize: 10 }, 'Observation');
    expect(store.docs.get('Observation/a')?.meta.syncState).toBe('pending');
  });
  it('overlaps pages: the next is asked for and sealed ahead while this one is written, and checked and written only once this page and its checkpoint are committed', async () => {
    const memory = memoryReplica();
    const events: string[] = [];
    const ids = (rows: readonly { resource: { id: string } }[]): string => rows.map((r) => r.resource.id).join(',');
    const store: PullStore = {
      ...memory,
      prepareServerResources(rows) {
        events.push(`prepare ${ids(rows)}`);
      },
      async metaOf(refs) {
        events.push(`check ${refs.map((ref) => ref.slice(ref.indexOf('/') + 1)).join(',')}`);
        return memory.metaOf(refs);
      },
      async putServerResources(rows) {
        events.push(`store ${ids(rows)}`);
        // The write takes a while: the next page arrives and is sealed ahead meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 20));
        await memory.putServerResources(rows);
        events.push('stored');
      },
      async writeCheckpoint(stream, value) {
        events.push('checkpoint');
        await memory.writeCheckpoint(stream, value);
      },
    };
    const script = scripted(ok(page([obs('a', 1)], 'http://hie/fhir/p2')), { 'http://hie/fhir/p2': ok(page([obs('b', 2)])) });
    const transport: FhirTransport = {
      send(request: TransportRequest) {
        events.push(`ask ${request.target.startsWith('http') ? 'p2' : 'p1'}`);
        return script.send(request);
      },
    };
    await pullType({ transport, store, scope, pageSize: 1 }, 'Observation');
    expect(events).toEqual(['ask p1', 'prepare a', 'ask p2', 'check a', 'store a', 'prepare b', 'stored', 'checkpoint', 'check b', 'store b', 'stored', 'checkpoint']);
    expect([...memory.docs.keys()].sort()).toEqual(['Observation/a', 'Observation/b']);
  });

  it('a page that fails to store stops the stream: the next page, already asked for, is dropped unwritten, nothing further is asked, and the checkpoint stays', async () => {
    const memory = memoryReplica();
    const store: PullStore = { ...memory, putServerResources: () => Promise.reject(new Error('disk full')) };
    const transport = scripted(ok(page([obs('a', 1)], 'http://hie/fhir/p2')), { 'http://hie/fhir/p2': ok(page([obs('b', 2)], 'http://hie/fhir/p3')) });
    await expect(pullType({ transport, store, scope, pageSize: 1 }, 'Observation')).rejects.toThrow('disk full');
    // p2 was asked for (it overlapped the write) and read, but nothing after it, and nothing was kept.
    expect(transport.seen).toHaveLength(2);
    expect(memory.docs.size).toBe(0);
    expect(memory.checkpoints.has('Observation')).toBe(false);
  });

  it('a next page that fails while this one is stored keeps this page and its checkpoint, then stops', async () => {
    const store = memoryReplica();
    const transport = scripted(ok(page([obs('a', 1)], 'http://hie/fhir/p2')), {});
    await expect(pullType({ transport, store, scope, pageSize: 1 }, 'Observation')).rejects.toThrow('unscripted');
    expect([...store.docs.keys()]).toEqual(['Observation/a']);
    expect(store.checkpoints.get('Observation')).toEqual({ lastUpdated: '2026-03-01T10:00:01.000Z', idsAtLastUpdated: ['a'] });
  });

  it('a write that fails while the next page fails too reports the write’s error (a full disk, not the network)', async () => {
    const memory = memoryReplica();
    const store: PullStore = {
      ...memory,
      async putServerResources() {
        await new Promise((resolve) => setTimeout(resolve, 10));
        throw new Error('disk full');
      },
    };
    // p2 is not scripted: its request fails at once, while page 1 is still being written.
    const transport = scripted(ok(page([obs('a', 1)], 'http://hie/fhir/p2')), {});
    await expect(pullType({ transport, store, scope, pageSize: 1 }, 'Observation')).rejects.toThrow('disk full');
    expect(memory.checkpoints.has('Observation')).toBe(false);
  });

  it('reports each page’s progress as of that page, not of the page read ahead', async () => {
    const memory = memoryReplica();
    // Each write takes a while: page 2 is read (and counted as received) while page 1 is written.
    const store: PullStore = {
      ...memory,
      async putServerResources(rows) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await memory.putServerResources(rows);
      },
    };
    const seen: Array<[number, number]> = [];
    const transport = scripted(ok(page([obs('a', 1)], 'http://hie/fhir/p2')), { 'http://hie/fhir/p2': ok(page([obs('b', 2), obs('c', 3)])) });
    await pullType({ transport, store, scope, pageSize: 2, onPage: (_type, counts) => seen.push([counts.received, counts.stored]) }, 'Observation');
    expect(seen).toEqual([[1, 1], [3, 3]]);
  });
});
