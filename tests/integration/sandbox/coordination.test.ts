/**
 * Care coordination on the sandbox: the seeded schedules, threads and referrals are visible only
 * where they should be; a message about a patient goes only to someone who may see the patient;
 * a message about no patient is its participants' alone; the test-mode API posts a reply and
 * answers a referral as the other practitioner, with the same refusals as the FHIR API.
 */
import type { Appointment, Bundle, CareTeam, Communication, DocumentReference, ServiceRequest, Task } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, fhirClient, matches, practitioners, referenceDate, startTestSandbox, tokenFor, type FhirClient, type Practitioner } from './support.ts';

let sandbox: Sandbox;
let all: Practitioner[];
let doctor: Practitioner;
let fhir: FhirClient;

const ofType = async <T,>(client: FhirClient, search: string): Promise<T[]> => matches(await client.pages(search)) as T[];

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 24, resourcesPerPatient: 40, practitioners: 3 });
  all = await practitioners(sandbox);
  doctor = all[0] as Practitioner;
  fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id));
});

afterAll(async () => {
  await sandbox.close();
});

/** A thread of the doctor's: its first message, and the colleague it is with. */
async function aThread(): Promise<{ first: Communication; colleague: Practitioner; patient: string }> {
  const messages = await ofType<Communication>(fhir, 'Communication?_count=200');
  const first = messages.find((m) => m.inResponseTo === undefined && m.sender?.reference === `Practitioner/${doctor.id}`);
  if (!first) throw new Error('no thread started by the doctor');
  const colleague = all.find((p) => `Practitioner/${p.id}` === first.recipient?.[0]?.reference);
  if (!colleague) throw new Error('no colleague');
  return { first, colleague, patient: (first.subject?.reference ?? '').replace('Patient/', '') };
}

describe('seeded coordination', () => {
  it("gives the doctor today's schedule", async () => {
    const appointments = await ofType<Appointment>(fhir, `Appointment?date=ge${referenceDate}&date=lt${referenceDate}T23:59:59Z&_count=200`);
    const mine = appointments.filter((a) => a.participant.some((p) => p.actor?.reference === `Practitioner/${doctor.id}`));
    expect(mine.length).toBeGreaterThanOrEqual(3);
    expect(mine.every((a) => a.status === 'booked')).toBe(true);
  });

  it('shows a thread to both practitioners who share the patient, and to no one else', async () => {
    const { first, colleague, patient } = await aThread();
    const theirs = fhirClient(sandbox, await tokenFor(sandbox, colleague.id));
    expect((await theirs.get<Communication>(`Communication/${first.id}`)).status).toBe(200);
    const outsider = all.find((p) => p.id !== doctor.id && p.id !== colleague.id && !p.patients.includes(patient));
    if (!outsider) throw new Error('no practitioner outside the patient’s care');
    const outside = fhirClient(sandbox, await tokenFor(sandbox, outsider.id));
    expect((await outside.get(`Communication/${first.id}`)).status).toBe(404);
    const listed = await ofType<Communication>(outside, 'Communication?_count=500');
    expect(listed.some((m) => m.id === first.id)).toBe(false);
  });

  it('tracks referrals in every Task state, the answered ones with their letter', async () => {
    const colleagues = all.filter((p) => p.id !== doctor.id);
    const tasks: Task[] = [];
    for (const client of [fhir, ...(await Promise.all(colleagues.map(async (p) => fhirClient(sandbox, await tokenFor(sandbox, p.id)))))]) {
      tasks.push(...(await ofType<Task>(client, 'Task?intent=order&_count=200')));
    }
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(['requested', 'accepted', 'in-progress', 'completed', 'rejected']));
    const answered = (await ofType<Task>(fhir, 'Task?intent=order&status=completed&_count=200')).find((t) => t.requester?.reference === `Practitioner/${doctor.id}`);
    if (!answered) throw new Error('no answered referral of the doctor');
    const letter = answered.output?.[0]?.valueReference?.reference ?? '';
    expect((await fhir.get<DocumentReference>(letter)).body.resourceType).toBe('DocumentReference');
  });
});

