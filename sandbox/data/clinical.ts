/**
 * Builders for the non-observation parts of a chart: problems, prescriptions, allergies,
 * encounters and the care team (appointments: coordination.ts).
 */
import type {
  AllergyIntolerance, CareTeam, Condition, Encounter, MedicationRequest,
} from '@medplum/fhirtypes';
import { atMinute, dateOnly, dayOffset, millisecondsPerDay } from './dates.ts';
import { medicationByKey, treatments, type MedicationKey } from './medications.ts';
import type { PatientProfile } from './patient.ts';
import type { Random } from './random.ts';
import {
  encounterKinds, problemByKey, system, type AllergyDefinition, type EncounterKind, type ProblemKey,
} from './terminology.ts';

export type ChartContext = Readonly<{
  random: Random;
  profile: PatientProfile;
  referenceMs: number;
  generalPractitionerId: string;
  organizationId: string;
}>;

export type EncounterSlot = Readonly<{ id: string; dayMs: number; minute: number; kind: EncounterKind }>;

const patientRef = (context: ChartContext): { reference: string } => ({ reference: `Patient/${context.profile.id}` });
const gpRef = (context: ChartContext): { reference: string } => ({ reference: `Practitioner/${context.generalPractitionerId}` });

const defaultEncounterKind: EncounterKind = { snomed: '185349003', display: 'Encounter for check up', displayFr: 'Consultation de suivi', classCode: 'AMB', classDisplay: 'ambulatory', minutes: 20 };

/** Encounter days spread over the last three years, oldest first, the last one recent. */
export function planEncounters(context: ChartContext, count: number): EncounterSlot[] {
  const { random, referenceMs } = context;
  const slots: EncounterSlot[] = [];
  for (let k = 0; k < count; k++) {
    const daysAgo = count === 1 ? random.int(3, 40) : Math.round(1095 * (1 - k / (count - 1))) + random.int(2, 20);
    const kind = random.chance(0.06) ? encounterKinds[3] : random.chance(0.15) ? encounterKinds[2] : random.pick(encounterKinds.slice(0, 2));
    slots.push({ id: random.uuid(), dayMs: dayOffset(referenceMs, -daysAgo), minute: 8 * 60 + 15 * random.int(0, 38), kind: kind ?? defaultEncounterKind });
  }
  return slots.sort((a, b) => a.dayMs - b.dayMs);
}

export function buildEncounter(context: ChartContext, slot: EncounterSlot, reasonConditionId: string | undefined): Encounter {
  const fr = context.profile.locale === 'fr';
  return {
    resourceType: 'Encounter',
    id: slot.id,
    status: 'finished',
    class: { system: system.actCode, code: slot.kind.classCode, display: slot.kind.classDisplay },
    type: [{ coding: [{ system: system.snomed, code: slot.kind.snomed, display: slot.kind.display }], text: fr ? slot.kind.displayFr : slot.kind.display }],
    subject: patientRef(context),
    participant: [{ individual: gpRef(context) }],
    period: { start: atMinute(slot.dayMs, slot.minute), end: atMinute(slot.dayMs, slot.minute + slot.kind.minutes) },
    ...(reasonConditionId ? { reasonReference: [{ reference: `Condition/${reasonConditionId}` }] } : {}),
    serviceProvider: { reference: `Organization/${context.organizationId}` },
  };
}

export type ConditionRecord = Readonly<{ id: string; key: ProblemKey; onsetMs: number; active: boolean }>;

export function buildCondition(context: ChartContext, record: ConditionRecord): Condition {
  const problem = problemByKey(record.key);
  const fr = context.profile.locale === 'fr';
  return {
    resourceType: 'Condition',
    id: record.id,
    clinicalStatus: { coding: [{ system: system.conditionClinical, code: record.active ? 'active' : 'resolved' }] },
    verificationStatus: { coding: [{ system: system.conditionVerification, code: 'confirmed' }] },
    category: [{
      coding: [{
        system: system.conditionCategory,
        code: problem.acute ? 'encounter-diagnosis' : 'problem-list-item',
        display: problem.acute ? 'Encounter Diagnosis' : 'Problem List Item',
      }],
    }],
    code: { coding: [{ system: system.snomed, code: problem.snomed, display: problem.display }], text: fr ? problem.displayFr : problem.display },
    subject: patientRef(context),
    onsetDateTime: atMinute(record.onsetMs, 600),
    ...(record.active ? {} : { abatementDateTime: atMinute(record.onsetMs + 21 * millisecondsPerDay, 600) }),
    recordedDate: dateOnly(record.onsetMs),
    recorder: gpRef(context),
  };
}

