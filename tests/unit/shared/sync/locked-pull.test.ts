import { describe, expect, it } from 'vitest';
import type { SyncedResource } from '../../../../shared/fhir/resource';
import type { PullCheckpoint } from '../../../../shared/sync/checkpoint';
import { foldOp, inboxOpSchema, inboxPullStore, lockedHandoverSchema, type FoldStore, type InboxOp } from '../../../../shared/sync/locked-pull';
import type { StoredMeta } from '../../../../shared/sync/ports';

const obs = (id: string, version: string, at: string): SyncedResource => ({ resourceType: 'Observation', id, meta: { versionId: version, lastUpdated: at } }) as SyncedResource;

/** The replica as foldOp sees it, in memory (this module's unit test; the integration test folds into the real replica). */
function memoryStore(meta: StoredMeta[], checkpoints: Record<string, unknown> = {}) {
  const held = new Map(meta.map((m) => [m.ref, m]));
  const stored: string[] = [];
  const removed: string[] = [];
  const streams = new Map(Object.entries(checkpoints));
  const store: FoldStore = {
    readCheckpoint: async (stream) => streams.get(stream) ?? null,
    writeCheckpoint: async (stream, value) => void streams.set(stream, value),
    metaOf: async (refs) => new Map(refs.flatMap((ref) => (held.has(ref) ? [[ref, held.get(ref) as StoredMeta] as const] : []))),
    putServerResources: async (rows) => void stored.push(...rows.map((r) => `${r.resource.id}@${r.resource.meta.versionId}`)),
    removeResources: async (refs) => void removed.push(...refs),
  };
  return { store, stored, removed, streams };
}

describe('the fold-in of what arrived while locked', () => {
  it('stores as a pull would: never over a local edit, never the same or an older version; the latest of several', async () => {
    const { store, stored } = memoryStore([
      { ref: 'Observation/edited', versionId: '1', lastUpdated: '2026-12-01T00:00:00Z', syncState: 'pending' },
      { ref: 'Observation/same', versionId: '2', lastUpdated: '2026-12-01T00:00:00Z', syncState: 'synced' },
      { ref: 'Observation/newer-held', versionId: '5', lastUpdated: '2026-12-03T00:00:00Z', syncState: 'synced' },
      { ref: 'Observation/old', versionId: '1', lastUpdated: '2026-12-01T00:00:00Z', syncState: 'synced' },
    ]);
    const rows = [
      obs('edited', '2', '2026-12-02T00:00:00Z'),
      obs('same', '2', '2026-12-01T00:00:00Z'),
      obs('newer-held', '4', '2026-12-02T00:00:00Z'),
      obs('old', '2', '2026-12-02T00:00:00Z'),
      obs('new', '1', '2026-12-02T00:00:00Z'),
      obs('new', '2', '2026-12-02T10:00:00Z'),
    ].map((resource) => ({ resource, patient: 'Patient/p1' }));
    expect(await foldOp(store, { kind: 'rows', rows })).toBe(2);
    expect(stored.sort()).toEqual(['new@2', 'old@2']);
  });

  it('withdraws only what is plainly the server’s copy (a local edit waiting stays)', async () => {
    const { store, removed } = memoryStore([
      { ref: 'Observation/a', versionId: '1', lastUpdated: null, syncState: 'synced' },
      { ref: 'Observation/b', versionId: '1', lastUpdated: null, syncState: 'conflict' },
    ]);
    await foldOp(store, { kind: 'withdraw', refs: ['Observation/a', 'Observation/b', 'Observation/never-held'] });
    expect(removed).toEqual(['Observation/a']);
  });

  it('moves a checkpoint forward only; at the same instant it keeps both id lists', async () => {
    const at = (lastUpdated: string, ...ids: string[]): PullCheckpoint => ({ lastUpdated, idsAtLastUpdated: ids });
    const { store, streams } = memoryStore([], { Observation: at('2026-12-02T00:00:00Z', 'a') });
    await foldOp(store, { kind: 'checkpoint', type: 'Observation', value: at('2026-12-01T00:00:00Z', 'z') });
    expect(streams.get('Observation')).toEqual(at('2026-12-02T00:00:00Z', 'a'));
    await foldOp(store, { kind: 'checkpoint', type: 'Observation', value: at('2026-12-02T00:00:00Z', 'b') });
    expect(streams.get('Observation')).toEqual(at('2026-12-02T00:00:00Z', 'a', 'b'));
    await foldOp(store, { kind: 'checkpoint', type: 'Observation', value: at('2026-12-03T00:00:00Z', 'c') });
    expect(streams.get('Observation')).toEqual(at('2026-12-03T00:00:00Z', 'c'));
    await foldOp(store, { kind: 'checkpoint', type: 'Condition', value: at('') });
    expect(streams.get('Condition')).toEqual(at(''));
  });

  it('starts the history stream (deletions) from the HIE’s clock when no run has, and never moves one already started', async () => {
    const { store, streams } = memoryStore([]);
    await foldOp(store, { kind: 'history', serverDate: 'Thu, 03 Dec 2026 10:00:00 GMT' });
    expect(streams.get('_history')).toEqual({ since: '2026-12-03T09:59:55.000Z' });
    await foldOp(store, { kind: 'history', serverDate: 'Thu, 03 Dec 2026 12:00:00 GMT' });
    expect(streams.get('_history')).toEqual({ since: '2026-12-03T09:59:55.000Z' });
  });
});

