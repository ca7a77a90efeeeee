import 'fake-indexeddb/auto';
import {
  fillWithDefaultSettings,
  getRxReplicationMetaInstanceSchema,
  type RxJsonSchema,
  type RxStorageInstance,
} from 'rxdb/plugins/core';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { describe, expect, it } from 'vitest';
import { MissingKeyError } from '../../../../shared/crypto/errors';
import type { KeyHandle } from '../../../../shared/crypto/webcrypto';
import { sealingStorage } from '../../../../renderer/db/sealing-storage';
import { resourcesSchema } from '../../../../renderer/db/schemas';
import { dexieName, flipBit, rawGet, rawPut, uniqueName, webcrypto } from './fixtures';

type Doc = Record<string, unknown>;

async function aesKey(): Promise<KeyHandle> {
  return webcrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

async function sealedInstance(schema: RxJsonSchema<unknown>, collectionName: string, key: KeyHandle | null, bound: readonly string[] = []) {
  const unreadable: string[] = [];
  const databaseName = uniqueName('sealing');
  const storage = sealingStorage({
    storage: getRxStorageDexie({ indexedDB: globalThis.indexedDB, IDBKeyRange: globalThis.IDBKeyRange }),
    crypto: webcrypto,
    keys: { keyFor: () => Promise.resolve(key), onUnreadable: (c, id) => unreadable.push(`${c}:${id}`) },
    boundFields: () => bound,
  });
  const instance = (await storage.createStorageInstance({
    databaseName,
    collectionName,
    databaseInstanceToken: 'token',
    schema: fillWithDefaultSettings(schema),
    options: {},
    multiInstance: false,
    devMode: false,
  })) as unknown as RxStorageInstance<Doc, unknown, unknown>;
  return { instance, unreadable, dexieDb: dexieName(databaseName, collectionName, schema.version) };
}

const written = (fields: Doc): Doc => ({ ...fields, _deleted: false, _rev: '1-token', _meta: { lwt: 1700000000000.01 }, _attachments: {} });

describe('sealing storage', () => {
  it('seals the encrypted fields of the schemas RxDB derives itself (a migration’s replication meta)', async () => {
    const metaSchema = getRxReplicationMetaInstanceSchema(fillWithDefaultSettings(resourcesSchema) as RxJsonSchema<never>, true);
    expect(metaSchema.encrypted).toEqual(['docData']);
    const { instance, dexieDb } = await sealedInstance(metaSchema as RxJsonSchema<unknown>, 'rx-migration-state-meta-resources-0', await aesKey());
    const docData = { ref: 'Patient/p9', body: { resource: { resourceType: 'Patient', name: [{ family: 'Metacanary' }] } } };
    const result = await instance.bulkWrite([{ document: written({ id: 'Patient/p9|0', itemId: 'Patient/p9', isCheckpoint: '0', docData }) as never }], 'test');
    expect(result.error).toEqual([]);
    const raw = (await rawGet(dexieDb, 'Patient/p9|0'))!;
    expect(typeof raw['docData']).toBe('string');
    expect(JSON.stringify(raw)).not.toContain('Metacanary');
    const [read] = await instance.findDocumentsById(['Patient/p9|0'], false);
    expect((read as Doc)['docData']).toEqual(docData);
    await instance.close();
  });

  it('refuses to write a sealed field without a key, rather than write it in clear', async () => {
    const { instance } = await sealedInstance(resourcesSchema as RxJsonSchema<unknown>, 'resources', null);
    const doc = written({ id: 'row-o1', typeKey: 't', patientKey: 'k', body: { secret: 1 } });
    await expect(instance.bulkWrite([{ document: doc as never }], 'test')).rejects.toThrow(MissingKeyError);
    await instance.close();
  });

  it('reports each unreadable document once, returns it with the field null, and keeps the query going', async () => {
    const { instance, unreadable, dexieDb } = await sealedInstance(resourcesSchema as RxJsonSchema<unknown>, 'resources', await aesKey());
    const docs = ['o1', 'o2'].map((id) =>
      written({ id: `row-${id}`, typeKey: 't', patientKey: 'k', body: { id } }),
    );
    await instance.bulkWrite(docs.map((document) => ({ document: document as never })), 'test');
    const raw = (await rawGet(dexieDb, 'row-o1'))!;
    await rawPut(dexieDb, { ...raw, body: flipBit(raw['body'] as string) });
    const read = (await instance.findDocumentsById(['row-o1', 'row-o2'], false)) as Doc[];
    expect(read.map((d) => d['body'])).toEqual(expect.arrayContaining([null, { id: 'o2' }]));
    expect(unreadable).toEqual(['resources:row-o1']);
    await instance.close();
  });

  it('binds a value to its collection: the same id and version in another collection does not open', async () => {
    const key = await aesKey();
    const a = await sealedInstance(resourcesSchema as RxJsonSchema<unknown>, 'resources', key);
    const b = await sealedInstance(resourcesSchema as RxJsonSchema<unknown>, 'outbox-like', key);
    const doc = written({ id: 'row-o1', typeKey: 't', patientKey: 'k', body: { id: 'o1' } });
    await a.instance.bulkWrite([{ document: doc as never }], 'test');
    await b.instance.bulkWrite([{ document: doc as never }], 'test');
    const fromA = (await rawGet(a.dexieDb, 'row-o1'))!;
    await rawPut(b.dexieDb, fromA);
    const [read] = (await b.instance.findDocumentsById(['row-o1'], false)) as Doc[];
    expect(read!['body']).toBeNull();
    await a.instance.close();
    await b.instance.close();
  });

  it('binds the clear fields a collection names: one altered, the sealed value no longer opens', async () => {
    const { instance, unreadable, dexieDb } = await sealedInstance(resourcesSchema as RxJsonSchema<unknown>, 'resources', await aesKey(), ['typeKey', 'patientKey']);
    const docs = ['o1', 'o2', 'o3'].map((id) => written({ id: `row-${id}`, typeKey: 't-observation', patientKey: 'k', body: { id } }));
    await instance.bulkWrite(docs.map((document) => ({ document: document as never })), 'test');
    await rawPut(dexieDb, { ...(await rawGet(dexieDb, 'row-o1'))!, typeKey: 't-patient' });
    await rawPut(dexieDb, { ...(await rawGet(dexieDb, 'row-o2'))!, patientKey: 'k2' });
    // A field the collection does not bind (and its schema does not have) changes nothing.
    await rawPut(dexieDb, { ...(await rawGet(dexieDb, 'row-o3'))!, lastUpdated: '2999-01-01' });
    const read = (await instance.findDocumentsById(['row-o1', 'row-o2', 'row-o3'], false)) as Doc[];
    expect(Object.fromEntries(read.map((d) => [d['id'], d['body']]))).toEqual({ 'row-o1': null, 'row-o2': null, 'row-o3': { id: 'o3' } });
    expect(unreadable.sort()).toEqual(['resources:row-o1', 'resources:row-o2']);
    await instance.close();
  });

  it('refuses to bind a sealed field or the primary key', async () => {
    await expect(sealedInstance(resourcesSchema as RxJsonSchema<unknown>, 'resources', await aesKey(), ['body'])).rejects.toThrow(TypeError);
    await expect(sealedInstance(resourcesSchema as RxJsonSchema<unknown>, 'resources', await aesKey(), ['id'])).rejects.toThrow(TypeError);
  });
});
