/** Resource types in the clinician's words (literal keys; an unknown type reads "Other item"). */
const typeKeys: Readonly<Record<string, string>> = {
  AllergyIntolerance: 'chart.type.AllergyIntolerance',
  Condition: 'chart.type.Condition',
  MedicationRequest: 'chart.type.MedicationRequest',
  MedicationStatement: 'chart.type.MedicationStatement',
  Observation: 'chart.type.Observation',
  Encounter: 'chart.type.Encounter',
  Appointment: 'chart.type.Appointment',
  DocumentReference: 'chart.type.DocumentReference',
  Composition: 'chart.type.Composition',
  Immunization: 'chart.type.Immunization',
  Procedure: 'chart.type.Procedure',
  DiagnosticReport: 'chart.type.DiagnosticReport',
  Communication: 'chart.type.Communication',
  CareTeam: 'chart.type.CareTeam',
};

export const resourceTypeKey = (type: string): string => typeKeys[type] ?? 'chart.type.other';