describe('the locked pull’s store', () => {
  it('turns a pull’s writes into ops, in order; knows no stored version; reads the handed-over checkpoints', async () => {
    const ops: InboxOp[] = [];
    const checkpoints = new Map<string, PullCheckpoint>([['Observation', { lastUpdated: '2026-12-01T00:00:00Z', idsAtLastUpdated: ['a'] }]]);
    const store = inboxPullStore(checkpoints, async (op) => void ops.push(op));
    expect(await store.readCheckpoint('Observation')).toEqual({ lastUpdated: '2026-12-01T00:00:00Z', idsAtLastUpdated: ['a'] });
    expect(await store.readCheckpoint('Condition')).toBeNull();
    expect([...(await store.metaOf(['Observation/x'])).values()]).toEqual([{ ref: 'Observation/x', versionId: null, lastUpdated: null, syncState: 'synced' }]);
    await store.putServerResources([{ resource: obs('x', '1', '2026-12-02T00:00:00Z'), patient: 'Patient/p1' }]);
    await store.removeResources(['Observation/y']);
    await store.writeCheckpoint('Observation', { lastUpdated: '2026-12-02T00:00:00Z', idsAtLastUpdated: ['x'] });
    expect(ops.map((op) => op.kind)).toEqual(['rows', 'withdraw', 'checkpoint']);
    expect(checkpoints.get('Observation')).toEqual({ lastUpdated: '2026-12-02T00:00:00Z', idsAtLastUpdated: ['x'] });
    await expect(store.writeCheckpoint('_scope', ['Patient/p1'])).rejects.toThrow();
    for (const op of ops) expect(inboxOpSchema.parse(JSON.parse(JSON.stringify(op)))).toEqual(op);
  });

  it('the handover carries a public key and positions only: anything else is refused at the port', () => {
    const publicKey = 'A'.repeat(87);
    expect(lockedHandoverSchema.safeParse({ inboxPublicKey: publicKey, checkpoints: [['Observation', { lastUpdated: '', idsAtLastUpdated: [] }]], historyStarted: true }).success).toBe(true);
    expect(lockedHandoverSchema.safeParse({ inboxPublicKey: publicKey, checkpoints: [], historyStarted: true, replicaKey: 'x' }).success).toBe(false);
    expect(lockedHandoverSchema.safeParse({ inboxPublicKey: 'short', checkpoints: [] }).success).toBe(false);
    expect(lockedHandoverSchema.safeParse({ inboxPublicKey: publicKey, checkpoints: [['not a type', { lastUpdated: '', idsAtLastUpdated: [] }]] }).success).toBe(false);
  });
});
