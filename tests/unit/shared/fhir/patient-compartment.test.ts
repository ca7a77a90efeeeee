import { describe, expect, it } from 'vitest';
import { clinicalCompartmentTypes, compartmentPaths, nonClinicalCompartmentTypes, patientCompartment } from '../../../../shared/fhir/patient-compartment';
import { compartmentFromSpecification } from '../../../tools/patient-compartment-source';

describe('the R4 Patient compartment table', () => {
  it('is exactly what the specification defines, type by type, path by path', () => {
    const specification = compartmentFromSpecification();
    expect(Object.keys(specification).length).toBeGreaterThan(60);
    expect(patientCompartment).toEqual(specification);
  });

  it('reads Observation by subject and performer, Appointment through participant.actor, Task through for and focus', () => {
    expect(compartmentPaths('Observation')).toEqual(['subject', 'performer']);
    expect(compartmentPaths('Appointment')).toEqual(['participant.actor']);
    expect(compartmentPaths('Task')).toEqual(['for', 'focus']);
  });

  it('adds Device by Device.patient, and knows shared types are not patient data', () => {
    expect(compartmentPaths('Device')).toEqual(['patient']);
    expect(compartmentPaths('Practitioner')).toBeNull();
    expect(compartmentPaths('Medication')).toBeNull();
  });

  it('syncs the clinical types, allergies first, and leaves out billing, panels, people, audit and consent; keeps Provenance (where imported records came from)', () => {
    const types = clinicalCompartmentTypes();
    expect(types.slice(0, 3)).toEqual(['AllergyIntolerance', 'Condition', 'MedicationRequest']);
    for (const type of ['Procedure', 'Immunization', 'CarePlan', 'Goal', 'FamilyMemberHistory', 'ImagingStudy', 'Device', 'QuestionnaireResponse', 'Communication', 'Provenance']) expect(types).toContain(type);
    for (const type of ['Claim', 'ExplanationOfBenefit', 'Coverage', 'Group', 'Person', 'AuditEvent', 'Consent', 'Patient']) {
      expect(nonClinicalCompartmentTypes.has(type)).toBe(true);
      expect(types).not.toContain(type);
    }
    expect(new Set(types).size).toBe(types.length);
  });
});
