import { describe, expect, it } from 'vitest';
import type { ReplicaEntry } from '../../../../../renderer/db/resource-docs';
import { buildChart } from '../../../../../renderer/features/chart/chart-model';

const entry = (resource: Record<string, unknown>, syncState: ReplicaEntry['syncState'] = 'synced'): ReplicaEntry => ({
  ref: `${String(resource['resourceType'])}/${String(resource['id'])}`,
  resourceType: String(resource['resourceType']),
  syncState,
  resource: resource as ReplicaEntry['resource'],
});
const status = (code: string) => ({ coding: [{ code }] });

describe('the chart model', () => {
  const chart = buildChart([
    entry({ resourceType: 'Patient', id: 'p', name: [{ family: 'Dupont', given: ['Hélène'] }], gender: 'female', birthDate: '1950-03-12' }),
    entry({ resourceType: 'AllergyIntolerance', id: 'old', clinicalStatus: status('resolved'), code: { text: 'Latex' }, patient: { reference: 'Patient/p' }, recordedDate: '2020-01-01' }),
    entry({ resourceType: 'AllergyIntolerance', id: 'pen', clinicalStatus: status('active'), criticality: 'high', code: { text: 'Pénicilline' }, patient: { reference: 'Patient/p' }, reaction: [{ manifestation: [{ text: 'Urticaire' }] }] }, 'pending'),
    entry({ resourceType: 'Condition', id: 'c1', clinicalStatus: status('active'), code: { text: 'Hypertension artérielle' }, subject: { reference: 'Patient/p' }, onsetDateTime: '2019-01-01' }),
    entry({ resourceType: 'MedicationRequest', id: 'm1', status: 'active', medicationCodeableConcept: { text: 'Amlodipine' }, dosageInstruction: [{ text: '5 mg par jour' }], subject: { reference: 'Patient/p' }, authoredOn: '2024-01-01' }),
    entry({ resourceType: 'DocumentReference', id: 'd1', status: 'current', date: '2026-11-01T10:00:00Z', description: 'Compte rendu', text: { div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Vu.</p></div>' }, subject: { reference: 'Patient/p' } }),
    { ref: 'Observation/broken', resourceType: 'Observation', syncState: 'synced', resource: null },
  ]);

  it('names the patient and lists the active allergies first, with their reaction', () => {
    expect(chart.identity?.fullName).toBe('DUPONT Hélène');
    expect(chart.allergies.map((a) => [a.substance, a.criticality, a.reactions.join()])).toEqual([['Pénicilline', 'high', 'Urticaire'], ['Latex', null, '']]);
  });

  it('counts pending edits and entries that failed their integrity check', () => {
    expect(chart.pending).toBe(1);
    expect(chart.unreadable).toBe(1);
  });

  it('reads problems, medications with their dosage, and documents with their narrative', () => {
    expect(chart.problems.map((p) => p.text)).toEqual(['Hypertension artérielle']);
    expect(chart.medications.map((m) => [m.name, m.dosage, m.kind])).toEqual([['Amlodipine', '5 mg par jour', 'order']]);
    expect(chart.documents[0]?.sections[0]?.xhtml).toContain('<p>Vu.</p>');
  });

  it('puts every dated item on the timeline, newest first', () => {
    expect(chart.timeline.map((t) => t.ref)).toEqual(['DocumentReference/d1', 'MedicationRequest/m1', 'AllergyIntolerance/old', 'Condition/c1']);
  });
});
