import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../../../shared/fhir/resource';
import type { ReplicaEntry } from '../../../../../renderer/db/resource-docs';
import { buildChart } from '../../../../../renderer/features/chart/chart-model';
import { medicationKey, referencedMedications, sourcesMedications } from '../../../../../renderer/features/chart/chart-medications';
import { mergeSourceEntries } from '../../../../../renderer/features/chart/chart-sources';

const entry = (resource: FhirResource): ReplicaEntry => ({ ref: `${resource.resourceType}/${String(resource.id)}`, resourceType: resource.resourceType, syncState: 'synced', resource });
const medication = (id: string, text: string): FhirResource => ({ resourceType: 'Medication', id, code: { text } });
const order = (id: string, reference: string, authoredOn: string): FhirResource => ({
  resourceType: 'MedicationRequest',
  id,
  status: 'active',
  intent: 'order',
  subject: { reference: 'Patient/p' },
  medicationReference: { reference },
  authoredOn,
});
/** A replica's getResource over a map (this module's unit test: the replica itself is tested elsewhere). */
const readerOf = (resources: readonly FhirResource[]) => {
  const asked: string[] = [];
  const byRef = new Map(resources.map((r) => [`${r.resourceType}/${String(r.id)}`, r]));
  return {
    asked,
    reader: {
      getResource: async (ref: string) => {
        asked.push(ref);
        const resource = byRef.get(ref);
        return resource === undefined ? null : entry(resource);
      },
    },
  };
};

describe('the Medications a chart’s prescriptions name, per source', () => {
  it('reads each named Medication once from the replica that holds the prescriptions, keyed as the merged chart keys records', async () => {
    const entries = [
      entry(order('r1', 'Medication/m1', '2026-11-01')),
      entry(order('r2', 'https://hie.example.org/fhir/Medication/m1/_history/3', '2026-11-02')),
      entry(order('r3', 'Medication/gone', '2026-11-03')),
      entry({ resourceType: 'MedicationRequest', id: 'r4', status: 'active', intent: 'order', subject: { reference: 'Patient/p' }, medicationReference: { reference: '#c1' }, contained: [medication('c1', 'Contenu')] }),
    ];
    const primary = readerOf([medication('m1', 'Amoxicilline 500 mg')]);
    expect([...(await referencedMedications(entries, primary.reader))]).toEqual([['Medication/m1', medication('m1', 'Amoxicilline 500 mg')]]);
    expect(primary.asked).toEqual(['Medication/m1', 'Medication/gone']);
    const hospital = readerOf([medication('m1', 'Warfarine 5 mg')]);
    expect([...(await referencedMedications(entries, hospital.reader, 'ch-sud')).keys()]).toEqual(['ch-sud~Medication/m1']);
  });

  it('names another source’s prescription after that source’s Medication, never after the HIE’s of the same id', async () => {
    const ours = [entry({ resourceType: 'Patient', id: 'p' }), entry(order('r1', 'Medication/m1', '2026-11-01'))];
    const theirs = [entry({ resourceType: 'Patient', id: '77' }), entry(order('900', 'Medication/m1', '2026-10-15')), entry(order('901', 'Medication/m2', '2026-10-16'))];
    const medications = new Map([
      ...(await referencedMedications(ours, readerOf([medication('m1', 'Amoxicilline 500 mg')]).reader)),
      ...(await referencedMedications(theirs, readerOf([medication('m1', 'Warfarine 5 mg')]).reader, 'ch-sud')),
    ]);
    const chart = buildChart(mergeSourceEntries(ours, [{ source: 'ch-sud', entries: theirs }]), { medications });
    const named = new Map(chart.medications.map((m) => [m.ref, m.name]));
    expect(named.get('MedicationRequest/r1')).toBe('Amoxicilline 500 mg');
    expect(named.get('ch-sud~MedicationRequest/900')).toBe('Warfarine 5 mg');
    // The hospital's Medication/m2 was not in its replica: shown as unresolved, not named after anything of the HIE's.
    expect(chart.medications.find((m) => m.ref === 'ch-sud~MedicationRequest/901')).toMatchObject({ name: '', unresolvedReference: 'Medication/m2' });
  });

  it('reads each other source’s in that source’s replica; a source that cannot be read names none, the others still do', async () => {
    const theirs = [entry(order('900', 'Medication/m1', '2026-10-15'))];
    const found = await sourcesMedications(
      [{ source: 'ch-sud', entries: theirs }, { source: 'ch-nord', entries: theirs }, { source: 'ch-est', entries: theirs }],
      [
        { id: 'ch-sud', replica: readerOf([medication('m1', 'Warfarine 5 mg')]).reader },
        { id: 'ch-nord', replica: { getResource: async () => Promise.reject(new Error('the worker stopped')) } },
        { id: 'ch-est', replica: readerOf([medication('m1', 'Apixaban 5 mg')]).reader },
      ],
    );
    expect([...found].map(([ref, m]) => [ref, (m['code'] as { text: string }).text])).toEqual([
      ['ch-sud~Medication/m1', 'Warfarine 5 mg'],
      ['ch-est~Medication/m1', 'Apixaban 5 mg'],
    ]);
  });

  it('takes a Medication from a reference in any of its forms, and nothing else', () => {
    expect(medicationKey('Medication/m-1.2')).toBe('Medication/m-1.2');
    expect(medicationKey('https://hie.example.org/fhir/Medication/m1/_history/2')).toBe('Medication/m1');
    expect(medicationKey('Substance/s1')).toBeNull();
    expect(medicationKey('Medication/../x')).toBeNull();
  });
});
