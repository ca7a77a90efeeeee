import 'fake-indexeddb/auto';
import type { MigrationStrategies, RxCollection, RxJsonSchema } from 'rxdb/plugins/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { dataCollections, legacyResourceCollection, refuseRxdbConflictResolution } from '../../../../renderer/db/collections';
import { legacyResourceDatabases, openReplicaDatabase } from '../../../../renderer/db/database';
import { createKeyRing } from '../../../../renderer/db/key-ring';
import { type ResourceDocV0, type ResourceDocV1, resourceMigrations, resourceV0ToV1, resourceV1ToV2 } from '../../../../renderer/db/migrations';
import { conflictsSchema, keysSchema, metaSchema, outboxSchema, resourceBoundFields, type ResourceDoc, resourcesSchema } from '../../../../renderer/db/schemas';
import { dexieName, flipBit, makeVault, observation, openTestReplica, patient, rawDump, rawGet, rawPut, resourcesDb, rowIdsIn, uniqueName, webcrypto } from './fixtures';
import type { KeyRing } from '../../../../renderer/db/key-ring';

/** The resources schema as release v0 shipped it: versionId and lastUpdated only inside the sealed body. */
const resourcesSchemaV0: RxJsonSchema<ResourceDocV0> = {
  version: 0,
  primaryKey: 'ref',
  type: 'object',
  additionalProperties: false,
  properties: {
    ref: { type: 'string', maxLength: 140 },
    type: { type: 'string', maxLength: 64 },
    patientKey: { type: 'string', maxLength: 32 },
    syncState: { type: 'string', enum: ['synced', 'pending', 'conflict'], maxLength: 8 },
    body: { type: 'object' },
  },
  required: ['ref', 'type', 'patientKey', 'syncState', 'body'],
  indexes: ['patientKey', 'type', 'syncState'],
  encrypted: ['body'],
};

/** The resources schema as release v1 shipped it: keyed by `Type/id`, server version and time and sync state in clear. */
const resourcesSchemaV1: RxJsonSchema<ResourceDocV1> = {
  version: 1,
  primaryKey: 'ref',
  type: 'object',
  additionalProperties: false,
  properties: {
    ref: { type: 'string', maxLength: 140 },
    type: { type: 'string', maxLength: 64 },
    patientKey: { type: 'string', maxLength: 32 },
    versionId: { type: 'string', maxLength: 128 },
    lastUpdated: { type: 'string', maxLength: 40 },
    syncState: { type: 'string', enum: ['synced', 'pending', 'conflict'], maxLength: 8 },
    body: { type: 'object' },
  },
  required: ['ref', 'type', 'patientKey', 'versionId', 'lastUpdated', 'syncState', 'body'],
  indexes: ['patientKey', 'type', 'syncState'],
  encrypted: ['body'],
};

const noKeys = { rowIdOf: (ref: string) => Promise.resolve(`id:${ref}`), rowNameOf: (id: string, ref: string) => Promise.resolve(`name:${id}:${ref}`), typeKeyOf: (type: string) => Promise.resolve(`type:${type}`), noteUnsettled: () => undefined };

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

/** A database as an earlier release left it, written through the same sealed storage. */
async function buildOld<T>(
  name: string,
  schema: RxJsonSchema<T>,
  migrationStrategies: MigrationStrategies,
  docs: (pk: string, keyRing: KeyRing) => T[] | Promise<T[]>,
  boundFields: readonly string[] = [],
): Promise<void> {
  const keyRing = createKeyRing(webcrypto, vault);
  const { db, legacyResources } = await openReplicaDatabase({
    name,
    crypto: webcrypto,
    keyRing,
    onUnreadable: () => undefined,
    definitions: { ...dataCollections, resources: { schema: schema as RxJsonSchema<unknown>, migrationStrategies, conflictHandler: refuseRxdbConflictResolution, boundFields } },
  });
  await keyRing.ensureKeys(['Patient/p1']);
  const old = legacyResources!.collection as unknown as RxCollection<T>;
  await old.bulkInsert(await docs(await keyRing.patientKeyOf('Patient/p1'), keyRing));
  await db.close();
}

