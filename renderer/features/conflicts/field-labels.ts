/** FHIR element names in the clinician's words (literal keys); others are shown as FHIR names them. */
const fieldKeys: Readonly<Record<string, string>> = {
  clinicalStatus: 'conflicts.field.clinicalStatus',
  verificationStatus: 'conflicts.field.verificationStatus',
  criticality: 'conflicts.field.criticality',
  category: 'conflicts.field.category',
  code: 'conflicts.field.code',
  reaction: 'conflicts.field.reaction',
  note: 'conflicts.field.note',
  status: 'conflicts.field.status',
  onsetDateTime: 'conflicts.field.onsetDateTime',
  abatementDateTime: 'conflicts.field.abatementDateTime',
  recordedDate: 'conflicts.field.recordedDate',
  dosageInstruction: 'conflicts.field.dosageInstruction',
  medicationCodeableConcept: 'conflicts.field.medicationCodeableConcept',
  intent: 'conflicts.field.intent',
  description: 'conflicts.field.description',
  content: 'conflicts.field.content',
  type: 'conflicts.field.type',
  date: 'conflicts.field.date',
  subject: 'conflicts.field.subject',
  patient: 'conflicts.field.patient',
  telecom: 'conflicts.field.telecom',
  address: 'conflicts.field.address',
  name: 'conflicts.field.name',
};

export const fieldKey = (field: string): string | null => fieldKeys[field] ?? null;
