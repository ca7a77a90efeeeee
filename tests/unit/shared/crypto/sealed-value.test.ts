import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url, utf8 } from '../../../../shared/crypto/bytes';
import { IntegrityError } from '../../../../shared/crypto/errors';
import { additionalData, openValue, sealValue, type ValueContext } from '../../../../shared/crypto/sealed-value';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';

const webcrypto = globalThis.crypto as unknown as WebCrypto;
const keyBytes = Uint8Array.from({ length: 32 }, (_, i) => i);
const fixedIv = Uint8Array.from({ length: 12 }, (_, i) => 0xa0 + i);
const context: ValueContext = { docId: 'Observation/obs-1', field: 'resource', version: '3-abc' };

/** WebCrypto whose random source returns a fixed IV: for known-answer tests only. */
const fixedRandom: WebCrypto = {
  subtle: webcrypto.subtle,
  getRandomValues: (array) => {
    array.set(fixedIv.subarray(0, array.length));
    return array;
  },
};
const importKey = () => webcrypto.subtle.importKey('raw', keyBytes, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);

describe('sealed values (AES-256-GCM with AAD)', () => {
  it('matches a known-answer vector computed by an independent AES-GCM implementation', async () => {
    const plaintext = utf8('{"resourceType":"Observation","valueQuantity":{"value":120}}');
    const cipher = createCipheriv('aes-256-gcm', keyBytes, fixedIv);
    cipher.setAAD(additionalData(context));
    const expected = Buffer.concat([Buffer.from([1]), fixedIv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    const sealed = await sealValue(fixedRandom, await importKey(), plaintext, context);
    expect(Buffer.from(fromBase64Url(sealed)).equals(expected)).toBe(true);
  });

  it('matches the recorded vector (the wire format must not drift)', async () => {
    const sealed = await sealValue(fixedRandom, await importKey(), utf8('Hélène'), context);
    expect(sealed).toBe(RECORDED);
  });

  it('opens what it sealed, and an independent implementation opens it too', async () => {
    const key = await importKey();
    const sealed = await sealValue(webcrypto, key, utf8('allergy: penicillin'), context);
    expect(new TextDecoder().decode(await openValue(webcrypto, key, sealed, context))).toBe('allergy: penicillin');
    const bytes = fromBase64Url(sealed);
    const decipher = createDecipheriv('aes-256-gcm', keyBytes, bytes.subarray(1, 13));
    decipher.setAAD(additionalData(context));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    expect(Buffer.concat([decipher.update(bytes.subarray(13, bytes.length - 16)), decipher.final()]).toString()).toBe('allergy: penicillin');
  });

  it('uses a fresh IV for every value', async () => {
    const key = await importKey();
    const ivs = new Set<string>();
    for (let i = 0; i < 200; i += 1) ivs.add(toBase64Url(fromBase64Url(await sealValue(webcrypto, key, utf8('same'), context)).subarray(1, 13)));
    expect(ivs.size).toBe(200);
  });

  it('rejects a flipped bit anywhere in the value', async () => {
    const key = await importKey();
    const bytes = fromBase64Url(await sealValue(webcrypto, key, utf8('systolic 120'), context));
    for (const position of [0, 1, 12, 13, bytes.length - 1]) {
      const tampered = bytes.slice();
      tampered[position] = (tampered[position] as number) ^ 0x01;
      await expect(openValue(webcrypto, key, toBase64Url(tampered), context), `byte ${position}`).rejects.toBeInstanceOf(IntegrityError);
    }
  });

  it('rejects a value moved to another document, another field, or replayed under another version', async () => {
    const key = await importKey();
    const sealed = await sealValue(webcrypto, key, utf8('x'), context);
    await expect(openValue(webcrypto, key, sealed, { ...context, docId: 'Observation/obs-2' })).rejects.toBeInstanceOf(IntegrityError);
    await expect(openValue(webcrypto, key, sealed, { ...context, field: 'other' })).rejects.toBeInstanceOf(IntegrityError);
    await expect(openValue(webcrypto, key, sealed, { ...context, version: '4-def' })).rejects.toBeInstanceOf(IntegrityError);
  });

  it('keeps AAD parts unambiguous (no splicing across the separator)', () => {
    const a = additionalData({ docId: 'a|b', field: 'c', version: '1' });
    const b = additionalData({ docId: 'a', field: 'b|c', version: '1' });
    expect(toBase64Url(a)).not.toBe(toBase64Url(b));
  });

  it('rejects garbage, truncation and an unknown format byte as IntegrityError', async () => {
    const key = await importKey();
    for (const bad of ['', '!!!', 'AQ', toBase64Url(new Uint8Array(40)), toBase64Url(Uint8Array.of(2, ...new Uint8Array(40)))]) {
      await expect(openValue(webcrypto, key, bad, context), bad).rejects.toBeInstanceOf(IntegrityError);
    }
  });
});

const RECORDED = 'AaChoqOkpaanqKmqq67b1UGGY2zaeyIscdd0gpxTxvniO5fK3Q';

describe('base64url', () => {
  it('matches Node’s encoder for every length from 0 to 299, and round-trips', () => {
    for (let length = 0; length < 300; length += 1) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length * 11) & 0xff);
      const encoded = toBase64Url(bytes);
      expect(encoded, String(length)).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Buffer.from(fromBase64Url(encoded)).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});
