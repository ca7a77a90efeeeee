/**
 * Clinical documents with XHTML narrative: consultation notes as DocumentReference (the note as
 * an XHTML attachment, plus the resource narrative) and a patient summary as Composition.
 */
import type { Composition, DocumentReference, Narrative } from '@medplum/fhirtypes';
import { atMinute, dateOnly } from './dates.ts';
import type { ChartContext, EncounterSlot } from './clinical.ts';
import { medicationByKey, type MedicationKey } from './medications.ts';
import { problemByKey, system, type AllergyDefinition, type ProblemKey } from './terminology.ts';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function narrative(xhtmlBody: string): Narrative {
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${xhtmlBody}</div>` };
}

export type DocumentInputs = Readonly<{
  context: ChartContext;
  problems: readonly ProblemKey[];
  medications: readonly MedicationKey[];
  allergies: readonly AllergyDefinition[];
}>;

const noteTypes = [
  { loinc: '11506-3', display: 'Progress note', fr: 'Compte rendu de consultation', en: 'Progress note' },
  { loinc: '11488-4', display: 'Consult note', fr: 'Courrier de consultation', en: 'Consultation letter' },
  { loinc: '34117-2', display: 'History and physical note', fr: 'Observation médicale', en: 'History and physical' },
  { loinc: '18842-5', display: 'Discharge summary', fr: 'Compte rendu de sortie', en: 'Discharge summary' },
] as const;

function listItems(items: readonly string[]): string {
  return items.length === 0 ? '<p>—</p>' : `<ul>${items.map((i) => `<li>${escapeXml(i)}</li>`).join('')}</ul>`;
}

function problemLines(inputs: DocumentInputs, fr: boolean): string[] {
  return inputs.problems.map((key) => {
    const problem = problemByKey(key);
    return fr ? problem.displayFr : problem.display;
  });
}

function medicationLines(inputs: DocumentInputs, fr: boolean): string[] {
  return inputs.medications.map((key) => {
    const medication = medicationByKey(key);
    return `${fr ? medication.nameFr : medication.rxnormDisplay} — ${fr ? medication.doseFr : medication.doseEn}`;
  });
}

function noteBody(inputs: DocumentInputs, slot: EncounterSlot, title: string): string {
  const { profile } = inputs.context;
  const fr = profile.locale === 'fr';
  const patientName = `${profile.given} ${profile.family}`;
  const heading = fr ? `${title} du ${dateOnly(slot.dayMs)}` : `${title}, ${dateOnly(slot.dayMs)}`;
  const reason = fr ? 'Motif : suivi des pathologies chroniques.' : 'Reason: review of long-term conditions.';
  const plan = fr
    ? 'Conduite à tenir : poursuite du traitement, bilan biologique dans trois mois.'
    : 'Plan: continue treatment, blood tests in three months.';
  return [
    `<h1>${escapeXml(heading)}</h1>`,
    `<p><b>${escapeXml(patientName)}</b> — ${escapeXml(fr ? slot.kind.displayFr : slot.kind.display)}</p>`,
    `<p>${escapeXml(reason)}</p>`,
    `<h2>${fr ? 'Antécédents' : 'Problems'}</h2>`,
    listItems(problemLines(inputs, fr)),
    `<h2>${fr ? 'Traitement en cours' : 'Current medication'}</h2>`,
    listItems(medicationLines(inputs, fr)),
    `<h2>${fr ? 'Allergies' : 'Allergies'}</h2>`,
    listItems(inputs.allergies.map((a) => (fr ? a.displayFr : a.display))),
    `<p>${escapeXml(plan)}</p>`,
  ].join('');
}

export function buildDocumentReference(inputs: DocumentInputs, slot: EncounterSlot, id: string, index: number): DocumentReference {
  const { context } = inputs;
  const fr = context.profile.locale === 'fr';
  const type = noteTypes[index % noteTypes.length] ?? noteTypes[0];
  const title = fr ? type.fr : type.en;
  const body = noteBody(inputs, slot, title);
  const xhtml = `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" lang="${fr ? 'fr' : 'en'}"><head><title>${escapeXml(title)}</title></head><body>${body}</body></html>`;
  return {
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ system: system.loinc, code: type.loinc, display: type.display }], text: title },
    subject: { reference: `Patient/${context.profile.id}` },
    date: atMinute(slot.dayMs, slot.minute + slot.kind.minutes + 30),
    author: [{ reference: `Practitioner/${context.generalPractitionerId}` }],
    custodian: { reference: `Organization/${context.organizationId}` },
    description: title,
    text: narrative(body),
    content: [{
      attachment: {
        contentType: 'application/xhtml+xml',
        language: fr ? 'fr-FR' : 'en-GB',
        data: Buffer.from(xhtml, 'utf8').toString('base64'),
        title,
        creation: atMinute(slot.dayMs, slot.minute + slot.kind.minutes + 30),
      },
    }],
    context: { encounter: [{ reference: `Encounter/${slot.id}` }] },
  };
}

export function buildPatientSummary(inputs: DocumentInputs, slot: EncounterSlot, id: string): Composition {
  const { context } = inputs;
  const fr = context.profile.locale === 'fr';
  const title = fr ? 'Synthèse médicale' : 'Patient summary';
  const section = (titleText: string, code: string, display: string, items: readonly string[]): NonNullable<Composition['section']>[number] => ({
    title: titleText,
    code: { coding: [{ system: system.loinc, code, display }] },
    text: narrative(listItems(items)),
  });
  return {
    resourceType: 'Composition',
    id,
    status: 'final',
    type: { coding: [{ system: system.loinc, code: '60591-5', display: 'Patient summary Document' }], text: title },
    subject: { reference: `Patient/${context.profile.id}` },
    encounter: { reference: `Encounter/${slot.id}` },
    date: atMinute(slot.dayMs, slot.minute + slot.kind.minutes + 45),
    author: [{ reference: `Practitioner/${context.generalPractitionerId}` }],
    title,
    text: narrative(`<h1>${escapeXml(title)}</h1><p>${escapeXml(`${context.profile.given} ${context.profile.family}`)}</p>`),
    section: [
      section(fr ? 'Problèmes' : 'Problems', '11450-4', 'Problem list - Reported', problemLines(inputs, fr)),
      section(fr ? 'Traitements' : 'Medications', '10160-0', 'History of Medication use Narrative', medicationLines(inputs, fr)),
      section(fr ? 'Allergies' : 'Allergies', '48765-2', 'Allergies and adverse reactions Document', inputs.allergies.map((a) => (fr ? a.displayFr : a.display))),
    ],
  };
}
