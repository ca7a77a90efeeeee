import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../../shared/fhir/resource';
import type { OutboxEntry } from '../../../../shared/sync/ports';
import type { TransportRequest, TransportResponse } from '../../../../shared/hie/transport';
import { TransportError } from '../../../../shared/hie/transport';
import { pushOutbox } from '../../../../shared/sync/push';
import { memoryReplica } from '../../../support/memory-replica';

const allergy = (version: string, extra: Record<string, unknown> = {}): FhirResource => ({
  resourceType: 'AllergyIntolerance', id: 'a1', meta: { versionId: version, lastUpdated: '2026-03-01T10:00:00.000Z' },
  patient: { reference: 'Patient/p1' }, code: { text: 'Penicillin' }, criticality: 'low', ...extra,
});
const entry = (over: Partial<OutboxEntry>): OutboxEntry => ({
  id: 'e1', ref: 'AllergyIntolerance/a1', op: 'update', resource: allergy('1', { criticality: 'high' }), baseVersionId: '1', base: allergy('1'),
  patient: 'Patient/p1', group: 'g1', createdAt: '2026-03-01T10:00:00.000Z', state: 'ready', ...over,
});

type Handler = (request: TransportRequest) => TransportResponse | Promise<TransportResponse>;
function transport(handler: Handler) {
  const log: TransportRequest[] = [];
  return { log, send: async (r: TransportRequest) => { log.push(r); return handler(r); } };
}
const deps = (store: ReturnType<typeof memoryReplica>, t: ReturnType<typeof transport>) => ({
  transport: t, store, newId: () => `c-${Math.random()}`, now: () => '2026-03-02T00:00:00.000Z',
});
const json = (status: number, body: unknown = null): TransportResponse => ({ status, headers: {}, body });

