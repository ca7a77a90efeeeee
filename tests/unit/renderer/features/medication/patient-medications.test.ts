import { describe, expect, it } from 'vitest';
import { buildChart } from '../../../../../renderer/features/chart/chart-model';
import { allergyEntries, medicationEntries } from '../../../../../renderer/features/medication/patient-medications';
import type { ReplicaEntry } from '../../../../../renderer/db/resource-docs';
import type { FhirResource } from '../../../../../shared/fhir/resource';
import { medicationKnowledge } from '../../../../../shared/medication/knowledge';

/**
 * What the checks see of a chart: every active order or statement (pending ones in the outbox
 * included), however the medicine is named — its own concept, a contained or replica-held
 * Medication, a reference's display — and every active drug allergy with its groups.
 */
const { base } = medicationKnowledge();
const rx = (code: string, display: string) => ({ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display });
const entry = (resource: FhirResource, syncState: ReplicaEntry['syncState'] = 'synced'): ReplicaEntry => ({ ref: `${resource.resourceType}/${resource.id ?? ''}`, resourceType: resource.resourceType, syncState, resource });
const patient = entry({ resourceType: 'Patient', id: 'p', name: [{ family: 'Test', given: ['Ana'] }] });
const request = (id: string, medication: Record<string, unknown>, status = 'active'): FhirResource => ({ resourceType: 'MedicationRequest', id, status, intent: 'order', subject: { reference: 'Patient/p' }, ...medication });

describe('medicationEntries', () => {
  it('matches every active medication however it is named, and only active ones', () => {
    const shared: FhirResource = { resourceType: 'Medication', id: 'm1', code: { coding: [rx('2556', 'citalopram')] } };
    const chart = buildChart(
      [
        patient,
        entry(request('a', { medicationCodeableConcept: { coding: [rx('11289', 'warfarin')], text: 'Warfarine' } })),
        entry(request('b', { medicationReference: { reference: 'Medication/m1' } })),
        entry(request('c', { medicationReference: { reference: '#x' }, contained: [{ resourceType: 'Medication', id: 'x', code: { text: 'Doliprane 1000 mg' } }] })),
        entry(request('d', { medicationReference: { display: 'Sertraline 50 mg' } })),
        entry(request('e', { medicationCodeableConcept: { text: 'Tisane maison' } })),
        entry(request('f', { medicationCodeableConcept: { coding: [rx('1191', 'aspirin')] } }, 'stopped')),
        entry({ resourceType: 'MedicationStatement', id: 's', status: 'active', subject: { reference: 'Patient/p' }, medicationCodeableConcept: { coding: [{ system: 'http://www.whocc.no/atc', code: 'C10AA01' }] } }),
        entry(request('g', { medicationCodeableConcept: { text: 'amoxicilline' } }), 'pending'),
      ],
      { medications: new Map([['Medication/m1', shared as Record<string, unknown>]]) },
    );
    const entries = medicationEntries(base, chart.medications);
    const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));
    expect(Object.keys(byKey).sort()).toEqual(['MedicationRequest/a', 'MedicationRequest/b', 'MedicationRequest/c', 'MedicationRequest/d', 'MedicationRequest/e', 'MedicationRequest/g', 'MedicationStatement/s']);
    expect(byKey['MedicationRequest/a']?.ingredients).toEqual(['warfarin']);
    expect(byKey['MedicationRequest/b']?.ingredients).toEqual(['citalopram']);
    expect(byKey['MedicationRequest/c']?.ingredients).toEqual(['acetaminophen']);
    expect(byKey['MedicationRequest/d']?.ingredients).toEqual(['sertraline']);
    expect(byKey['MedicationRequest/e']?.ingredients).toEqual([]);
    expect(byKey['MedicationStatement/s']?.ingredients).toEqual(['simvastatin']);
    expect(byKey['MedicationRequest/g']).toMatchObject({ ingredients: ['amoxicillin'], origin: 'pending' });
    expect(byKey['MedicationRequest/a']).toMatchObject({ origin: 'current', label: 'Warfarine' });
  });
});

describe('local application', () => {
  it('knows a medicine applied to the skin, eye or ear by its route, its form or its ATC code', () => {
    const chart = buildChart([
      patient,
      entry(request('gel', { medicationCodeableConcept: { text: 'Diclofenac 1 % gel' } })),
      entry(request('drops', { medicationCodeableConcept: { coding: [{ system: 'http://www.whocc.no/atc', code: 'S01AE03' }], text: 'Ciprofloxacine collyre' } })),
      entry(request('route', { medicationCodeableConcept: { text: 'Kétoconazole' }, dosageInstruction: [{ route: { coding: [{ system: 'http://snomed.info/sct', code: '6064005' }] } }] })),
      entry(request('tablet', { medicationCodeableConcept: { text: 'Diclofenac 50 mg tablet' }, dosageInstruction: [{ route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006' }] } }] })),
    ]);
    const local = Object.fromEntries(medicationEntries(base, chart.medications).map((e) => [e.key, e.local]));
    expect(local).toEqual({ 'MedicationRequest/gel': true, 'MedicationRequest/drops': true, 'MedicationRequest/route': true, 'MedicationRequest/tablet': false });
  });
});

describe('allergyEntries', () => {
  const allergy = (id: string, fields: Record<string, unknown>): ReplicaEntry =>
    entry({ resourceType: 'AllergyIntolerance', id, patient: { reference: 'Patient/p' }, clinicalStatus: { coding: [{ code: 'active' }] }, ...fields });

  it('reads the drug allergies, their ingredients and groups; not foods, not refuted or resolved ones', () => {
    const chart = buildChart([
      patient,
      allergy('pen', { category: ['medication'], code: { coding: [{ system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' }], text: 'Pénicilline' } }),
      allergy('amox', { code: { text: 'Amoxicillin' } }),
      allergy('nut', { category: ['food'], code: { text: 'Peanut' } }),
      allergy('gone', { category: ['medication'], clinicalStatus: { coding: [{ code: 'resolved' }] }, code: { text: 'Aspirin' } }),
      allergy('wrong', { category: ['medication'], verificationStatus: { coding: [{ code: 'refuted' }] }, code: { text: 'Ibuprofen' } }),
      allergy('mild', { type: 'intolerance', code: { text: 'Codeine' } }),
    ]);
    const entries = allergyEntries(base, chart.allergies);
    expect(entries.map((e) => e.key).sort()).toEqual(['AllergyIntolerance/amox', 'AllergyIntolerance/mild', 'AllergyIntolerance/pen']);
    expect(entries.find((e) => e.key === 'AllergyIntolerance/mild')).toMatchObject({ ingredients: ['codeine'], certain: false });
    expect(entries.find((e) => e.key === 'AllergyIntolerance/amox')?.certain).toBe(true);
    expect(entries.find((e) => e.key === 'AllergyIntolerance/pen')).toMatchObject({ ingredients: [], groups: ['penicillins'] });
    expect(entries.find((e) => e.key === 'AllergyIntolerance/amox')).toMatchObject({ ingredients: ['amoxicillin'], groups: ['penicillins'] });
  });
});
