import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RxJsonSchema } from 'rxdb/plugins/core';
import { checkSchema } from 'rxdb/plugins/dev-mode';
import { describe, expect, it } from 'vitest';
import { conflictsSchema, keysSchema, metaSchema, outboxSchema, resourcesSchema } from '../../../../renderer/db/schemas';

// dev-mode's checks run here, in tests only: shipped code never loads dev-mode (it injects an iframe).
const schemas = { resources: resourcesSchema, outbox: outboxSchema, conflicts: conflictsSchema, keys: keysSchema, meta: metaSchema };

describe('replica schemas', () => {
  it.each(Object.entries(schemas))('%s passes RxDB dev-mode schema checks', (_, schema) => {
    expect(() => checkSchema(schema as RxJsonSchema<unknown>)).not.toThrow();
  });

  it.each(Object.entries(schemas))('%s seals exactly its body, and indexes only required plaintext fields (Dexie DXE1)', (_, schema) => {
    expect(schema.encrypted).toEqual(['body']);
    for (const field of (schema.indexes ?? []).flat()) {
      expect(schema.required).toContain(field);
      expect(field).not.toBe('body');
    }
  });

  it('indexes nothing that could identify a patient', () => {
    const indexed = Object.values(schemas).flatMap((s) => (s.indexes ?? []).flat());
    // Opaque keys only (an HMAC of the patient, of the type), and a conflict's open/resolved state.
    expect(new Set(indexed)).toEqual(new Set(['patientKey', 'typeKey', 'state']));
  });
});

describe('what renderer/db ships', () => {
  const folder = join(import.meta.dirname, '../../../../renderer/db');
  const sources = readdirSync(folder).filter((f) => f.endsWith('.ts')).map((f) => [f, readFileSync(join(folder, f), 'utf8')] as const);

  it.each([
    ['dev-mode (it injects an iframe to rxdb.info)', /from 'rxdb\/plugins\/dev-mode'/],
    ['the crypto-js encryption plugin (AES-CBC, no authentication)', /from 'rxdb\/plugins\/encryption-crypto-js'/],
    ['RxDB replication (its conflict handling would decide for the clinician)', /from 'rxdb\/plugins\/replication/],
  ])('imports no %s', (_, pattern) => {
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.filter(([, text]) => pattern.test(text)).map(([file]) => file)).toEqual([]);
  });
});
