import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../../shared/fhir/resource';
import { linkPatients, mergeRecords, type SourceRecord } from '../../../../shared/exchange/sources';

const INS = 'urn:oid:1.2.250.1.213.1.4.8';
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';
const MRN = 'urn:oid:1.2.250.1.71.4.2.7';
const systems = [INS, NHS];

const patient = (id: string, family: string, birthDate: string, identifiers: Array<[string, string, string?]>): FhirResource => ({
  resourceType: 'Patient',
  id,
  name: [{ family, given: ['Marie'] }],
  birthDate,
  gender: 'female',
  identifier: identifiers.map(([system, value, use]) => ({ system, value, ...(use ? { use } : {}) })),
});
const at = (source: string, resource: FhirResource): SourceRecord => ({ source, resource });
const ids = (records: readonly SourceRecord[]): string[] => records.map((r) => `${r.source}:${r.resource.id}`);

describe('linking patients across sources', () => {
  it('links by a shared identifier of a named system, never by name', () => {
    const result = linkPatients(
      [
        at('hie', patient('a1', 'Dupont', '1950-03-12', [[INS, '250031234567890']])),
        at('hospital', patient('77', 'Dupont', '1950-03-12', [[INS, '250 031 234 567 890'], [MRN, '42']])),
        // Same name and birth date, another INS: another person.
        at('hospital', patient('78', 'Dupont', '1950-03-12', [[INS, '250039999999999']])),
        // Only a local record number in common with nobody: alone.
        at('hospital', patient('79', 'Martin', '1961-01-01', [[MRN, '42']])),
      ],
      systems,
    );
    expect(result.links.map((l) => [l.by, ids(l.members)])).toEqual([[`${INS}|250031234567890`, ['hie:a1', 'hospital:77']]]);
    expect(result.links[0]?.differences).toEqual([]);
    expect(ids(result.alone).sort()).toEqual(['hospital:78', 'hospital:79']);
    expect(result.problems).toEqual([]);
  });

  it('keeps a link whose demographics differ, listing what differs', () => {
    const { links } = linkPatients(
      [at('hie', patient('a1', 'Dupont', '1950-03-12', [[INS, '1']])), at('hospital', patient('h1', 'Dupont-Morel', '1950-03-21', [[INS, '1']]))],
      systems,
    );
    expect(links[0]?.differences).toEqual([
      {
        source: 'hospital',
        rows: [
          expect.objectContaining({ trait: 'name', verdict: 'different' }),
          expect.objectContaining({ trait: 'birthDate', file: '1950-03-21', chart: '1950-03-12', verdict: 'different' }),
        ],
      },
    ]);
  });

  it('does not link, and says why, when a named system disagrees (same NHS number, two INS)', () => {
    const result = linkPatients(
      [at('hie', patient('a1', 'Smith', '1970-01-01', [[NHS, '9434765919'], [INS, '1']])), at('gp', patient('g1', 'Smith', '1970-01-01', [[NHS, '9434765919'], [INS, '2']]))],
      systems,
    );
    expect(result.links).toEqual([]);
    expect(result.problems).toEqual([{ kind: 'disagree', by: `${NHS}|9434765919`, system: INS, patients: expect.any(Array) }]);
    expect(ids(result.alone)).toEqual(['hie:a1', 'gp:g1']);
  });

  it('does not link, and says why, when one source holds two patients with the identifier', () => {
    const result = linkPatients(
      [at('hie', patient('a1', 'Durand', '1980-05-05', [[INS, '5']])), at('hospital', patient('h1', 'Durand', '1980-05-05', [[INS, '5']])), at('hospital', patient('h2', 'Durand', '1980-05-05', [[INS, '5']]))],
      systems,
    );
    expect(result.links).toEqual([]);
    expect(result.problems.map((p) => [p.kind, p.by, ids(p.patients)])).toEqual([['several', `${INS}|5`, ['hie:a1', 'hospital:h1', 'hospital:h2']]]);
  });

  it('an old identifier links nothing, and a system the policy does not name links nothing', () => {
    const result = linkPatients(
      [at('hie', patient('a1', 'Petit', '1990-09-09', [[INS, '8', 'old'], [MRN, '3']])), at('hospital', patient('h1', 'Petit', '1990-09-09', [[INS, '8'], [MRN, '3']]))],
      systems,
    );
    expect(result.links).toEqual([]);
    expect(result.alone).toHaveLength(2);
  });
});

const obs = (id: string, code: string, when: string, value: number, extra: Partial<Record<string, unknown>> = {}): FhirResource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code }] },
  effectiveDateTime: when,
  valueQuantity: { value, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
  ...extra,
});