describe('messages', () => {
  it('refuses a message about a patient to a practitioner who may not see the patient (403), and stores nothing', async () => {
    const patient = doctor.patients.find((p) => !all.slice(1).some((other) => other.patients.includes(p)));
    const stranger = all[2] as Practitioner;
    if (!patient) throw new Error('no patient of the doctor alone');
    const response = await fhir.request('PUT', 'Communication/msg-outside-care', {
      body: {
        resourceType: 'Communication', id: 'msg-outside-care', status: 'completed', subject: { reference: `Patient/${patient}` },
        sender: { reference: `Practitioner/${doctor.id}` }, recipient: [{ reference: `Practitioner/${stranger.id}` }], payload: [{ contentString: 'Bonjour' }],
      },
    });
    expect(response.status).toBe(403);
    expect((await fhir.get('Communication/msg-outside-care')).status).toBe(404);
  });

  it('takes a message to the patient’s own care team, and refuses one to another patient’s team', async () => {
    const teams = matches(await fhir.pages('CareTeam?_count=200')) as CareTeam[];
    const [own, other] = [teams[0], teams.find((t) => t.subject?.reference !== teams[0]?.subject?.reference)];
    if (!own || !other) throw new Error('two care teams needed');
    const message = (id: string, team: CareTeam) => ({
      resourceType: 'Communication', id, status: 'completed', subject: own.subject,
      sender: { reference: `Practitioner/${doctor.id}` }, recipient: [{ reference: `CareTeam/${team.id ?? ''}` }], payload: [{ contentString: 'À l’équipe' }],
    });
    expect((await fhir.request('PUT', 'Communication/msg-team', { body: message('msg-team', own) })).status).toBe(201);
    expect((await fhir.request('PUT', 'Communication/msg-other-team', { body: message('msg-other-team', other) })).status).toBe(403);
  });

  it('checks whom it is addressed to however the reference is written, and the owner of a task and the performer of a request too', async () => {
    const patient = doctor.patients.find((p) => !(all[2] as Practitioner).patients.includes(p)) ?? '';
    const stranger = (all[2] as Practitioner).id;
    const absolute = await fhir.request('PUT', 'Communication/msg-absolute', {
      body: {
        resourceType: 'Communication', id: 'msg-absolute', status: 'completed', subject: { reference: `Patient/${patient}` },
        recipient: [{ reference: `${sandbox.fhirBase}/Practitioner/${stranger}/_history/1` }], payload: [{ contentString: 'x' }],
      },
    });
    expect(absolute.status).toBe(403);
    const task = await fhir.request('PUT', 'Task/task-outside', {
      body: { resourceType: 'Task', id: 'task-outside', status: 'requested', intent: 'order', for: { reference: `Patient/${patient}` }, owner: { reference: `Practitioner/${stranger}` } },
    });
    expect(task.status).toBe(403);
    const request = await fhir.request('PUT', 'ServiceRequest/sr-outside', {
      body: { resourceType: 'ServiceRequest', id: 'sr-outside', status: 'active', intent: 'order', subject: { reference: `Patient/${patient}` }, performer: [{ reference: `Practitioner/${stranger}` }] },
    });
    expect(request.status).toBe(403);
    const own = await fhir.request('PUT', 'Task/todo-own', {
      body: { resourceType: 'Task', id: 'todo-own', status: 'requested', intent: 'plan', for: { reference: `Patient/${patient}` }, owner: { reference: `Practitioner/${doctor.id}` } },
    });
    expect(own.status).toBe(201);
  });

  it('keeps a message about no patient to its participants', async () => {
    const colleague = all[1] as Practitioner;
    const put = await fhir.request('PUT', 'Communication/msg-no-patient', {
      body: {
        resourceType: 'Communication', id: 'msg-no-patient', status: 'completed',
        sender: { reference: `Practitioner/${doctor.id}` }, recipient: [{ reference: `Practitioner/${colleague.id}` }], payload: [{ contentString: 'Réunion jeudi ?' }],
      },
    });
    expect(put.status).toBe(201);
    const theirs = fhirClient(sandbox, await tokenFor(sandbox, colleague.id));
    expect((await theirs.get('Communication/msg-no-patient')).status).toBe(200);
    const third = fhirClient(sandbox, await tokenFor(sandbox, (all[2] as Practitioner).id));
    expect((await third.get('Communication/msg-no-patient')).status).toBe(404);
  });

  it('posts a reply as the other practitioner through the test API, seen by the doctor', async () => {
    const { first, colleague } = await aThread();
    const posted = await control<Communication>(sandbox, 'POST', 'message', { as: colleague.id, replyTo: first.id, text: 'Je le vois demain.' });
    expect(posted.status).toBe(201);
    const reply = (await fhir.get<Communication>(`Communication/${posted.body?.id ?? ''}`)).body;
    expect(reply.sender?.reference).toBe(`Practitioner/${colleague.id}`);
    expect(reply.recipient?.[0]?.reference).toBe(`Practitioner/${doctor.id}`);
    expect(reply.inResponseTo?.[0]?.reference).toBe(`Communication/${first.id}`);
    expect(reply.subject?.reference).toBe(first.subject?.reference);
    expect(reply.payload?.[0]?.contentString).toBe('Je le vois demain.');
  });

  it('refuses, through the test API too, a new thread to someone outside the patient’s care', async () => {
    const patient = doctor.patients.find((p) => !(all[2] as Practitioner).patients.includes(p)) ?? '';
    const refused = await control(sandbox, 'POST', 'message', { as: doctor.id, patient, to: (all[2] as Practitioner).id, topic: 'Test', text: 'Bonjour' });
    expect(refused.status).toBe(403);
  });
});

