import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../../../shared/fhir/resource';
import type { ReplicaEntry } from '../../../../../renderer/db/resource-docs';
import { recordsFromOtherSources, type OtherSourceReader } from '../../../../../renderer/features/chart/other-source-records';
import { identifierKeys } from '../../../../../shared/exchange/sources';
import type { Record_ } from '../../../../../shared/fhir/fhir-text';

const INS = 'urn:oid:1.2.250.1.213.1.4.8';
const patient = (id: string, ins: string, family = 'Dupont', birthDate = '1950-03-12'): FhirResource => ({
  resourceType: 'Patient',
  id,
  name: [{ family, given: ['Marie'] }],
  birthDate,
  gender: 'female',
  identifier: [{ system: INS, value: ins }],
});
const entry = (resource: FhirResource): ReplicaEntry => ({ ref: `${resource.resourceType}/${String(resource.id)}`, resourceType: resource.resourceType, syncState: 'synced', resource });
const obs = (id: string, subject: string): FhirResource => ({ resourceType: 'Observation', id, status: 'final', subject: { reference: subject }, code: { text: 'x' } });

/**
 * A source's replica as the chart reads it: its patients (found by identifier, as the source's
 * data side does with the same identifierKeys) and each one's records. `lookups`: what was asked.
 */
function reader(id: string, patients: FhirResource[], charts: Record<string, FhirResource[]> = {}, fail = false): OtherSourceReader & { asked: string[]; lookups: string[][] } {
  const asked: string[] = [];
  const lookups: string[][] = [];
  return {
    id,
    asked,
    lookups,
    replica: {
      patientsByIdentifier: async (systems, keys) => {
        if (fail) throw new Error('the worker stopped');
        lookups.push([...keys]);
        return patients.filter((p) => identifierKeys(p as Record_, systems).some((key) => keys.includes(key))).map(entry);
      },
      resourcesOfPatient: async (ref) => {
        asked.push(ref);
        return (charts[ref] ?? []).map(entry);
      },
    },
  };
}

describe('a chart’s records in the other sources', () => {
  it('reads the patient linked by a named identifier, never by name, and says how it is joined (and what differs)', async () => {
    const b = reader('ch-b', [patient('77', '250031234567890', 'Dupont', '1950-03-21'), patient('78', '299999999999999')], { 'Patient/77': [obs('o9', 'Patient/77')] });
    // Same name, birth date and sex, another INS: another person; nothing read.
    const c = reader('ch-c', [patient('5', '211111111111111')]);
    const result = await recordsFromOtherSources(patient('p1', '250031234567890'), [b, c], [INS]);
    expect(result.entries.map((e) => [e.source, e.entries.map((x) => x.ref)])).toEqual([['ch-b', ['Observation/o9']]]);
    expect(result.notes).toEqual([{ source: 'ch-b', kind: 'linked', by: `${INS}|250031234567890`, fields: ['birthDate'] }]);
    expect(b.asked).toEqual(['Patient/77']);
    expect(c.asked).toEqual([]);
    // Asked by this patient's identifier, then by the found patient's (the same): never the whole list.
    expect(b.lookups).toEqual([[`${INS}|250031234567890`]]);
  });

  it('follows the link as linkPatients does: a patient joined through another one’s second identifier counts (here: held twice)', async () => {
    const MRN = 'urn:oid:1.2.250.1.71.4.2.7';
    const both: FhirResource = { ...patient('77', '250031234567890'), identifier: [{ system: INS, value: '250031234567890' }, { system: MRN, value: 'IPP-9' }] };
    const byMrnOnly: FhirResource = { resourceType: 'Patient', id: '79', name: [{ family: 'Dupont' }], identifier: [{ system: MRN, value: 'IPP-9' }] };
    const b = reader('ch-b', [both, byMrnOnly, patient('80', '211111111111111')], { 'Patient/77': [obs('o9', 'Patient/77')] });
    const result = await recordsFromOtherSources(patient('p1', '250031234567890'), [b], [INS, MRN]);
    expect(result.notes).toEqual([{ source: 'ch-b', kind: 'several', by: `${INS}|250031234567890` }]);
    expect(result.entries).toEqual([]);
    expect(b.lookups).toEqual([[`${INS}|250031234567890`], [`${MRN}|IPP-9`]]);
  });

  it('links by any system the policy names, and by none it does not', async () => {
    const MRN = 'urn:oid:1.2.250.1.71.4.2.7';
    const withMrn = (id: string): FhirResource => ({ resourceType: 'Patient', id, name: [{ family: 'Martin' }], identifier: [{ system: MRN, value: 'IPP-42' }] });
    const b = reader('ch-b', [withMrn('12')], { 'Patient/12': [obs('o1', 'Patient/12')] });
    expect((await recordsFromOtherSources(withMrn('p1'), [b], [INS])).entries).toEqual([]);
    const linked = await recordsFromOtherSources(withMrn('p1'), [b], [MRN]);
    expect(linked.notes).toEqual([{ source: 'ch-b', kind: 'linked', by: `${MRN}|IPP-42`, fields: [] }]);
    expect(linked.entries[0]?.entries.map((e) => e.ref)).toEqual(['Observation/o1']);
  });

  it('joins nothing when the source holds the patient twice, and says a source that could not be read', async () => {
    const twice = reader('ch-b', [patient('77', '250031234567890'), patient('79', '250031234567890')]);
    const broken = reader('ch-c', [], {}, true);
    const result = await recordsFromOtherSources(patient('p1', '250031234567890'), [twice, broken], [INS]);
    expect(result.entries).toEqual([]);
    expect(result.notes).toEqual([
      { source: 'ch-b', kind: 'several', by: `${INS}|250031234567890` },
      { source: 'ch-c', kind: 'failed' },
    ]);
    expect(twice.asked).toEqual([]);
  });
});
