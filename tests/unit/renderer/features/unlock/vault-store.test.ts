import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createVaultStore, newReplicaName, type VaultEntry } from '../../../../../renderer/features/unlock/vault-store';

const entry: VaultEntry = {
  format: 1,
  record: { format: 1, kdf: 'PBKDF2-SHA256+HKDF-SHA256', iterations: 600_000, salt: 'c2FsdA', wrappedReplicaKey: 'd3JhcHBlZA', wrappedIndexKey: 'aW5kZXg' },
  owner: { practitioner: 'Practitioner/abc', fhirBase: 'http://127.0.0.1:8787/fhir' },
  replicaName: 'relais-0123456789abcdef',
  createdAt: '2026-11-28T08:00:00.000Z',
  lastSyncAt: null,
  initialSyncDone: false,
};

describe('vault store', () => {
  it('is empty on first run, then gives back what was written', async () => {
    const store = createVaultStore(indexedDB);
    expect(await store.read()).toBeNull();
    await store.write(entry);
    expect(await store.read()).toEqual(entry);
  });

  it('runs updates one after another, so two at once both land', async () => {
    const store = createVaultStore(indexedDB);
    await store.write(entry);
    await Promise.all([store.update({ lastSyncAt: '2026-11-28T09:00:00.000Z' }), store.update({ initialSyncDone: true })]);
    expect(await store.read()).toMatchObject({ lastSyncAt: '2026-11-28T09:00:00.000Z', initialSyncDone: true });
  });

  it('keeps each other source’s replica entry beside the primary’s: added, changed and forgotten by id, concurrent changes all landing', async () => {
    const store = createVaultStore(indexedDB);
    await store.remove();
    await store.write(entry);
    const b = { id: 'ch-b', owner: { practitioner: 'Practitioner/b7', fhirBase: 'http://127.0.0.1:8788/fhir' }, replicaName: 'relais-00000000000000b0', lastSyncAt: null, initialSyncDone: false };
    const c = { ...b, id: 'ch-c', replicaName: 'relais-00000000000000c0' };
    await Promise.all([store.updateSource('ch-b', b), store.updateSource('ch-c', c), store.update({ lastSyncAt: '2026-11-28T09:00:00.000Z' })]);
    expect((await store.read())?.sources).toEqual([b, c]);
    await store.updateSource('ch-b', (known) => ({ ...known, initialSyncDone: true }));
    await store.updateSource('ch-x', (known) => ({ ...known, initialSyncDone: true }));
    expect((await store.read())?.sources?.map((s) => [s.id, s.initialSyncDone])).toEqual([['ch-c', false], ['ch-b', true]]);
    await store.updateSource('ch-c', null);
    expect((await store.read())?.sources?.map((s) => s.id)).toEqual(['ch-b']);
    await expect(store.updateSource('ch-d', { ...b, id: 'ch-d', replicaName: 'Patient Dupont' })).rejects.toThrow();
    expect((await store.read())?.lastSyncAt).toBe('2026-11-28T09:00:00.000Z');
  });

  it('refuses to write a malformed entry and forgets the vault on remove', async () => {
    const store = createVaultStore(indexedDB);
    await expect(store.write({ ...entry, replicaName: 'Patient Dupont' })).rejects.toThrow();
    await store.write(entry);
    await store.remove();
    expect(await store.read()).toBeNull();
  });

  it('names replica databases at random, with nothing that identifies anyone', () => {
    const a = newReplicaName(crypto);
    expect(a).toMatch(/^relais-[0-9a-f]{16}$/);
    expect(newReplicaName(crypto)).not.toBe(a);
  });
});
