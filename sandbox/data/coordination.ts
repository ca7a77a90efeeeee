/**
 * Care coordination in a chart: the practitioner's schedule (Appointments: some today, some in
 * the coming two weeks, the rest past with their outcome), message threads between the two
 * practitioners who share a patient (Communication), referrals in every Task state
 * (ServiceRequest + Task, with the answer letter when completed) and personal to-dos (a Task the
 * practitioner owns). Built from the FHIR R4 definitions of each type, not from what the client reads.
 */
import type { Appointment, Communication, DocumentReference, ServiceRequest, Task } from '@medplum/fhirtypes';
import { atMinute, dateOnly, dayOffset } from './dates.ts';
import type { ChartContext } from './clinical.ts';
import { narrative, escapeXml } from './documents.ts';
import { problemByKey, system, type ProblemKey } from './terminology.ts';

export const coordinationSystem = {
  taskCode: 'http://hl7.org/fhir/CodeSystem/task-code',
  /** SNOMED CT 3457005 |Patient referral| */
  referral: '3457005',
} as const;

/** Where a patient's appointments fall: today, a later working day, or only in the past. */
export type AppointmentPlan = Readonly<{ kind: 'today'; minute: number } | { kind: 'upcoming' } | { kind: 'past' }>;

/** The referral states the sandbox seeds, one per shared patient in turn (FHIR Task.status). */
export const referralStates = ['requested', 'accepted', 'in-progress', 'completed', 'rejected'] as const;
export type ReferralState = (typeof referralStates)[number];

/**
 * A practitioner's day: the first three patients of each panel are seen today (09:00, 09:20, 09:40
 * UTC), one in sixteen has a visit in the coming two weeks (some of which fall today too), the rest
 * were seen before. About 20 visits a working day at a 2,500-patient panel.
 */
export function appointmentPlanFor(panelRank: number): AppointmentPlan {
  if (panelRank < 3) return { kind: 'today', minute: 9 * 60 + 20 * panelRank };
  return panelRank % 16 === 0 ? { kind: 'upcoming' } : { kind: 'past' };
}

const patientRef = (context: ChartContext): { reference: string; display?: string } => ({ reference: `Patient/${context.profile.id}` });
const practitionerRef = (id: string): { reference: string } => ({ reference: `Practitioner/${id}` });

function workingDaysAhead(referenceMs: number, from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => i + from).filter((offset) => {
    const weekday = new Date(dayOffset(referenceMs, offset)).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  });
}

/**
 * One appointment with the patient's practitioner. The first one follows the panel's plan; a
 * second one is always in the past. Past visits are fulfilled, or (one in ten each) cancelled or
 * missed, as a schedule really reads.
 */
export function buildAppointment(context: ChartContext, id: string, plan: AppointmentPlan): Appointment {
  const { random, referenceMs } = context;
  const fr = context.profile.locale === 'fr';
  let dayMs: number;
  let minute = 8 * 60 + 30 + 20 * random.int(0, 27);
  let status: Appointment['status'] = 'booked';
  if (plan.kind === 'today') {
    dayMs = referenceMs;
    minute = plan.minute;
  } else if (plan.kind === 'upcoming') {
    // Today counts as a working day of the schedule, as the clinician's week does.
    dayMs = dayOffset(referenceMs, random.pick(workingDaysAhead(referenceMs, 0, 13)));
  } else {
    dayMs = dayOffset(referenceMs, -random.int(2, 200));
    const outcome = random.int(0, 9);
    status = outcome === 0 ? 'cancelled' : outcome === 1 ? 'noshow' : 'fulfilled';
  }
  const followUp = random.chance(0.6);
  const participantStatus = status === 'cancelled' ? 'declined' : 'accepted';
  return {
    resourceType: 'Appointment',
    id,
    status,
    ...(status === 'cancelled' ? { cancelationReason: { text: fr ? 'Annulé par le patient' : 'Cancelled by the patient' } } : {}),
    appointmentType: { coding: [{ system: system.appointmentReason, code: followUp ? 'FOLLOWUP' : 'ROUTINE', display: followUp ? 'A follow up visit from a previous appointment' : 'Routine appointment' }] },
    description: fr ? (followUp ? 'Consultation de suivi' : 'Consultation') : (followUp ? 'Follow-up appointment' : 'Routine appointment'),
    start: atMinute(dayMs, minute),
    end: atMinute(dayMs, minute + 20),
    minutesDuration: 20,
    created: atMinute(dayOffset(dayMs, -random.int(3, 40)), 10 * 60),
    participant: [
      { actor: patientRef(context), required: 'required', status: participantStatus },
      { actor: practitionerRef(context.generalPractitionerId), required: 'required', status: 'accepted' },
    ],
  };
}