/** Resources v2 as the release before the row store left them: in RxDB, keyed by opaque row ids. */
const buildV2 = (name: string, resources: readonly { resource: ReturnType<typeof observation>; syncState?: 'synced' | 'pending' }[]) =>
  buildOld<ResourceDoc>(name, resourcesSchema, legacyResourceCollection(noKeys).migrationStrategies, async (patientKey, keyRing) =>
    Promise.all(
      resources.map(async ({ resource, syncState }) => {
        const ref = `${resource.resourceType}/${resource.id}`;
        const id = await keyRing.rowIdOf(ref);
        return {
          id,
          name: await keyRing.rowNameOf(id, ref),
          typeKey: await keyRing.typeKeyOf(resource.resourceType),
          patientKey,
          body: { ref, resource, patient: 'Patient/p1', versionId: resource.meta.versionId, lastUpdated: resource.meta.lastUpdated, syncState: syncState ?? 'synced' },
        };
      }),
    ),
    resourceBoundFields,
  );

/** The resources databases RxDB's Dexie storage made for this replica (none once moved to the row store). */
const legacyDatabases = (name: string): Promise<string[]> => legacyResourceDatabases(name, indexedDB);

const buildV0 = (name: string, docs: (pk: string) => ResourceDocV0[]) => buildOld(name, resourcesSchemaV0, {}, docs);

