import { concatBytes, fromUtf8, toBase64Url, utf8 } from '../../shared/crypto/bytes';
import { additionalData, openValue, sealValue, type ValueContext } from '../../shared/crypto/sealed-value';
import { opaqueLabel, sealRowName } from '../../shared/crypto/row-id';
import type { Bytes, KeyHandle, WebCrypto } from '../../shared/crypto/webcrypto';

/**
 * The prototypes' crypto, as the replica does it: one AES-256-GCM data key per patient (a
 * non-extractable handle, made once), an opaque patient key (HMAC), and sealed-value.ts for every
 * value, with an AAD naming the value. Only the keys are not wrapped and stored (the replica
 * does that once per patient, on the Patient pages).
 */
export const benchCrypto = globalThis.crypto as unknown as WebCrypto;

export type PatientKeys = Readonly<{
  of(patient: string): Promise<{ patientKey: string; key: KeyHandle }>;
  byPatientKey(patientKey: string): KeyHandle | null;
  /** The replica's opaque row id, sealed row name and type label (shared/crypto/row-id.ts). */
  rowId(ref: string): Promise<string>;
  rowName(rowId: string, ref: string): Promise<string>;
  typeKey(type: string): Promise<string>;
}>;

export async function createPatientKeys(): Promise<PatientKeys> {
  const indexKey = await benchCrypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, false, ['sign']);
  const byPatient = new Map<string, Promise<{ patientKey: string; key: KeyHandle }>>();
  const byKey = new Map<string, KeyHandle>();
  const rowKey = await benchCrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  return {
    rowId: (ref) => opaqueLabel(benchCrypto, indexKey, 'row', ref),
    rowName: (rowId, ref) => sealRowName(benchCrypto, rowKey, rowId, ref),
    typeKey: (type) => opaqueLabel(benchCrypto, indexKey, 'type', type),
    of(patient) {
      let entry = byPatient.get(patient);
      if (!entry) {
        entry = (async () => {
          const mac = await benchCrypto.subtle.sign('HMAC', indexKey, utf8(`relais/patient/v1|${patient}`));
          const patientKey = toBase64Url(new Uint8Array(mac).subarray(0, 16));
          const key = await benchCrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
          byKey.set(patientKey, key);
          return { patientKey, key };
        })();
        byPatient.set(patient, entry);
      }
      return entry;
    },
    byPatientKey: (patientKey) => byKey.get(patientKey) ?? null,
  };
}

/** The AAD context of a prototype's value: where it lives (as the wrapper names it). */
export const aad = (docId: string, field: string): ValueContext => ({ docId: `resources@1:${docId}`, field, version: '1|bench' });

export const sealJson = (key: KeyHandle, value: unknown, context: ValueContext): Promise<string> =>
  sealValue(benchCrypto, key, utf8(JSON.stringify(value)), context);

export async function openJson(key: KeyHandle, sealed: string, context: ValueContext): Promise<unknown> {
  return JSON.parse(fromUtf8(await openValue(benchCrypto, key, sealed, context))) as unknown;
}

/** The sealed-value.ts format, kept as bytes (format ‖ IV ‖ ciphertext ‖ tag): no base64, a quarter fewer bytes. */
export async function sealBytes(key: KeyHandle, plaintext: Bytes, context: ValueContext): Promise<Uint8Array> {
  const iv = benchCrypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await benchCrypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(context), tagLength: 128 }, key, plaintext);
  return concatBytes(Uint8Array.of(1), iv, new Uint8Array(ciphertext));
}

export async function openBytes(key: KeyHandle, sealed: Uint8Array, context: ValueContext): Promise<Bytes> {
  const plaintext = await benchCrypto.subtle.decrypt(
    { name: 'AES-GCM', iv: sealed.slice(1, 13), additionalData: additionalData(context), tagLength: 128 },
    key,
    sealed.slice(13),
  );
  return new Uint8Array(plaintext);
}

async function pipe(bytes: Bytes, transform: CompressionStream | DecompressionStream): Promise<Bytes> {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** deflate-raw through the browser's CompressionStream (JSON of FHIR compresses 3–6×). */
export const deflate = (bytes: Bytes): Promise<Bytes> => pipe(bytes, new CompressionStream('deflate-raw'));
export const inflate = (bytes: Bytes): Promise<Bytes> => pipe(bytes, new DecompressionStream('deflate-raw'));
