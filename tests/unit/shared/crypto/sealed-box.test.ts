import { createECDH, createDecipheriv, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../../../shared/crypto/bytes';
import { importInboxPublicKey, newInboxKeys, openBox, openInboxKey, sealBox, SealedBoxError } from '../../../../shared/crypto/sealed-box';
import type { KeyHandle, WebCrypto } from '../../../../shared/crypto/webcrypto';

const webcrypto = globalThis.crypto as unknown as WebCrypto;
const replicaKey = (): Promise<KeyHandle> => webcrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);

describe('sealed boxes (what the sync receives while locked)', () => {
  it('a box sealed to the inbox opens with its private half, which only the replica key unwraps (non-extractable)', async () => {
    const key = await replicaKey();
    const keys = await newInboxKeys(webcrypto, key);
    const box = await sealBox(webcrypto, await importInboxPublicKey(webcrypto, keys.publicKey), utf8('{"kind":"rows"}'), 'relais-abc');
    const privateKey = await openInboxKey(webcrypto, keys, key);
    expect(privateKey.extractable).toBe(false);
    expect(fromUtf8(await openBox(webcrypto, privateKey, box, 'relais-abc'))).toBe('{"kind":"rows"}');
    // Another replica key does not unwrap the private half.
    await expect(openInboxKey(webcrypto, keys, await replicaKey())).rejects.toThrow();
  });

  it('refuses a box altered, sealed to another inbox, or meant for another replica; two boxes of one text differ', async () => {
    const key = await replicaKey();
    const keys = await newInboxKeys(webcrypto, key);
    const other = await newInboxKeys(webcrypto, key);
    const publicKey = await importInboxPublicKey(webcrypto, keys.publicKey);
    const box = await sealBox(webcrypto, publicKey, utf8('Observation/1'), 'relais-abc');
    const privateKey = await openInboxKey(webcrypto, keys, key);
    const altered = new Uint8Array(box);
    altered[80] = (altered[80] as number) ^ 1;
    await expect(openBox(webcrypto, privateKey, altered, 'relais-abc')).rejects.toThrow(SealedBoxError);
    await expect(openBox(webcrypto, await openInboxKey(webcrypto, other, key), box, 'relais-abc')).rejects.toThrow(SealedBoxError);
    await expect(openBox(webcrypto, privateKey, box, 'relais-xyz')).rejects.toThrow(SealedBoxError);
    await expect(openBox(webcrypto, privateKey, box.slice(0, 60), 'relais-abc')).rejects.toThrow(SealedBoxError);
    const again = await sealBox(webcrypto, publicKey, utf8('Observation/1'), 'relais-abc');
    expect(Buffer.from(again).equals(Buffer.from(box))).toBe(false);
    await expect(importInboxPublicKey(webcrypto, 'AAAA')).rejects.toThrow(SealedBoxError);
  });

  it('matches the documented construction, computed independently with node:crypto (ECDH P-256, HKDF-SHA256, AES-256-GCM)', async () => {
    const recipient = createECDH('prime256v1');
    recipient.generateKeys();
    const publicKey = await webcrypto.subtle.importKey('raw', new Uint8Array(recipient.getPublicKey()), { name: 'ECDH', namedCurve: 'P-256' }, true, []);
    const box = await sealBox(webcrypto, publicKey, utf8('sealed while locked'), 'relais-abc');
    const point = box.slice(0, 65);
    const shared = recipient.computeSecret(point);
    const aesKey = Buffer.from(hkdfSync('sha256', shared, point, 'relais/inbox/v1', 32));
    const decipher = createDecipheriv('aes-256-gcm', aesKey, box.slice(65, 77));
    decipher.setAAD(utf8('relais/inbox/v1|relais-abc'));
    decipher.setAuthTag(box.slice(box.length - 16));
    const plain = Buffer.concat([decipher.update(box.slice(77, box.length - 16)), decipher.final()]);
    expect(plain.toString('utf8')).toBe('sealed while locked');
  });
});