export type PrescriptionRecord = Readonly<{ id: string; key: MedicationKey; authoredMs: number; active: boolean }>;

export function buildMedicationRequest(
  context: ChartContext,
  record: PrescriptionRecord,
  conditions: readonly ConditionRecord[],
): MedicationRequest {
  const medication = medicationByKey(record.key);
  const fr = context.profile.locale === 'fr';
  const indication = conditions.find((c) => treatments[c.key].includes(record.key));
  return {
    resourceType: 'MedicationRequest',
    id: record.id,
    status: record.active ? 'active' : 'completed',
    intent: 'order',
    medicationCodeableConcept: {
      coding: [
        { system: system.rxnorm, code: medication.rxnorm, display: medication.rxnormDisplay },
        { system: system.atc, code: medication.atc, display: medication.nameFr },
      ],
      text: fr ? medication.nameFr : medication.rxnormDisplay,
    },
    subject: patientRef(context),
    authoredOn: atMinute(record.authoredMs, 11 * 60),
    requester: gpRef(context),
    ...(indication ? { reasonReference: [{ reference: `Condition/${indication.id}` }] } : {}),
    dosageInstruction: [{ text: fr ? medication.doseFr : medication.doseEn }],
    ...(medication.acute
      ? { dispenseRequest: { validityPeriod: { start: dateOnly(record.authoredMs), end: dateOnly(record.authoredMs + 10 * millisecondsPerDay) } } }
      : {}),
  };
}

export function buildAllergy(context: ChartContext, allergy: AllergyDefinition, id: string, recordedMs: number): AllergyIntolerance {
  const { random } = context;
  const fr = context.profile.locale === 'fr';
  const reaction = allergy.reactions[random.int(0, allergy.reactions.length - 1)] ?? allergy.reactions[0];
  return {
    resourceType: 'AllergyIntolerance',
    id,
    clinicalStatus: { coding: [{ system: system.allergyClinical, code: 'active' }] },
    verificationStatus: { coding: [{ system: system.allergyVerification, code: 'confirmed' }] },
    type: 'allergy',
    category: [allergy.category],
    criticality: allergy.criticality,
    code: { coding: [{ system: system.snomed, code: allergy.snomed, display: allergy.display }], text: fr ? allergy.displayFr : allergy.display },
    patient: patientRef(context),
    recordedDate: dateOnly(recordedMs),
    recorder: gpRef(context),
    ...(reaction
      ? {
          reaction: [{
            manifestation: [{ coding: [{ system: system.snomed, code: reaction.snomed, display: reaction.display }], text: fr ? reaction.displayFr : reaction.display }],
            severity: allergy.criticality === 'high' ? 'severe' : random.pick(['mild', 'moderate'] as const),
          }],
        }
      : {}),
  };
}

export function buildCareTeam(context: ChartContext, id: string, memberId: string): CareTeam {
  const fr = context.profile.locale === 'fr';
  return {
    resourceType: 'CareTeam',
    id,
    status: 'active',
    name: fr ? 'Équipe de soins coordonnés' : 'Shared care team',
    subject: { reference: `Patient/${context.profile.id}` },
    participant: [
      { role: [{ text: fr ? 'Médecin traitant' : 'General practitioner' }], member: gpRef(context) },
      { role: [{ text: fr ? 'Médecin correspondant' : 'Consulting practitioner' }], member: { reference: `Practitioner/${memberId}` } },
    ],
    managingOrganization: [{ reference: `Organization/${context.organizationId}` }],
  };
}
