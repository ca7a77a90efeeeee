/**
 * One patient's whole chart, in a stable order: the Patient, then problems, prescriptions,
 * allergies, encounters, observations, documents, appointments and the care team.
 */
import type { Resource } from '@medplum/fhirtypes';
import { planChart } from './chart-plan.ts';
import {
  buildAllergy, buildCareTeam, buildCondition, buildEncounter, buildMedicationRequest,
  planEncounters, type ChartContext, type ConditionRecord, type PrescriptionRecord,
} from './clinical.ts';
import { appointmentPlanFor, buildAppointment, buildReferral, buildThread, buildTodo } from './coordination.ts';
import { dayOffset } from './dates.ts';
import { buildDocumentReference, buildPatientSummary } from './documents.ts';
import { medicationByKey, treatments } from './medications.ts';
import { buildObservations } from './observations.ts';
import { buildPatient } from './patient.ts';
import type { Random } from './random.ts';
import { problemByKey } from './terminology.ts';

export type ChartOptions = Readonly<{
  index: number;
  patientId: string;
  referenceMs: number;
  resourcesPerPatient: number;
  generalPractitionerId: string;
  organizationId: string;
  /** A second practitioner sharing the patient through a CareTeam. */
  careTeamMemberId?: string;
  /** The patient's place in their practitioner's panel (0 first): decides the schedule. */
  panelRank?: number;
}>;

export function generateChart(random: Random, options: ChartOptions): Resource[] {
  const profile = buildPatient(random, {
    index: options.index,
    id: options.patientId,
    referenceMs: options.referenceMs,
    generalPractitionerId: options.generalPractitionerId,
    organizationId: options.organizationId,
  });
  const context: ChartContext = {
    random,
    profile,
    referenceMs: options.referenceMs,
    generalPractitionerId: options.generalPractitionerId,
    organizationId: options.organizationId,
  };
  const panelRank = options.panelRank ?? 0;
  const plan = planChart(random, profile, options.resourcesPerPatient, options.careTeamMemberId !== undefined, panelRank);
  const slots = planEncounters(context, plan.encounters);
  const firstSlot = slots[0];
  const lastSlot = slots[slots.length - 1];
  if (!firstSlot || !lastSlot) throw new RangeError('a chart needs at least one encounter');

  // An acute episode sits at the last encounter when it is part of a forced interacting pair
  // (so both drugs are active now), otherwise somewhere in the past.
  const acuteKey = plan.problems.find((key) => problemByKey(key).acute);
  const forcedAcute = acuteKey !== undefined && plan.forcedPair.some((m) => treatments[acuteKey].includes(m));
  const episodeSlot = acuteKey === undefined ? undefined : forcedAcute ? lastSlot : slots[Math.floor(slots.length / 2)] ?? lastSlot;

  const conditions: ConditionRecord[] = plan.problems.map((key) => {
    const acute = problemByKey(key).acute;
    const onsetMs = acute && episodeSlot ? episodeSlot.dayMs : dayOffset(firstSlot.dayMs, -random.int(30, 3000));
    return { id: random.uuid(), key, onsetMs, active: !acute || forcedAcute };
  });
  const prescriptions: PrescriptionRecord[] = plan.medications.map((key) => {
    const acute = medicationByKey(key).acute;
    const forced = plan.forcedPair.includes(key);
    const indication = conditions.find((c) => treatments[c.key].includes(key));
    const authoredMs = acute
      ? (episodeSlot ?? lastSlot).dayMs
      : Math.max(indication?.onsetMs ?? firstSlot.dayMs, (random.pick(slots) ?? firstSlot).dayMs);
    return { id: random.uuid(), key, authoredMs, active: !acute || forced };
  });

  const resources: Resource[] = [profile.resource];
  for (const condition of conditions) resources.push(buildCondition(context, condition));
  for (const prescription of prescriptions) resources.push(buildMedicationRequest(context, prescription, conditions));
  for (const allergy of plan.allergies) {
    resources.push(buildAllergy(context, allergy, random.uuid(), dayOffset(firstSlot.dayMs, -random.int(10, 2000))));
  }
  for (const slot of slots) {
    const reason = slot === episodeSlot ? conditions.find((c) => c.key === acuteKey) : random.pick(conditions);
    resources.push(buildEncounter(context, slot, reason?.id));
  }
  resources.push(...buildObservations({
    context,
    encounters: slots,
    problems: new Set(plan.problems),
    meds: new Set(plan.medications),
    ...(episodeSlot ? { episodeDayMs: episodeSlot.dayMs } : {}),
    count: plan.observations,
  }));
  const documentInputs = {
    context,
    problems: plan.problems,
    medications: prescriptions.filter((p) => p.active).map((p) => p.key),
    allergies: plan.allergies,
  };
  for (let d = 0; d < plan.documentReferences; d++) {
    const slot = slots[slots.length - 1 - (d % slots.length)] ?? lastSlot;
    resources.push(buildDocumentReference(documentInputs, slot, random.uuid(), d));
  }
  for (let c = 0; c < plan.compositions; c++) resources.push(buildPatientSummary(documentInputs, lastSlot, random.uuid()));
  for (let a = 0; a < plan.appointments; a++) {
    resources.push(buildAppointment(context, random.uuid(), a === 0 ? appointmentPlanFor(panelRank) : { kind: 'past' }));
  }
  const member = options.careTeamMemberId;
  if (plan.careTeam && member !== undefined) {
    resources.push(buildCareTeam(context, random.uuid(), member));
  }
  const problem = conditions[0]?.key ?? 'hypertension';
  if (plan.coordination.thread && member !== undefined) {
    resources.push(...buildThread({ context, memberId: member, problem, firstId: random.uuid(), replyId: random.uuid() }));
  }
  if (plan.coordination.referral !== null && member !== undefined) {
    const ids = { request: random.uuid(), task: random.uuid(), answer: random.uuid() };
    resources.push(...buildReferral({ context, memberId: member, problem, state: plan.coordination.referral, ids }));
  }
  if (plan.todo) resources.push(buildTodo(context, random.uuid()));
  return resources;
}