export type ThreadInputs = Readonly<{ context: ChartContext; memberId: string; problem: ProblemKey; firstId: string; replyId: string }>;

/** Two messages about the patient: the GP asks the colleague who shares the patient, the colleague answers. */
export function buildThread(inputs: ThreadInputs): Communication[] {
  const { context, memberId } = inputs;
  const fr = context.profile.locale === 'fr';
  const problem = problemByKey(inputs.problem);
  const problemName = fr ? problem.displayFr : problem.display;
  const askedMs = dayOffset(context.referenceMs, -context.random.int(2, 6));
  const answeredMs = dayOffset(askedMs, 1);
  const topic = { text: fr ? `Suivi : ${problemName}` : `Follow-up: ${problemName}` };
  const first: Communication = {
    resourceType: 'Communication',
    id: inputs.firstId,
    status: 'completed',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'notification' }] }],
    subject: patientRef(context),
    topic,
    sent: atMinute(askedMs, 10 * 60 + 5),
    sender: practitionerRef(context.generalPractitionerId),
    recipient: [practitionerRef(memberId)],
    payload: [{
      contentString: fr
        ? `Bonjour, pouvez-vous revoir ce patient pour ${problemName.toLowerCase()} ? Le traitement actuel est dans le dossier. Merci.`
        : `Hello, could you see this patient again about ${problemName.toLowerCase()}? The current treatment is in the record. Thank you.`,
    }],
  };
  const reply: Communication = {
    resourceType: 'Communication',
    id: inputs.replyId,
    status: 'completed',
    category: first.category,
    subject: patientRef(context),
    topic,
    inResponseTo: [{ reference: `Communication/${inputs.firstId}` }],
    sent: atMinute(answeredMs, 17 * 60 + 40),
    sender: practitionerRef(memberId),
    recipient: [practitionerRef(context.generalPractitionerId)],
    payload: [{
      contentString: fr
        ? 'Bien reçu. Je le vois à ma prochaine consultation et je vous adresse mon compte rendu.'
        : 'Received. I will see the patient at my next clinic and send you my letter.',
    }],
  };
  return [first, reply];
}

export type ReferralInputs = Readonly<{
  context: ChartContext;
  memberId: string;
  problem: ProblemKey;
  state: ReferralState;
  ids: Readonly<{ request: string; task: string; answer: string }>;
}>;

/**
 * A referral from the GP to the colleague: the ServiceRequest (what is asked, why, how urgently,
 * to whom) and the Task that tracks it; a completed one carries the answer letter as its output.
 */