describe('pushOutbox', () => {
  it('sends an update with If-Match on the base version and writes back the server version', async () => {
    const store = memoryReplica();
    store.edit(entry({}));
    const t = transport(() => json(200, allergy('2', { criticality: 'high' })));
    const counts = await pushOutbox(deps(store, t));
    expect(t.log[0]).toMatchObject({ method: 'PUT', target: 'AllergyIntolerance/a1', headers: { 'if-match': 'W/"1"' } });
    expect((t.log[0]?.body as FhirResource).meta).toBeUndefined();
    expect(counts.sent).toBe(1);
    expect(store.outboxEntries.size).toBe(0);
    expect(store.docs.get('AllergyIntolerance/a1')?.meta).toMatchObject({ versionId: '2', syncState: 'synced' });
  });

  it('does not store a reply that is another resource or another patient’s: it reads the HIE’s current version, and stops if that is wrong too', async () => {
    for (const wrong of [
      { ...allergy('2'), id: 'someone-else' },
      { ...allergy('2'), resourceType: 'Condition' },
      allergy('2', { patient: { reference: 'Patient/p2' } }),
    ]) {
      const store = memoryReplica();
      store.edit(entry({}));
      const right = allergy('2', { criticality: 'high' });
      const t = transport((r) => (r.method === 'PUT' ? json(200, wrong) : json(200, right)));
      await pushOutbox(deps(store, t));
      expect(t.log.map((r) => r.method)).toEqual(['PUT', 'GET']);
      expect(store.docs.get('AllergyIntolerance/a1')).toMatchObject({ patient: 'Patient/p1', resource: { id: 'a1', patient: { reference: 'Patient/p1' } }, meta: { versionId: '2' } });

      const stubborn = memoryReplica();
      stubborn.edit(entry({}));
      await expect(pushOutbox(deps(stubborn, transport(() => json(200, wrong))))).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE' });
      // The edit stays in the outbox; nothing of the wrong reply was stored.
      expect(stubborn.outboxEntries.size).toBe(1);
      expect(JSON.stringify([...stubborn.docs.values()])).not.toContain('someone-else');
      expect(JSON.stringify([...stubborn.docs.values()])).not.toContain('Patient/p2');
    }
  });

  it('creates with PUT to the client id and no If-Match, so a retry cannot duplicate', async () => {
    const store = memoryReplica();
    const created = { resourceType: 'Observation', id: '0b9c1d2e-1111-4222-8333-444455556666', subject: { reference: 'Patient/p1' }, status: 'final' };
    store.edit(entry({ id: 'e2', ref: 'Observation/0b9c1d2e-1111-4222-8333-444455556666', op: 'create', resource: created, base: null, baseVersionId: null }));
    let calls = 0;
    const t = transport(() => {
      calls += 1;
      if (calls === 1) throw new TransportError('offline'); // connection dropped after the server committed
      return json(200, { ...created, meta: { versionId: 'v1', lastUpdated: '2026-03-01T10:00:00.000Z' } });
    });
    await expect(pushOutbox(deps(store, t))).rejects.toMatchObject({ code: 'OFFLINE' });
    expect(store.outboxEntries.size).toBe(1);
    await pushOutbox(deps(store, t));
    expect(t.log.map((r) => `${r.method} ${r.target} ${r.headers?.['if-match'] ?? '-'}`)).toEqual([
      'PUT Observation/0b9c1d2e-1111-4222-8333-444455556666 -',
      'PUT Observation/0b9c1d2e-1111-4222-8333-444455556666 -',
    ]);
    expect(store.outboxEntries.size).toBe(0);
  });

  it('on 412 merges non-overlapping changes onto the server version and sends again', async () => {
    const store = memoryReplica();
    store.edit(entry({}));
    const remote = allergy('2', { note: [{ text: 'added on the HIE' }] });
    const t = transport((r) => {
      if (r.method === 'GET') return json(200, remote);
      if (r.headers?.['if-match'] === 'W/"1"') return json(412);
      return json(200, { ...(r.body as object), meta: { versionId: '3', lastUpdated: '2026-03-01T11:00:00.000Z' } });
    });
    const counts = await pushOutbox(deps(store, t));
    expect(counts).toMatchObject({ sent: 1, merged: 1, conflicts: 0 });
    const sent = t.log.at(-1);
    expect(sent?.headers?.['if-match']).toBe('W/"2"');
    expect(sent?.body).toMatchObject({ criticality: 'high', note: [{ text: 'added on the HIE' }] });
  });

  it('on 412 with the same field changed differently, opens a conflict keeping both versions', async () => {
    const store = memoryReplica();
    store.edit(entry({}));
    const remote = allergy('2', { criticality: 'unable-to-assess' });
    const t = transport((r) => (r.method === 'GET' ? json(200, remote) : json(412)));
    const counts = await pushOutbox(deps(store, t));
    expect(counts.conflicts).toBe(1);
    const conflict = [...store.conflicts.values()][0];
    expect(conflict).toMatchObject({ ref: 'AllergyIntolerance/a1', fields: ['criticality'], state: 'open' });
    expect(conflict?.local).toMatchObject({ criticality: 'high' });
    expect(conflict?.remote).toMatchObject({ criticality: 'unable-to-assess' });
    expect(store.outboxEntries.get('e1')?.state).toBe('conflict');
    expect(store.docs.get('AllergyIntolerance/a1')?.resource).toMatchObject({ criticality: 'high' });
  });

  it('acknowledges without a new write when the server already holds the edit (lost answer on an update)', async () => {
    const store = memoryReplica();
    store.edit(entry({}));
    const t = transport((r) => (r.method === 'GET' ? json(200, allergy('2', { criticality: 'high' })) : json(412)));
    const counts = await pushOutbox(deps(store, t));
    expect(counts).toMatchObject({ sent: 1, conflicts: 0 });
    expect(t.log.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('an edit of a resource deleted on the HIE becomes a conflict, not a silent loss', async () => {
    const store = memoryReplica();
    store.edit(entry({}));
    const t = transport((r) => (r.method === 'GET' ? json(410) : json(410)));
    await pushOutbox(deps(store, t));
    expect([...store.conflicts.values()][0]).toMatchObject({ remote: null, fields: ['(deleted on the HIE)'] });
  });

  it('sends a group of related edits as one transaction Bundle', async () => {
    const store = memoryReplica();
    const cond = { resourceType: 'Condition', id: 'c-new', subject: { reference: 'Patient/p1' } };
    store.edit(entry({ group: 'visit' }));
    store.edit(entry({ id: 'e2', ref: 'Condition/c-new', op: 'create', resource: cond, base: null, baseVersionId: null, group: 'visit', createdAt: '2026-03-01T10:00:01.000Z' }));
    const t = transport((r) => json(200, {
      resourceType: 'Bundle', type: 'transaction-response',
      entry: (r.body as { entry: Array<{ resource: FhirResource }> }).entry.map((e, i) => ({ resource: { ...e.resource, meta: { versionId: `t${i}`, lastUpdated: '2026-03-01T12:00:00.000Z' } }, response: { status: '200 OK' } })),
    }));
    const counts = await pushOutbox(deps(store, t));
    expect(t.log).toHaveLength(1);
    expect(t.log[0]).toMatchObject({ method: 'POST', target: '' });
    const bundle = t.log[0]?.body as { type: string; entry: Array<{ request: Record<string, string> }> };
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry.map((e) => e.request)).toEqual([
      { method: 'PUT', url: 'AllergyIntolerance/a1', ifMatch: 'W/"1"' },
      { method: 'PUT', url: 'Condition/c-new' },
    ]);
    expect(counts).toMatchObject({ sent: 2, transactions: 1 });
    expect(store.outboxEntries.size).toBe(0);
  });

  it('a 401 stops the push with the edit still in the outbox', async () => {
    const store = memoryReplica();
    store.edit(entry({}));
    const t = transport(() => json(401));
    await expect(pushOutbox(deps(store, t))).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(store.outboxEntries.get('e1')?.state).toBe('ready');
  });

  it('a 503 with Retry-After stops with the delay and keeps the edit', async () => {
    const store = memoryReplica();
    store.edit(entry({}));
    const t = transport(() => ({ status: 503, headers: { 'retry-after': '3' }, body: null }));
    await expect(pushOutbox(deps(store, t))).rejects.toMatchObject({ code: 'SERVER_BUSY', retryAfterMs: 3000 });
    expect(store.outboxEntries.size).toBe(1);
  });
});
