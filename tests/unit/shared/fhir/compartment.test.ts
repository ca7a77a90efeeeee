import { describe, expect, it } from 'vitest';
import { isPatientRef, patientOf, provenancePatientExtension, resolveLiteralReference } from '../../../../shared/fhir/compartment';

const base = 'https://hie.example.org/fhir';

describe('references resolved the FHIR way', () => {
  it('reads relative, versioned and absolute references on this server', () => {
    expect(resolveLiteralReference('Patient/9')).toEqual({ type: 'Patient', id: '9' });
    expect(resolveLiteralReference('Patient/9/_history/2')).toEqual({ type: 'Patient', id: '9' });
    expect(resolveLiteralReference(`${base}/Patient/9`, { fhirBase: base })).toEqual({ type: 'Patient', id: '9' });
    expect(resolveLiteralReference(`${base}/Patient/9/_history/3`, { fhirBase: `${base}/` })).toEqual({ type: 'Patient', id: '9' });
  });

  it('refuses another server, a look-alike host or path, a query, a contained or urn reference', () => {
    expect(resolveLiteralReference('https://other.example/fhir/Patient/9', { fhirBase: base })).toBeNull();
    expect(resolveLiteralReference('https://hie.example.org.evil/fhir/Patient/9', { fhirBase: base })).toBeNull();
    expect(resolveLiteralReference('https://hie.example.org/fhir2/Patient/9', { fhirBase: base })).toBeNull();
    expect(resolveLiteralReference(`${base}/Patient/9?x=1`, { fhirBase: base })).toBeNull();
    expect(resolveLiteralReference(`${base}/Patient/9`)).toBeNull();
    expect(resolveLiteralReference('#p1')).toBeNull();
    expect(resolveLiteralReference('urn:uuid:3d0e1f2a-0000-4000-8000-000000000000')).toBeNull();
    expect(resolveLiteralReference('Patient/../Group/1')).toBeNull();
  });
});

describe('the patient a resource belongs to', () => {
  it('is the Patient itself, or the one patient its compartment elements name', () => {
    expect(patientOf({ resourceType: 'Patient', id: 'p1' })).toBe('Patient/p1');
    expect(patientOf({ resourceType: 'Observation', id: 'o', subject: { reference: 'Patient/p1' } })).toBe('Patient/p1');
    expect(patientOf({ resourceType: 'Immunization', id: 'i', patient: { reference: 'Patient/p1/_history/4' } })).toBe('Patient/p1');
    expect(patientOf({ resourceType: 'Procedure', id: 'x', subject: { reference: `${base}/Patient/p1` } }, { fhirBase: base })).toBe('Patient/p1');
  });

  it('reads array elements (Appointment.participant.actor) and a patient named twice the same way', () => {
    const appointment = { resourceType: 'Appointment', id: 'a', participant: [{ actor: { reference: 'Practitioner/d1' } }, { actor: { reference: 'Patient/p1' } }] };
    expect(patientOf(appointment)).toBe('Patient/p1');
    const observation = { resourceType: 'Observation', id: 'o', subject: { reference: 'Patient/p1' }, performer: [{ reference: `${base}/Patient/p1` }] };
    expect(patientOf(observation, { fhirBase: base })).toBe('Patient/p1');
  });

  it('is ambiguous when two patients are named, or one plus a patient that cannot be resolved', () => {
    expect(patientOf({ resourceType: 'Communication', id: 'c', subject: { reference: 'Patient/p1' }, recipient: [{ reference: 'Patient/p2' }] })).toBe('ambiguous');
    expect(patientOf({ resourceType: 'Observation', id: 'o', subject: { reference: 'Patient/p1' }, performer: [{ reference: 'https://elsewhere.example/Patient/p9' }] }, { fhirBase: base })).toBe('ambiguous');
  });

  it('is unresolved for patient data whose patient is identifier-only, contained, elsewhere, or missing', () => {
    expect(patientOf({ resourceType: 'Condition', id: 'c', subject: { type: 'Patient', identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '1' } } })).toBe('unresolved');
    expect(patientOf({ resourceType: 'Condition', id: 'c', contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#p' } })).toBe('unresolved');
    expect(patientOf({ resourceType: 'Condition', id: 'c', subject: { reference: 'https://elsewhere.example/fhir/Patient/p1' } }, { fhirBase: base })).toBe('unresolved');
    expect(patientOf({ resourceType: 'Observation', id: 'o', code: { text: 'orphan' } })).toBe('unresolved');
    expect(patientOf({ resourceType: 'Condition', id: 'c', subject: { reference: 'Group/g1' } })).toBe('unresolved');
  });

  it('is null for shared resources, and only a patient result is a patient reference', () => {
    expect(patientOf({ resourceType: 'Practitioner', id: 'd1' })).toBeNull();
    expect(patientOf({ resourceType: 'Medication', id: 'm1' })).toBeNull();
    expect(['Patient/p1', null, 'ambiguous', 'unresolved'].map((v) => isPatientRef(v))).toEqual([true, false, false, false]);
  });
});

describe('messages and tasks about no patient', () => {
  it('are nobody’s chart (null), while one naming a patient that does not resolve is still refused', async () => {
    const { patientOf } = await import('../../../../shared/fhir/compartment');
    expect(patientOf({ resourceType: 'Communication', sender: { reference: 'Practitioner/a' }, recipient: [{ reference: 'Practitioner/b' }] })).toBeNull();
    expect(patientOf({ resourceType: 'Task', owner: { reference: 'Practitioner/a' } })).toBeNull();
    expect(patientOf({ resourceType: 'Communication', subject: { identifier: { value: '1' }, type: 'Patient' } })).toBe('unresolved');
    expect(patientOf({ resourceType: 'Observation', status: 'final', code: { text: 'x' } })).toBe('unresolved');
  });
});


describe('a Provenance’s patient', () => {
  const about = (reference: string) => ({ url: provenancePatientExtension, valueReference: { reference } });
  it('is the Patient it targets (R4), or the one R5’s Provenance.patient extension names', () => {
    expect(patientOf({ resourceType: 'Provenance', target: [{ reference: 'Patient/9' }] })).toBe('Patient/9');
    expect(patientOf({ resourceType: 'Provenance', target: [{ reference: 'Observation/1' }], extension: [about('Patient/9')] })).toBe('Patient/9');
  });
  it('is unknown without either (never stored), and ambiguous when the two disagree', () => {
    expect(patientOf({ resourceType: 'Provenance', target: [{ reference: 'Observation/1' }] })).toBe('unresolved');
    expect(patientOf({ resourceType: 'Provenance', target: [{ reference: 'Patient/8' }], extension: [about('Patient/9')] })).toBe('ambiguous');
    expect(patientOf({ resourceType: 'Provenance', target: [{ reference: 'Observation/1' }], extension: [{ url: 'http://example.org/other', valueReference: { reference: 'Patient/9' } }] })).toBe('unresolved');
  });
});
