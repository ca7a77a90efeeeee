/**
 * The FHIR R4 Patient CompartmentDefinition (http://hl7.org/fhir/R4/compartmentdefinition-patient.html):
 * for each resource type, the elements whose references put a resource in a patient's compartment.
 * Generated from the specification's own files; tests/unit/shared/fhir/patient-compartment.test.ts
 * re-derives it from them and fails on any difference.
 */
export const patientCompartment: Readonly<Record<string, readonly string[]>> = {
  Account: ['subject'],
  AdverseEvent: ['subject'],
  AllergyIntolerance: ['patient', 'recorder', 'asserter'],
  Appointment: ['participant.actor'],
  AppointmentResponse: ['actor'],
  AuditEvent: ['agent.who', 'entity.what'],
  Basic: ['subject', 'author'],
  BodyStructure: ['patient'],
  CarePlan: ['subject', 'activity.detail.performer'],
  CareTeam: ['subject', 'participant.member'],
  ChargeItem: ['subject'],
  Claim: ['patient', 'payee.party'],
  ClaimResponse: ['patient'],
  ClinicalImpression: ['subject'],
  Communication: ['subject', 'sender', 'recipient'],
  CommunicationRequest: ['subject', 'sender', 'recipient', 'requester'],
  Composition: ['subject', 'author', 'attester.party'],
  Condition: ['subject', 'asserter'],
  Consent: ['patient'],
  Coverage: ['policyHolder', 'subscriber', 'beneficiary', 'payor'],
  CoverageEligibilityRequest: ['patient'],
  CoverageEligibilityResponse: ['patient'],
  DetectedIssue: ['patient'],
  DeviceRequest: ['subject', 'performer'],
  DeviceUseStatement: ['subject'],
  DiagnosticReport: ['subject'],
  DocumentManifest: ['subject', 'author', 'recipient'],
  DocumentReference: ['subject', 'author'],
  Encounter: ['subject'],
  EnrollmentRequest: ['candidate'],
  EpisodeOfCare: ['patient'],
  ExplanationOfBenefit: ['patient', 'payee.party'],
  FamilyMemberHistory: ['patient'],
  Flag: ['subject'],
  Goal: ['subject'],
  Group: ['member.entity'],
  ImagingStudy: ['subject'],
  Immunization: ['patient'],
  ImmunizationEvaluation: ['patient'],
  ImmunizationRecommendation: ['patient'],
  Invoice: ['subject', 'recipient'],
  List: ['subject', 'source'],
  MeasureReport: ['subject'],
  Media: ['subject'],
  MedicationAdministration: ['subject', 'performer.actor'],
  MedicationDispense: ['subject', 'receiver'],
  MedicationRequest: ['subject'],
  MedicationStatement: ['subject'],
  MolecularSequence: ['patient'],
  NutritionOrder: ['patient'],
  Observation: ['subject', 'performer'],
  Patient: ['link.other'],
  Person: ['link.target'],
  Procedure: ['subject', 'performer.actor'],
  Provenance: ['target'],
  QuestionnaireResponse: ['subject', 'author'],
  RelatedPerson: ['patient'],
  RequestGroup: ['subject', 'action.participant'],
  ResearchSubject: ['individual'],
  RiskAssessment: ['subject'],
  Schedule: ['actor'],
  ServiceRequest: ['subject', 'performer'],
  Specimen: ['subject'],
  SupplyDelivery: ['patient'],
  SupplyRequest: ['deliverTo'],
  Task: ['for', 'focus'],
  VisionPrescription: ['patient'],
};

/**
 * Device is not in the R4 Patient compartment (R4 lists it under the Device compartment), but
 * `Device.patient` names the patient an implant or a device is for, and a chart must show it.
 */
export const compartmentAdditions: Readonly<Record<string, readonly string[]>> = { Device: ['patient'] };

/**
 * Types of the compartment a clinician's replica does not hold: billing and insurance, panels,
 * people and schedules, research and quality measures, the HIE's own audit trail (Relais writes
 * its audit, it does not keep the HIE's), and consents (read live for the scope). Provenance is
 * kept: where an imported record came from is part of the chart (shared/exchange/document-import.ts).
 */
export const nonClinicalCompartmentTypes: ReadonlySet<string> = new Set([
  'Account', 'ChargeItem', 'Claim', 'ClaimResponse', 'Coverage', 'CoverageEligibilityRequest', 'CoverageEligibilityResponse',
  'EnrollmentRequest', 'ExplanationOfBenefit', 'Invoice', 'Group', 'Person', 'Schedule', 'ResearchSubject', 'MeasureReport',
  'AuditEvent', 'Consent', 'Patient',
]);

/** The paths of a type's compartment membership, or null when the type is not patient data. */
export const compartmentPaths = (type: string): readonly string[] | null => patientCompartment[type] ?? compartmentAdditions[type] ?? null;

/** Clinical types of the Patient compartment (plus Device), in the order a chart is most useful first. */
export function clinicalCompartmentTypes(): readonly string[] {
  const first = ['AllergyIntolerance', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Observation', 'Encounter', 'Appointment', 'DocumentReference', 'Composition', 'DiagnosticReport', 'Immunization', 'Procedure'];
  const all = [...Object.keys(patientCompartment), ...Object.keys(compartmentAdditions)].filter((t) => !nonClinicalCompartmentTypes.has(t));
  return [...first.filter((t) => all.includes(t)), ...all.filter((t) => !first.includes(t)).sort()];
}
