import type { FhirResource } from '../../../shared/fhir/resource';

/**
 * The resources the charting forms write, as FHIR R4 wants them: a clinical note
 * (DocumentReference with the text as a text/plain attachment and a generated narrative), an
 * allergy (AllergyIntolerance), a problem (Condition, problem-list item) and a medication order
 * (MedicationRequest). New resources carry a client-generated UUID (creates are idempotent PUTs).
 */
export type WriteContext = Readonly<{ patient: string; practitioner: string; now: string; newId(): string }>;

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** UTF-8 → base64 (FHIR Attachment.data). */
export function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The note's paragraphs as FHIR narrative XHTML (escaped; the only markup is ours). */
export function noteNarrative(title: string, text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${escapeXml(p).replace(/\n/g, '<br/>')}</p>`)
    .join('');
  return `<div xmlns="http://www.w3.org/1999/xhtml"><h1>${escapeXml(title)}</h1>${paragraphs}</div>`;
}

export const noteType = { loinc: '11506-3', display: 'Progress note' } as const;

export function clinicalNote(input: Readonly<{ title: string; text: string; language: string }>, context: WriteContext): FhirResource {
  return {
    resourceType: 'DocumentReference',
    id: context.newId(),
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: noteType.loinc, display: noteType.display }], text: input.title },
    subject: { reference: context.patient },
    date: context.now,
    author: [{ reference: context.practitioner }],
    description: input.title,
    text: { status: 'generated', div: noteNarrative(input.title, input.text) },
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', language: input.language, data: base64Utf8(input.text), title: input.title, creation: context.now } }],
  };
}

export type Coded = Readonly<{ system: string; code: string; display: string }>;

const concept = (text: string, codings: readonly Coded[]) => ({ ...(codings.length > 0 ? { coding: codings.map((c) => ({ ...c })) } : {}), text });

export type AllergyInput = Readonly<{
  substance: string;
  /** null: keep the existing record's code as it is (an update that did not touch the substance). */
  codings: readonly Coded[] | null;
  category: 'medication' | 'food' | 'environment' | 'biologic';
  criticality: 'low' | 'high' | 'unable-to-assess';
  clinicalStatus: 'active' | 'inactive' | 'resolved';
  reaction: string;
  severity: 'mild' | 'moderate' | 'severe' | null;
}>;

const allergyClinical = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const allergyVerification = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

/** A new allergy, or (with `existing`) the existing one with the form's fields applied; other fields are kept. */
export function allergyResource(input: AllergyInput, context: WriteContext, existing?: FhirResource): FhirResource {
  const reaction = input.reaction.trim() === '' ? undefined : [{ manifestation: [{ text: input.reaction.trim() }], ...(input.severity ? { severity: input.severity } : {}) }];
  const fields = {
    clinicalStatus: { coding: [{ system: allergyClinical, code: input.clinicalStatus }] },
    category: [input.category],
    criticality: input.criticality,
    ...(input.codings === null && existing ? {} : { code: concept(input.substance.trim(), input.codings ?? []) }),
  };
  if (existing) {
    const updated: Record<string, unknown> = { ...existing, ...fields };
    if (reaction) updated['reaction'] = reaction;
    else delete updated['reaction'];
    return updated as FhirResource;
  }
  return {
    resourceType: 'AllergyIntolerance',
    id: context.newId(),
    ...fields,
    verificationStatus: { coding: [{ system: allergyVerification, code: 'confirmed' }] },
    type: 'allergy',
    patient: { reference: context.patient },
    recordedDate: context.now,
    recorder: { reference: context.practitioner },
    ...(reaction ? { reaction } : {}),
  };
}

export type ProblemInput = Readonly<{ text: string; coding: Coded | null; onset: string | null; note: string }>;

export function problemResource(input: ProblemInput, context: WriteContext): FhirResource {
  return {
    resourceType: 'Condition',
    id: context.newId(),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' }] }],
    code: concept(input.text.trim(), input.coding ? [input.coding] : []),
    subject: { reference: context.patient },
    ...(input.onset ? { onsetDateTime: input.onset } : {}),
    recordedDate: context.now,
    recorder: { reference: context.practitioner },
    ...(input.note.trim() !== '' ? { note: [{ text: input.note.trim(), time: context.now }] } : {}),
  };
}

/** `dosage`: a FHIR Dosage (structured, with its words in `text`); `detectedIssues`: the alerts gone past for this order (DetectedIssue references). */
export type MedicationInput = Readonly<{ name: string; codings: readonly Coded[]; dosage: Readonly<Record<string, unknown>>; note: string; detectedIssues?: readonly string[] }>;

export function medicationOrder(input: MedicationInput, context: WriteContext): FhirResource {
  return {
    resourceType: 'MedicationRequest',
    id: context.newId(),
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { ...(input.codings.length > 0 ? { coding: input.codings.map((c) => ({ ...c })) } : {}), text: input.name.trim() },
    subject: { reference: context.patient },
    authoredOn: context.now,
    requester: { reference: context.practitioner },
    dosageInstruction: [{ ...input.dosage }],
    ...(input.note.trim() !== '' ? { note: [{ text: input.note.trim() }] } : {}),
    ...(input.detectedIssues !== undefined && input.detectedIssues.length > 0 ? { detectedIssue: input.detectedIssues.map((reference) => ({ reference })) } : {}),
  };
}