export function buildReferral(inputs: ReferralInputs): Array<ServiceRequest | Task | DocumentReference> {
  const { context, memberId, state, ids } = inputs;
  const fr = context.profile.locale === 'fr';
  const problem = problemByKey(inputs.problem);
  const problemName = fr ? problem.displayFr : problem.display;
  const askedMs = dayOffset(context.referenceMs, -context.random.int(3, 30));
  const urgent = context.random.chance(0.2);
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: ids.request,
    status: state === 'completed' ? 'completed' : state === 'rejected' ? 'revoked' : 'active',
    intent: 'order',
    category: [{ coding: [{ system: system.snomed, code: coordinationSystem.referral, display: 'Patient referral' }], text: fr ? 'Adressage' : 'Referral' }],
    priority: urgent ? 'urgent' : 'routine',
    code: { text: fr ? 'Avis spécialisé' : 'Specialist opinion' },
    subject: patientRef(context),
    authoredOn: atMinute(askedMs, 11 * 60),
    requester: practitionerRef(context.generalPractitionerId),
    performer: [practitionerRef(memberId)],
    reasonCode: [{ coding: [{ system: system.snomed, code: problem.snomed, display: problem.display }], text: problemName }],
    note: [{ text: fr ? `Merci de votre avis sur : ${problemName.toLowerCase()}.` : `Your opinion please on: ${problemName.toLowerCase()}.` }],
  };
  const answered = state === 'completed';
  const letterTitle = fr ? 'Courrier de consultation' : 'Consultation letter';
  const letterBody = `<p>${escapeXml(fr
    ? `Patient vu en consultation pour ${problemName.toLowerCase()}. Pas de modification du traitement ; revoir dans six mois.`
    : `Patient seen about ${problemName.toLowerCase()}. No change to the treatment; review in six months.`)}</p>`;
  const letterAt = atMinute(dayOffset(askedMs, 7), 18 * 60);
  const letter: DocumentReference | undefined = answered
    ? {
        resourceType: 'DocumentReference',
        id: ids.answer,
        status: 'current',
        docStatus: 'final',
        type: { coding: [{ system: system.loinc, code: '11488-4', display: 'Consult note' }], text: letterTitle },
        subject: patientRef(context),
        date: letterAt,
        author: [practitionerRef(memberId)],
        description: fr ? `Réponse à l'adressage : ${problemName}` : `Answer to the referral: ${problemName}`,
        text: narrative(letterBody),
        content: [{
          attachment: {
            contentType: 'application/xhtml+xml',
            language: fr ? 'fr-FR' : 'en-GB',
            data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml" lang="${fr ? 'fr' : 'en'}"><head><title>${escapeXml(letterTitle)}</title></head><body>${letterBody}</body></html>`, 'utf8').toString('base64'),
            title: letterTitle,
            creation: letterAt,
          },
        }],
        context: { related: [{ reference: `ServiceRequest/${ids.request}` }] },
      }
    : undefined;
  const task: Task = {
    resourceType: 'Task',
    id: ids.task,
    status: state,
    intent: 'order',
    priority: urgent ? 'urgent' : 'routine',
    code: { coding: [{ system: coordinationSystem.taskCode, code: 'fulfill' }], text: fr ? 'Adressage' : 'Referral' },
    focus: { reference: `ServiceRequest/${ids.request}` },
    for: patientRef(context),
    authoredOn: request.authoredOn ?? '',
    lastModified: atMinute(dayOffset(askedMs, state === 'requested' ? 0 : 2), 12 * 60),
    requester: practitionerRef(context.generalPractitionerId),
    owner: practitionerRef(memberId),
    ...(state === 'rejected' ? { statusReason: { text: fr ? "Hors de mon domaine : adresser à un autre spécialiste" : 'Outside my field: please refer elsewhere' } } : {}),
    ...(letter ? { output: [{ type: { text: fr ? 'Réponse' : 'Answer' }, valueReference: { reference: `DocumentReference/${ids.answer}` } }] } : {}),
  };
  return letter ? [request, task, letter] : [request, task];
}

/** A to-do the practitioner keeps for the patient, due in the coming days. */
export function buildTodo(context: ChartContext, id: string): Task {
  const fr = context.profile.locale === 'fr';
  const dueMs = dayOffset(context.referenceMs, context.random.int(0, 3));
  const what = context.random.pick(fr
    ? ['Rappeler pour les résultats de la prise de sang', 'Renouveler l\'ordonnance', 'Vérifier le compte rendu du cardiologue']
    : ['Call back with the blood test results', 'Renew the prescription', "Check the cardiologist's letter"]);
  return {
    resourceType: 'Task',
    id,
    status: 'requested',
    intent: 'plan',
    priority: 'routine',
    description: what,
    for: patientRef(context),
    authoredOn: atMinute(dayOffset(context.referenceMs, -1), 18 * 60),
    requester: practitionerRef(context.generalPractitionerId),
    owner: practitionerRef(context.generalPractitionerId),
    restriction: { period: { end: dateOnly(dueMs) } },
  };
}
