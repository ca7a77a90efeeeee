import { describe, expect, it } from 'vitest';
import { IntegrityError } from '../../../../shared/crypto/errors';
import { opaqueLabel, openRowName, sealRowName } from '../../../../shared/crypto/row-id';
import type { KeyHandle, WebCrypto } from '../../../../shared/crypto/webcrypto';

const crypto = globalThis.crypto as unknown as WebCrypto;
const hmacKey = (): Promise<KeyHandle> => crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
const aesKey = (): Promise<KeyHandle> => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);

function flip(text: string, at: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return text.slice(0, at) + alphabet[alphabet.indexOf(text[at]!) ^ 1]! + text.slice(at + 1);
}

describe('row ids and sealed row names', () => {
  it('a row id is an HMAC label: the same ref always gives the same short id, per purpose', async () => {
    const index = await hmacKey();
    const id = await opaqueLabel(crypto, index, 'row', 'Observation/0d8f-42');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await opaqueLabel(crypto, index, 'row', 'Observation/0d8f-42')).toBe(id);
    expect(await opaqueLabel(crypto, index, 'row', 'Observation/0d8f-43')).not.toBe(id);
    expect(await opaqueLabel(crypto, index, 'type', 'Observation/0d8f-42')).not.toBe(id);
    expect(await opaqueLabel(crypto, await hmacKey(), 'row', 'Observation/0d8f-42')).not.toBe(id);
  });

  it('a sealed name opens back to its ref, and its length says nothing of the type (64-byte buckets)', async () => {
    const key = await aesKey();
    const uuid = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const names = await Promise.all(['Patient', 'Observation', 'AllergyIntolerance', 'DocumentReference'].map((t) => sealRowName(crypto, key, 'row-1', `${t}/${uuid}`)));
    expect(new Set(names.map((n) => n.length))).toEqual(new Set([123]));
    expect(await openRowName(crypto, key, 'row-1', names[1]!)).toBe(`Observation/${uuid}`);
    for (const name of names) expect(name).not.toMatch(/Patient|Observation|7c9e/);
    const long = `Observation/${'a'.repeat(64)}`;
    expect(await openRowName(crypto, key, 'row-1', await sealRowName(crypto, key, 'row-1', long))).toBe(long);
  });

  it('refuses a name altered, moved to another row, made up, or sealed under another key', async () => {
    const key = await aesKey();
    const name = await sealRowName(crypto, key, 'row-1', 'Patient/p1');
    for (const at of [0, 20, name.length - 2]) await expect(openRowName(crypto, key, 'row-1', flip(name, at))).rejects.toThrow(IntegrityError);
    await expect(openRowName(crypto, key, 'row-2', name)).rejects.toThrow(IntegrityError);
    await expect(openRowName(crypto, key, 'row-1', 'Patient/p1')).rejects.toThrow(IntegrityError);
    await expect(openRowName(crypto, key, 'row-1', 'A'.repeat(123))).rejects.toThrow(IntegrityError);
    await expect(openRowName(crypto, await aesKey(), 'row-1', name)).rejects.toThrow(IntegrityError);
  });
});
