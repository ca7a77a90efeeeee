import 'fake-indexeddb/auto';
import type { RxCollection, RxJsonSchema } from 'rxdb/plugins/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { dataCollections, refuseRxdbConflictResolution } from '../../../../renderer/db/collections';
import { openReplicaDatabase } from '../../../../renderer/db/database';
import { createKeyRing } from '../../../../renderer/db/key-ring';
import { type ResourceDocV0, resourceMigrations, resourceV0ToV1 } from '../../../../renderer/db/migrations';
import { conflictsSchema, keysSchema, metaSchema, outboxSchema, resourcesSchema } from '../../../../renderer/db/schemas';
import { dexieName, flipBit, makeVault, observation, openTestReplica, patient, rawDump, rawGet, rawPut, uniqueName, webcrypto } from './fixtures';

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

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

/** A database as the v0 release left it, written through the same sealed storage. */
async function buildV0(name: string, docs: (pk: string) => ResourceDocV0[]): Promise<void> {
  const keyRing = createKeyRing(webcrypto, vault);
  const { db, collections } = await openReplicaDatabase({
    name,
    crypto: webcrypto,
    keyRing,
    onUnreadable: () => undefined,
    definitions: { ...dataCollections, resources: { schema: resourcesSchemaV0 as RxJsonSchema<unknown>, migrationStrategies: {}, conflictHandler: refuseRxdbConflictResolution } },
  });
  await keyRing.ensureKeys(['Patient/p1']);
  const v0 = collections.resources as unknown as RxCollection<ResourceDocV0>;
  await v0.bulkInsert(docs(await keyRing.patientKeyOf('Patient/p1')));
  await db.close();
}

// Each test builds and migrates a database: 1.6 s at worst with both cores loaded (a fresh-clone .ci/run).
describe('schema versions and migrations', { timeout: 20_000 }, () => {
  it('every collection declares a version; resources is at 1 with a strategy for each step', () => {
    expect([keysSchema, metaSchema, resourcesSchema, outboxSchema, conflictsSchema].map((s) => s.version)).toEqual([0, 0, 1, 0, 0]);
    for (let version = 1; version <= resourcesSchema.version; version += 1) expect(typeof resourceMigrations[version]).toBe('function');
  });

  it('v0 → v1 lifts the server version and time out of the body, and keeps an unreadable body unreadable', () => {
    const o = observation('o1', 'p1', 'x', 'v7');
    expect(resourceV0ToV1({ ref: 'Observation/o1', type: 'Observation', patientKey: 'k', syncState: 'synced', body: { resource: o, patient: 'Patient/p1' } })).toMatchObject({
      versionId: 'v7',
      lastUpdated: '2025-03-01T10:00:00.000Z',
    });
    expect(resourceV0ToV1({ ref: 'Observation/o1', type: 'Observation', patientKey: 'k', syncState: 'synced', body: null })).toMatchObject({ versionId: '', lastUpdated: '', body: null });
  });

  it('opens a v0 database and migrates it: data readable, metadata in plaintext, nothing written in clear on the way', async () => {
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
    expect(await replica.getResource('Observation/o2')).toMatchObject({ resource: null });
    expect(await replica.quarantined()).toEqual(['Observation/o2']);
    await replica.close();

    const v1Row = (await rawGet(dexieName(name, 'resources', 1), 'Observation/o1'))!;
    expect(v1Row).toMatchObject({ versionId: 'v5', syncState: 'synced' });
    expect(typeof v1Row['body']).toBe('string');
    const disk = JSON.stringify(await rawDump(name));
    for (const canary of ['Migrantçanary', 'Ondine', 'migration-canary-note']) expect(disk).not.toContain(canary);
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
});