// Each test builds and migrates a database: 1.6 s at worst with both cores loaded (a fresh-clone .ci/run).
describe('schema versions and migrations', { timeout: 20_000 }, () => {
  it('every collection declares a version; resources is at 2 with a strategy for each step', () => {
    expect([keysSchema, metaSchema, resourcesSchema, outboxSchema, conflictsSchema].map((s) => s.version)).toEqual([0, 0, 2, 0, 0]);
    const strategies = resourceMigrations(noKeys);
    for (let version = 1; version <= resourcesSchema.version; version += 1) expect(typeof strategies[version]).toBe('function');
  });

  it('v1 → v2 renames the row, labels its type, seals the bookkeeping, and notes a row a local edit waits on', async () => {
    const noted: string[] = [];
    const keys = { ...noKeys, noteUnsettled: (ref: string) => noted.push(ref) };
    const o = observation('o1', 'p1', 'x', 'v7');
    const v1: ResourceDocV1 = { ref: 'Observation/o1', type: 'Observation', patientKey: 'k', versionId: 'v7', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'pending', body: { resource: o, patient: 'Patient/p1' } };
    expect(await resourceV1ToV2(keys, v1)).toEqual({
      id: 'id:Observation/o1',
      name: 'name:id:Observation/o1:Observation/o1',
      typeKey: 'type:Observation',
      patientKey: 'k',
      body: { ref: 'Observation/o1', resource: o, patient: 'Patient/p1', versionId: 'v7', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'pending' },
    });
    expect(noted).toEqual(['Observation/o1']);
    expect(await resourceV1ToV2(keys, { ...v1, ref: 'Observation/o2', syncState: 'synced', body: null })).toMatchObject({ id: 'id:Observation/o2', body: null });
    expect(noted).toEqual(['Observation/o1']);
  });

  it('v0 → v1 lifts the server version and time out of the body, and keeps an unreadable body unreadable', () => {
    const o = observation('o1', 'p1', 'x', 'v7');
    expect(resourceV0ToV1({ ref: 'Observation/o1', type: 'Observation', patientKey: 'k', syncState: 'synced', body: { resource: o, patient: 'Patient/p1' } })).toMatchObject({
      versionId: 'v7',
      lastUpdated: '2025-03-01T10:00:00.000Z',
    });
    expect(resourceV0ToV1({ ref: 'Observation/o1', type: 'Observation', patientKey: 'k', syncState: 'synced', body: null })).toMatchObject({ versionId: '', lastUpdated: '', body: null });
  });

  it('opens a v0 database and migrates it: data readable, nothing written in clear on the way', async () => {
    const name = uniqueName('migrate');
    const p = patient('p1', { family: 'Migrantçanary', given: ['Ondine'] }, 'v3');
    const o1 = observation('o1', 'p1', 'migration-canary-note', 'v5');
    const o2 = observation('o2', 'p1', 'to be damaged');
    await buildV0(name, (patientKey) => [
      { ref: 'Patient/p1', type: 'Patient', patientKey, syncState: 'synced', body: { resource: p, patient: 'Patient/p1' } },
      { ref: 'Observation/o1', type: 'Observation', patientKey, syncState: 'synced', body: { resource: o1, patient: 'Patient/p1' } },
      { ref: 'Observation/o2', type: 'Observation', patientKey, syncState: 'synced', body: { resource: o2, patient: 'Patient/p1' } },
    ]);
    const v0Row = (await rawGet(dexieName(name, 'resources', 0), 'Observation/o2'))!;
    expect(v0Row).not.toHaveProperty('versionId');
    await rawPut(dexieName(name, 'resources', 0), { ...v0Row, body: flipBit(v0Row['body'] as string) });

    const replica = await openTestReplica(name, vault);
    expect((await replica.getResource('Observation/o1'))?.resource).toEqual(o1);
    expect((await replica.searchPatients('migrantcanary')).map((e) => e.ref)).toEqual(['Patient/p1']);
    expect((await replica.metaOf(['Patient/p1', 'Observation/o1'])).get('Observation/o1')).toEqual({
      ref: 'Observation/o1', versionId: 'v5', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'synced',
    });
    // The damaged row is not carried into the row store: it is quarantined, and the engine fetches it again.
    expect(await replica.getResource('Observation/o2')).toBeNull();
    expect(await replica.quarantined()).toEqual(['Observation/o2']);
    await replica.close();

    // v0 → v1 → v2 in RxDB, then v2 → v3: the rows are in the row store, sealed as bytes, and RxDB's resources databases are gone.
    const v3Row = (await rawGet(resourcesDb(name), (await rowIdsIn(name, vault, 'Observation/o1'))[0]!))!;
    expect(Object.keys(v3Row).sort()).toEqual(['body', 'id', 'name', 'patientKey', 'stamp', 'typeKey']);
    expect(v3Row['body']).toBeInstanceOf(Uint8Array);
    expect(await legacyDatabases(name)).toEqual([]);
    const disk = JSON.stringify(await rawDump(name));
    for (const canary of ['Migrantçanary', 'Ondine', 'migration-canary-note', 'Observation/o1', 'Patient/p1']) expect(disk).not.toContain(canary);
  });

  it('opens a v1 database: no reference or bookkeeping left in clear, and a pending row no edit waits on is fetched again', async () => {
    const name = uniqueName('migrate-v1');
    const stamp = { versionId: 'v4', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'synced' as const };
    const o1 = observation('o1', 'p1', 'synced one', 'v4');
    const o2 = observation('o2', 'p1', 'edited offline, its settling write lost', 'v4');
    await buildOld(name, resourcesSchemaV1, { 1: (old: ResourceDocV0) => resourceV0ToV1(old) }, (patientKey) => [
      { ref: 'Patient/p1', type: 'Patient', patientKey, ...stamp, body: { resource: patient('p1', { family: 'Versionun' }, 'v4'), patient: 'Patient/p1' } },
      { ref: 'Observation/o1', type: 'Observation', patientKey, ...stamp, body: { resource: o1, patient: 'Patient/p1' } },
      { ref: 'Observation/o2', type: 'Observation', patientKey, ...stamp, syncState: 'pending' as const, body: { resource: o2, patient: 'Patient/p1' } },
    ]);
    expect(JSON.stringify(await rawDump(name))).toContain('Observation/o1');

    const replica = await openTestReplica(name, vault);
    expect(replica.recovery).toMatchObject({ rowsRefetched: 1 });
    expect(await replica.quarantined()).toEqual(['Observation/o2']);
    expect((await replica.resourcesOfPatient('Patient/p1')).map((e) => [e.ref, e.syncState])).toEqual([
      ['Observation/o1', 'synced'], ['Observation/o2', 'synced'], ['Patient/p1', 'synced'],
    ]);
    expect((await replica.searchPatients('versionun')).map((e) => e.ref)).toEqual(['Patient/p1']);
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')).toEqual({ ref: 'Observation/o1', ...stamp });
    await replica.close();
    // The schemas RxDB keeps in its internal store name the old enum; no row does.
    const disk = JSON.stringify((await rawDump(name)).filter((r) => !r.db.endsWith('--_rxdb_internal')));
    for (const leak of ['Observation/o1', 'Observation/o2', 'Patient/p1', '2025-03-01T10:00:00.000Z', '"pending"']) expect(disk).not.toContain(leak);
  });

  it('a second open does not migrate again', async () => {
    const name = uniqueName('migrate-twice');
    await buildV0(name, (patientKey) => [
      { ref: 'Observation/o1', type: 'Observation', patientKey, syncState: 'synced', body: { resource: observation('o1', 'p1', 'x', 'v2'), patient: 'Patient/p1' } },
    ]);
    await (await openTestReplica(name, vault)).close();
    const again = await openTestReplica(name, vault);
    expect((await again.metaOf(['Observation/o1'])).get('Observation/o1')?.versionId).toBe('v2');
    await again.close();
  });

  it('opens a v2 database (rows in RxDB): every row moves to the row store, readable, and RxDB keeps none', async () => {
    const name = uniqueName('migrate-v2');
    const o1 = observation('o1', 'p1', 'v2-canary-note', 'v6');
    await buildV2(name, [{ resource: patient('p1', { family: 'Deuxièmeversion' }, 'v2') as ReturnType<typeof observation> }, { resource: o1 }]);
    expect(await legacyDatabases(name)).toEqual([dexieName(name, 'resources', 2)]);

    const replica = await openTestReplica(name, vault);
    expect((await replica.getResource('Observation/o1'))?.resource).toEqual(o1);
    expect((await replica.searchPatients('deuxiemeversion')).map((e) => e.ref)).toEqual(['Patient/p1']);
    expect((await replica.metaOf(['Observation/o1'])).get('Observation/o1')).toEqual({ ref: 'Observation/o1', versionId: 'v6', lastUpdated: '2025-03-01T10:00:00.000Z', syncState: 'synced' });
    expect(await replica.quarantined()).toEqual([]);
    await replica.close();
    expect(await legacyDatabases(name)).toEqual([]);
    const disk = JSON.stringify(await rawDump(name), (_key, value: unknown) => (value instanceof Uint8Array ? new TextDecoder().decode(value) : value));
    for (const canary of ['Deuxièmeversion', 'v2-canary-note', 'Observation/o1', 'Patient/p1']) expect(disk).not.toContain(canary);
  });

  it('a v2 row that does not open is not moved but quarantined, on disk before the old rows go: a restart still fetches it again', async () => {
    const name = uniqueName('migrate-v2-damaged');
    await buildV2(name, [{ resource: observation('o1', 'p1', 'fine', 'v1') }, { resource: observation('o2', 'p1', 'to be damaged', 'v1') }]);
    const [o2] = await rowIdsIn(name, vault, 'Observation/o2');
    const v2Row = (await rawGet(dexieName(name, 'resources', 2), o2!))!;
    await rawPut(dexieName(name, 'resources', 2), { ...v2Row, body: flipBit(v2Row['body'] as string) });

    const first = await openTestReplica(name, vault);
    expect(await first.getResource('Observation/o2')).toBeNull();
    expect(await first.quarantined()).toEqual(['Observation/o2']);
    await first.close();
    expect(await legacyDatabases(name)).toEqual([]);
    const second = await openTestReplica(name, vault);
    expect(await second.quarantined()).toEqual(['Observation/o2']);
    expect((await second.getResource('Observation/o1'))?.resource).toMatchObject({ code: { text: 'fine' } });
    await second.close();
  });

  // 1,200 rows built, moved half, then moved whole: 4.9 s with two CPU hogs beside a CI run, 7.7 s with two CI runs at once.
  it('a move stopped half-way (the disk fails on the second page) loses nothing: the next open moves every row again', { timeout: 60_000 }, async () => {
    const name = uniqueName('migrate-v2-crash');
    const many = Array.from({ length: 1_200 }, (_, i) => ({ resource: observation(`o${i}`, 'p1', `note ${i}`, 'v1') }));
    await buildV2(name, many);
    const original = IDBDatabase.prototype.transaction;
    let writes = 0;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, stores, mode, options) {
      if (mode === 'readwrite' && this.name === resourcesDb(name) && (writes += 1) === 2) throw new DOMException('the disk is full', 'QuotaExceededError');
      return original.call(this, stores, mode, options);
    } as typeof original;
    try {
      await expect(openTestReplica(name, vault)).rejects.toThrow('the disk is full');
    } finally {
      IDBDatabase.prototype.transaction = original;
    }
    // The first page reached the row store; RxDB still holds every row.
    expect(writes).toBe(2);
    expect(await legacyDatabases(name)).toEqual([dexieName(name, 'resources', 2)]);

    const replica = await openTestReplica(name, vault);
    const chart = await replica.resourcesOfPatient('Patient/p1');
    expect(chart).toHaveLength(1_200);
    expect(chart.every((e) => e.resource !== null)).toBe(true);
    expect((await replica.getResource('Observation/o1199'))?.resource).toMatchObject({ code: { text: 'note 1199' } });
    await replica.close();
    expect(await legacyDatabases(name)).toEqual([]);
  });
});