describe('referrals', () => {
  it('lets only the owner answer; a completed referral gets its letter and its request is completed', async () => {
    const colleague = all[1] as Practitioner;
    const theirs = fhirClient(sandbox, await tokenFor(sandbox, colleague.id));
    const open = (await ofType<Task>(theirs, 'Task?intent=order&status=requested&_count=200')).find((t) => t.owner?.reference === `Practitioner/${colleague.id}`);
    if (!open) throw new Error('no open referral for the colleague');
    const notOwner = await control(sandbox, 'POST', 'referral', { as: doctor.id, task: open.id, status: 'accepted' });
    expect(notOwner.status).toBe(403);
    expect((await control(sandbox, 'POST', 'referral', { as: colleague.id, task: open.id, status: 'accepted' })).status).toBe(200);
    const done = await control<Task>(sandbox, 'POST', 'referral', { as: colleague.id, task: open.id, status: 'completed', text: 'Vu ce jour : rien à signaler.' });
    expect(done.status).toBe(200);
    const requester = all.find((p) => `Practitioner/${p.id}` === open.requester?.reference) as Practitioner;
    const asRequester = fhirClient(sandbox, await tokenFor(sandbox, requester.id));
    const task = (await asRequester.get<Task>(`Task/${open.id}`)).body;
    expect(task.status).toBe('completed');
    const letterRef = task.output?.at(-1)?.valueReference?.reference ?? '';
    const letter = (await asRequester.get<DocumentReference>(letterRef)).body;
    expect(Buffer.from(letter.content[0]?.attachment.data ?? '', 'base64').toString('utf8')).toBe('Vu ce jour : rien à signaler.');
    const request = (await asRequester.get<ServiceRequest>(task.focus?.reference ?? '')).body;
    expect(request.status).toBe('completed');
    const history = (await asRequester.get<Bundle>(`Task/${open.id}/_history`)).body;
    expect(history.entry?.length).toBe(3);
  });
});

describe('care team sanity', () => {
  it('seeds threads only between members of the patient’s care team', async () => {
    const teams = await ofType<CareTeam>(fhir, 'CareTeam?_count=200');
    const messages = await ofType<Communication>(fhir, 'Communication?_count=500');
    for (const message of messages.filter((m) => m.subject !== undefined && m.id !== undefined && !m.id.startsWith('msg-'))) {
      const team = teams.find((t) => t.subject?.reference === message.subject?.reference);
      const members = (team?.participant ?? []).map((p) => p.member?.reference);
      expect(members).toContain(message.sender?.reference);
    }
  });
});