describe('one chart from several sources', () => {
  it('shows a fact held by two sources once, naming both (same code, time and value, or the same identifier)', () => {
    const merged = mergeRecords([
      { source: 'hie', resources: [obs('1', '2345-7', '2026-11-02T08:00:00Z', 5.4), obs('2', '2160-0', '2026-11-02T08:00:00Z', 80, { identifier: [{ system: 'urn:lab', value: 'L-9' }] })] },
      // Other ids (a server's 1, 2, 3 are not another's), the same facts; one with its time written otherwise.
      { source: 'hospital', resources: [obs('1', '2345-7', '2026-11-02T09:00:00+01:00', 5.4), obs('x', '2160-0', '2026-11-03T10:00:00Z', 81, { identifier: [{ system: 'urn:lab', value: 'L-9' }] })] },
    ]);
    expect(merged.map((m) => [m.source, m.resource.id, ids(m.alsoIn)])).toEqual([
      ['hie', '1', ['hospital:1']],
      ['hie', '2', ['hospital:x']],
    ]);
  });

  it('shows both sides of a disagreement, each naming the other; a same id with another code is another fact', () => {
    const merged = mergeRecords([
      { source: 'hie', resources: [obs('1', '2345-7', '2026-11-02T08:00:00Z', 5.4)] },
      { source: 'hospital', resources: [obs('1', '2345-7', '2026-11-02T08:00:00Z', 7.9), obs('2', '718-7', '2026-11-02T08:00:00Z', 13.5)] },
    ]);
    expect(merged.map((m) => [m.source, m.resource.id, ids(m.disagreesWith), ids(m.alsoIn)])).toEqual([
      ['hie', '1', ['hospital:1'], []],
      ['hospital', '1', ['hie:1'], []],
      ['hospital', '2', [], []],
    ]);
  });

  it('never merges within one source, and a record one source entered in error does not hide another source’s', () => {
    const merged = mergeRecords([
      { source: 'hie', resources: [obs('1', '2345-7', '2026-11-02T08:00:00Z', 5.4), obs('2', '2345-7', '2026-11-02T08:00:00Z', 5.4), obs('3', '718-7', '2026-11-01T08:00:00Z', 12, { status: 'entered-in-error' })] },
      { source: 'hospital', resources: [obs('9', '718-7', '2026-11-01T08:00:00Z', 12)] },
    ]);
    expect(merged.map((m) => `${m.source}:${m.resource.id}`)).toEqual(['hie:1', 'hie:2', 'hie:3', 'hospital:9']);
    expect(merged.every((m) => m.alsoIn.length === 0)).toBe(true);
  });

  it('knows an encounter by its type and start, and an appointment with no code by its time alone', () => {
    const encounter = (id: string, start: string): FhirResource => ({ resourceType: 'Encounter', id, status: 'finished', class: { code: 'AMB' }, type: [{ coding: [{ system: 'http://snomed.info/sct', code: '50849002' }] }], period: { start } });
    const appointment = (id: string, start: string): FhirResource => ({ resourceType: 'Appointment', id, status: 'booked', start, participant: [] });
    const merged = mergeRecords([
      { source: 'hie', resources: [encounter('e1', '2026-10-01T08:00:00Z'), appointment('a1', '2026-12-10T09:00:00Z')] },
      { source: 'hospital', resources: [encounter('9', '2026-10-01T08:00:00Z'), encounter('10', '2026-10-02T08:00:00Z'), appointment('11', '2026-12-10T09:00:00Z'), appointment('12', '2026-12-11T09:00:00Z')] },
    ]);
    expect(merged.map((m) => [`${m.source}:${m.resource.id}`, ids(m.alsoIn)])).toEqual([
      ['hie:e1', ['hospital:9']],
      ['hie:a1', ['hospital:11']],
      ['hospital:10', []],
      ['hospital:12', []],
    ]);
  });

  it('never takes two records that nothing tells apart for one: medications by reference, undated goals, documents of one kind and date with other content', () => {
    const statement = (id: string, medication: string): FhirResource => ({ resourceType: 'MedicationStatement', id, status: 'active', medicationReference: { reference: `Medication/${medication}` }, subject: { reference: 'Patient/p' }, effectivePeriod: { start: '2024-01-10' } });
    const goal = (id: string, text: string): FhirResource => ({ resourceType: 'Goal', id, lifecycleStatus: 'active', description: { text }, subject: { reference: 'Patient/p' } });
    const letter = (id: string, data: string): FhirResource => ({
      resourceType: 'DocumentReference', id, status: 'current', type: { coding: [{ system: 'http://loinc.org', code: '34133-9' }] }, date: '2026-11-02T08:00:00Z',
      content: [{ attachment: { contentType: 'text/plain', data } }],
    });
    const merged = mergeRecords([
      { source: 'hie', resources: [statement('1', 'amlodipine'), goal('g1', 'Walk daily'), letter('d1', 'TGV0dHJlIEE=')] },
      { source: 'hospital', resources: [statement('9', 'metformin'), goal('g9', 'Lose 5 kg'), letter('d9', 'TGV0dHJlIEI='), letter('d10', 'TGV0dHJlIEE=')] },
    ]);
    expect(merged.map((m) => [`${m.source}:${m.resource.id}`, ids(m.alsoIn)])).toEqual([
      ['hie:1', []],
      ['hie:g1', []],
      ['hie:d1', ['hospital:d10']],
      ['hospital:9', []],
      ['hospital:g9', []],
      ['hospital:d9', []],
    ]);
  });
});
