import { describe, expect, it } from 'vitest';
import { IntegrityError } from '../../../../shared/crypto/errors';
import { opaqueLabel, openRowId, sealRowId } from '../../../../shared/crypto/row-id';
import type { KeyHandle, WebCrypto } from '../../../../shared/crypto/webcrypto';

const crypto = globalThis.crypto as unknown as WebCrypto;
const hmacKey = (): Promise<KeyHandle> => crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
const aesKey = (): Promise<KeyHandle> => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);

function flip(id: string, at: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return id.slice(0, at) + alphabet[alphabet.indexOf(id[at]!) ^ 1]! + id.slice(at + 1);
}

describe('row ids (opaque, deterministic, reversible)', () => {
  it('names a ref the same way every time, and opens back to it', async () => {
    const [index, row] = [await hmacKey(), await aesKey()];
    const id = await sealRowId(crypto, index, row, 'Observation/0d8f-42');
    expect(await sealRowId(crypto, index, row, 'Observation/0d8f-42')).toBe(id);
    expect(await sealRowId(crypto, index, row, 'Observation/0d8f-43')).not.toBe(id);
    expect(await openRowId(crypto, row, id)).toBe('Observation/0d8f-42');
    expect(id).not.toMatch(/Observation|0d8f/);
  });

  it('says nothing of the type by its length: refs are padded to 64-byte buckets', async () => {
    const [index, row] = [await hmacKey(), await aesKey()];
    const uuid = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const lengths = await Promise.all(['Patient', 'Observation', 'AllergyIntolerance', 'DocumentReference'].map(async (t) => (await sealRowId(crypto, index, row, `${t}/${uuid}`)).length));
    expect(new Set(lengths)).toEqual(new Set([123]));
    const long = await sealRowId(crypto, index, row, `Observation/${'a'.repeat(64)}`);
    expect(await openRowId(crypto, row, long)).toBe(`Observation/${'a'.repeat(64)}`);
  });

  it('refuses an altered id, a made-up one, or one made under other keys', async () => {
    const [index, row] = [await hmacKey(), await aesKey()];
    const id = await sealRowId(crypto, index, row, 'Patient/p1');
    for (const at of [0, 20, id.length - 2]) await expect(openRowId(crypto, row, flip(id, at))).rejects.toThrow(IntegrityError);
    await expect(openRowId(crypto, row, 'Patient/p1')).rejects.toThrow(IntegrityError);
    await expect(openRowId(crypto, row, 'A'.repeat(123))).rejects.toThrow(IntegrityError);
    await expect(openRowId(crypto, await aesKey(), id)).rejects.toThrow(IntegrityError);
    expect(await sealRowId(crypto, await hmacKey(), row, 'Patient/p1')).not.toBe(id);
  });

  it('labels a value by an HMAC per purpose: equal within a purpose, unrelated across', async () => {
    const index = await hmacKey();
    const label = await opaqueLabel(crypto, index, 'type', 'Patient');
    expect(label).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await opaqueLabel(crypto, index, 'type', 'Patient')).toBe(label);
    expect(await opaqueLabel(crypto, index, 'type', 'Observation')).not.toBe(label);
    expect(await opaqueLabel(crypto, index, 'patient', 'Patient')).not.toBe(label);
  });
});
