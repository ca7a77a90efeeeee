import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64Url } from '../../../shared/crypto/bytes';
import { WrongPassphraseError } from '../../../shared/crypto/errors';
import { createVault, importDeviceSecret, newDeviceSecret, unlockVault } from '../../../shared/crypto/key-hierarchy';
import { wipeOrderCoding } from '../../../shared/hie/wipe-order';
import { eraseReplica } from '../../../renderer/db/erase';
import { rowStoreName } from '../../../renderer/db/row-store';
import { destroyDeviceSecret, deviceSecretAccount, getOrCreateDeviceSecret } from '../../../electron/secrets/device-secret';
import { createKeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { wipeSignal } from '../../../sandbox/fhir/fhir-server.ts';
import type { Sandbox } from '../../../sandbox/server.ts';
import { rawDump } from '../../unit/renderer/db/fixtures';
import { control, laptop, useTestSandbox, webcrypto, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

useTestSandbox({}, (started) => {
  ({ sandbox } = started);
  [me] = started.staff as [Practitioner];
});

describe('remote wipe', () => {
  it('the client reads the same wipe order the HIE sends', () => {
    expect({ system: wipeSignal.system, code: wipeSignal.code }).toEqual(wipeOrderCoding);
  });

  it('a revoked user: the next contact orders the wipe; after it, a copy of the profile taken before opens with nothing left', async () => {
    await control(sandbox, 'POST', 'reset');
    const secrets = createKeytarSecretStore(`Relais-test-${randomUUID()}`);
    const passphrase = 'Brest, un matin de novembre';
    const device = fromBase64Url(await getOrCreateDeviceSecret(secrets));
    const { record, vault } = await createVault(webcrypto, await importDeviceSecret(webcrypto, device), passphrase);
    const name = `wipe-${randomUUID()}`;
    const l = await laptop(sandbox, me.id, name, vault);
    const replica = l.replica;
    await l.sync();
    const patient = `Patient/${me.patients[0] as string}`;
    expect((await replica.resourcesOfPatient(patient)).length).toBeGreaterThan(0);
    const family = ((await replica.getResource(patient))?.resource as { name?: Array<{ family?: string }> } | null)?.name?.[0]?.family ?? '';
    expect(family.length).toBeGreaterThan(1);

    // A thief's copy of the profile, taken before the wipe.
    const copy = await rawDump(name);
    const copiedRecord = structuredClone(record);
    expect(copy.length).toBeGreaterThan(20);
    expect((await indexedDB.databases()).some((d) => d.name === rowStoreName(name))).toBe(true);

    expect((await control(sandbox, 'POST', 'wipe', { practitioner: me.id })).status).toBe(204);
    await expect(l.sync()).rejects.toMatchObject({ code: 'WIPE_REQUIRED' });

    // The wipe, in order: the device secret, every wrapped key, then the files.
    await destroyDeviceSecret(secrets);
    expect(await eraseReplica(replica, name)).toBeGreaterThan(3);

    expect(await secrets.get(deviceSecretAccount)).toBeNull();
    // RxDB's collections and the row store alike.
    expect((await indexedDB.databases()).filter((d) => d.name?.startsWith(`rxdb-dexie-${name}--`) || d.name === rowStoreName(name))).toEqual([]);
    // With the passphrase and whatever secret the device could still produce, the copy's vault stays shut.
    await expect(unlockVault(webcrypto, copiedRecord, await importDeviceSecret(webcrypto, newDeviceSecret(webcrypto)), passphrase)).rejects.toBeInstanceOf(WrongPassphraseError);
    const regenerated = fromBase64Url(await getOrCreateDeviceSecret(secrets));
    await expect(unlockVault(webcrypto, copiedRecord, await importDeviceSecret(webcrypto, regenerated), passphrase)).rejects.toBeInstanceOf(WrongPassphraseError);
    // And the copy itself holds no name in clear (ids are opaque server ids: docs/SECURITY.md).
    expect(copy.filter((r) => JSON.stringify(r.value).includes(family))).toEqual([]);
    await destroyDeviceSecret(secrets);
  });
});
