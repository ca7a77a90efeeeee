/**
 * The resource types a clinician's replica holds, pulled in this order (the patient list first,
 * so the list fills while the charts load).
 */
export const syncedResourceTypes: readonly string[] = [
  'Patient',
  'AllergyIntolerance',
  'Condition',
  'MedicationRequest',
  'MedicationStatement',
  'Observation',
  'Encounter',
  'Appointment',
  'DocumentReference',
  'Composition',
  'Immunization',
  'Procedure',
  'DiagnosticReport',
  'Communication',
  'Practitioner',
  'Organization',
];
