import { describe, expect, it } from 'vitest';
import { otherSourcesSchema, readOnlySourceScope, SourcePolicyError, sourcesFrom } from '../../../../shared/exchange/source-policy';
import { clientScope } from '../../../../shared/sync/client-scope';

const primary = { fhirBase: 'https://hie.example.org/fhir/', label: 'HIE' };
const hospital = { id: 'ch-perigueux', label: 'CH de Périgueux', fhirBase: 'https://fhir.ch-perigueux.example.fr/r4' };

describe('the sources a chart reads from', () => {
  it('puts the primary first, with the whole client scope; another source signs in for reading and searching only', () => {
    const sources = sourcesFrom(primary, [hospital]);
    expect(sources.map((s) => [s.id, s.fhirBase, s.primary])).toEqual([
      ['primary', 'https://hie.example.org/fhir', true],
      ['ch-perigueux', 'https://fhir.ch-perigueux.example.fr/r4', false],
    ]);
    expect(sources[0]!.scope).toBe(clientScope);
    expect(sources[1]!.scope).toBe(readOnlySourceScope);
    // Nothing is ever written to another source: no create, update or delete, not even the access log.
    for (const scope of readOnlySourceScope.split(' ').filter((s) => s.startsWith('user/'))) expect(scope).toMatch(/^user\/[A-Za-z]+\.rs$/);
    expect(readOnlySourceScope).toContain('user/Patient.rs');
    expect(readOnlySourceScope).not.toContain('AuditEvent');
  });

  it('refuses a source that is not https (or http on this computer), an id used twice, or a server named twice, the primary included', () => {
    expect(() => sourcesFrom(primary, [{ ...hospital, fhirBase: 'http://fhir.ch-perigueux.example.fr/r4' }])).toThrow(SourcePolicyError);
    expect(() => sourcesFrom(primary, [{ ...hospital, fhirBase: 'https://user:pw@fhir.example.fr/r4' }])).toThrow(SourcePolicyError);
    expect(sourcesFrom(primary, [{ ...hospital, fhirBase: 'http://127.0.0.1:8788/fhir' }])[1]!.fhirBase).toBe('http://127.0.0.1:8788/fhir');
    expect(() => sourcesFrom(primary, [hospital, { ...hospital, fhirBase: 'https://other.example.fr/fhir' }])).toThrow(expect.objectContaining({ reason: 'duplicate-id' }));
    expect(() => sourcesFrom(primary, [hospital, { ...hospital, id: 'again' }])).toThrow(expect.objectContaining({ reason: 'duplicate-server' }));
    expect(() => sourcesFrom(primary, [{ ...hospital, fhirBase: 'https://hie.example.org/fhir' }])).toThrow(expect.objectContaining({ reason: 'duplicate-server' }));
  });

  it('takes a list of the policy shape only: a short lower-case id other than "primary", a label, at most eight sources', () => {
    expect(otherSourcesSchema.safeParse([hospital]).success).toBe(true);
    for (const bad of [
      [{ ...hospital, id: 'primary' }],
      [{ ...hospital, id: 'CH Périgueux' }],
      [{ ...hospital, label: ' ' }],
      [{ ...hospital, fhirBase: 'not a url' }],
      [{ ...hospital, scope: 'user/*.cruds' }],
      Array.from({ length: 9 }, (_, i) => ({ ...hospital, id: `s${i}` })),
    ]) {
      expect(otherSourcesSchema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });
});
