import { createHmac, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../../shared/crypto/bytes';
import { WrongPassphraseError } from '../../../../shared/crypto/errors';
import {
  changePassphrase,
  createDataKey,
  createVault,
  minimumIterations,
  importDeviceSecret,
  newDeviceSecret,
  opaquePatientKey,
  openDataKey,
  unlockVault,
} from '../../../../shared/crypto/key-hierarchy';
import { openValue, sealValue } from '../../../../shared/crypto/sealed-value';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';

const webcrypto = globalThis.crypto as unknown as WebCrypto;
const ctx = { docId: 'Patient/p1', field: 'resource', version: '1' };
const device = () => importDeviceSecret(webcrypto, newDeviceSecret(webcrypto));

describe('primitives the hierarchy is built on (known-answer vectors)', () => {
  it('PBKDF2-HMAC-SHA256 matches RFC 7914 §11', async () => {
    const key = await webcrypto.subtle.importKey('raw', utf8('passwd'), 'PBKDF2', false, ['deriveBits']);
    const bits = await webcrypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: utf8('salt'), iterations: 1 }, key, 512);
    expect(Buffer.from(bits).toString('hex')).toBe(
      '55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783',
    );
  });

  it('HKDF-SHA256 matches RFC 5869 test case 1', async () => {
    const ikm = new Uint8Array(22).fill(0x0b);
    const salt = Uint8Array.from({ length: 13 }, (_, i) => i);
    const info = Uint8Array.from({ length: 10 }, (_, i) => 0xf0 + i);
    const key = await webcrypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
    const okm = await webcrypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, 42 * 8);
    expect(Buffer.from(okm).toString('hex')).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });
});

// Each test derives keys (PBKDF2, 600,000 rounds): 2.1 s at worst with both cores loaded and a build beside.
describe('vault: two factors, non-extractable keys', { timeout: 20_000 }, () => {
  it('refuses fewer than 600,000 PBKDF2 iterations', async () => {
    expect(minimumIterations).toBe(600_000);
    await expect(createVault(webcrypto, await device(), 'pw', 1000)).rejects.toThrow(RangeError);
  });

  it('derives its KEK exactly as documented (independent re-derivation opens the replica key)', async () => {
    const deviceBytes = newDeviceSecret(webcrypto);
    const secret = await importDeviceSecret(webcrypto, deviceBytes);
    const { record } = await createVault(webcrypto, secret, 'correct horse');
    const salt = Buffer.from(record.salt, 'base64url');
    const stretched = pbkdf2Sync(Buffer.from('correct horse'), salt, record.iterations, 32, 'sha256');
    const kek = Buffer.from(hkdfSync('sha256', deviceBytes, Buffer.concat([salt, stretched]), 'relais/kek/v1', 32));
    const kekHandle = await webcrypto.subtle.importKey('raw', kek, { name: 'AES-GCM' }, false, ['unwrapKey']);
    const wrapped = Buffer.from(record.wrappedReplicaKey, 'base64url');
    const replica = await webcrypto.subtle.unwrapKey(
      'raw', wrapped.subarray(12), kekHandle,
      { name: 'AES-GCM', iv: wrapped.subarray(0, 12), additionalData: utf8('relais/wrap/v1|replica-key') },
      { name: 'AES-GCM' }, false, ['unwrapKey'],
    );
    expect(replica.type).toBe('secret');
  });

  it('unlocks with both factors; the wrong passphrase or the wrong device secret gives WrongPassphraseError', async () => {
    const secret = await device();
    const { record } = await createVault(webcrypto, secret, 'Été 2026 à Brest');
    await expect(unlockVault(webcrypto, record, secret, 'Été 2026 à Brest')).resolves.toBeDefined();
    await expect(unlockVault(webcrypto, record, secret, 'ete 2026 a brest')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(unlockVault(webcrypto, record, await device(), 'Été 2026 à Brest')).rejects.toBeInstanceOf(WrongPassphraseError);
  });

  it('hands out only non-extractable keys', async () => {
    const secret = await device();
    const { record, vault } = await createVault(webcrypto, secret, 'pw');
    const again = await unlockVault(webcrypto, record, secret, 'pw');
    const patientKey = await opaquePatientKey(webcrypto, vault, 'Patient/p1');
    const { key } = await createDataKey(webcrypto, vault, patientKey);
    for (const handle of [secret, vault.replicaKey, vault.indexKey, again.replicaKey, again.indexKey, key]) {
      expect(handle.extractable).toBe(false);
      await expect(webcrypto.subtle.exportKey('raw', handle)).rejects.toThrow();
    }
  });

  it('changing the passphrase re-wraps only: old data still opens, the old passphrase no longer does', async () => {
    const secret = await device();
    const { record, vault } = await createVault(webcrypto, secret, 'old');
    const pk = await opaquePatientKey(webcrypto, vault, 'Patient/p1');
    const { wrapped, key } = await createDataKey(webcrypto, vault, pk);
    const sealed = await sealValue(webcrypto, key, utf8('note'), ctx);
    const next = await changePassphrase(webcrypto, record, secret, 'old', 'new');
    expect(next.wrappedIndexKey).toBe(record.wrappedIndexKey);
    await expect(unlockVault(webcrypto, next, secret, 'old')).rejects.toBeInstanceOf(WrongPassphraseError);
    const reopened = await unlockVault(webcrypto, next, secret, 'new');
    const dataKey = await openDataKey(webcrypto, reopened, pk, wrapped);
    expect(new TextDecoder().decode(await openValue(webcrypto, dataKey, sealed, ctx))).toBe('note');
    expect(await opaquePatientKey(webcrypto, reopened, 'Patient/p1')).toBe(pk);
  });

  it('a data key wrapped for one patient does not open as another patient’s', async () => {
    const { vault } = await createVault(webcrypto, await device(), 'pw');
    const a = await opaquePatientKey(webcrypto, vault, 'Patient/a');
    const b = await opaquePatientKey(webcrypto, vault, 'Patient/b');
    const { wrapped } = await createDataKey(webcrypto, vault, a);
    await expect(openDataKey(webcrypto, vault, b, wrapped)).rejects.toThrow();
  });

  it('opaque patient keys are stable per vault, distinct per patient, and reveal nothing without the index key', async () => {
    const { vault } = await createVault(webcrypto, await device(), 'pw');
    const { vault: other } = await createVault(webcrypto, await device(), 'pw');
    const k1 = await opaquePatientKey(webcrypto, vault, 'Patient/p1');
    expect(await opaquePatientKey(webcrypto, vault, 'Patient/p1')).toBe(k1);
    expect(await opaquePatientKey(webcrypto, vault, 'Patient/p2')).not.toBe(k1);
    expect(await opaquePatientKey(webcrypto, other, 'Patient/p1')).not.toBe(k1);
    // Not a plain hash of the reference.
    expect(k1).not.toBe(createHmac('sha256', '').update('relais/patient/v1|Patient/p1').digest('base64url').slice(0, 22));
    expect(k1).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
