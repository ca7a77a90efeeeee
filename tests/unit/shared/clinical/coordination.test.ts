import { describe, expect, it } from 'vitest';
import { buildCoordination, patientsNamed, seenKeysInUse, type CoordinationInput, type Entry } from '../../../../shared/clinical/coordination';
import type { FhirResource } from '../../../../shared/fhir/resource';

const me = 'Practitioner/me';
const base = 'https://hie.example/fhir';
const now = new Date('2026-12-04T08:00:00Z');
const entry = (resource: FhirResource, syncState = 'synced'): Entry => ({ ref: `${resource.resourceType}/${String(resource.id)}`, resource, syncState });
const input = (over: Partial<CoordinationInput> = {}): CoordinationInput => ({
  me, appointments: [], communications: [], tasks: [], serviceRequests: [], practitioners: [], seen: new Set(), now, fhirBase: base, ...over,
});
const appointment = (id: string, start: string, status = 'booked', actor = me): FhirResource => ({
  resourceType: 'Appointment', id, status, start, participant: [{ actor: { reference: 'Patient/p1' } }, { actor: { reference: actor } }],
});

describe('the schedule', () => {
  it('keeps my appointments from yesterday to eight days ahead, in time order, whatever their status', () => {
    const model = buildCoordination(input({
      appointments: [
        entry(appointment('late', '2026-12-04T16:00:00Z')),
        entry(appointment('early', '2026-12-04T09:00:00Z', 'cancelled')),
        entry(appointment('theirs', '2026-12-04T10:00:00Z', 'booked', 'Practitioner/other')),
        entry(appointment('long-ago', '2026-11-01T10:00:00Z', 'fulfilled')),
        entry(appointment('far', '2026-12-20T10:00:00Z')),
        entry({ resourceType: 'Appointment', id: 'no-start', status: 'proposed', participant: [{ actor: { reference: me } }] }),
        entry(appointment('pending', '2026-12-05T09:00:00Z'), 'pending'),
      ],
    }));
    expect(model.schedule.map((r) => r.ref)).toEqual(['Appointment/early', 'Appointment/late', 'Appointment/pending']);
    expect(model.schedule[0]).toMatchObject({ status: 'cancelled', patient: 'Patient/p1', pending: false });
    expect(model.schedule[2]?.pending).toBe(true);
  });

  it('reads an absolute reference to me against the HIE’s base, and a description from the service type when there is none', () => {
    const model = buildCoordination(input({
      appointments: [entry({
        resourceType: 'Appointment', id: 'abs', status: 'booked', start: '2026-12-04T11:00:00+01:00',
        serviceType: [{ coding: [{ system: 'http://snomed.info/sct', code: '394802001', display: 'General medicine' }] }],
        participant: [{ actor: { reference: `${base}/Practitioner/me` } }, { actor: { reference: `${base}/Patient/p9` } }],
      })],
    }));
    expect(model.schedule[0]).toMatchObject({ patient: 'Patient/p9', description: 'General medicine' });
  });
});

describe('threads', () => {
  const message = (id: string, sent: string, sender: string, recipient: string, extra: Record<string, unknown> = {}): FhirResource => ({
    resourceType: 'Communication', id, status: 'completed', subject: { reference: 'Patient/p1' }, sent,
    sender: { reference: sender }, recipient: [{ reference: recipient }], payload: [{ contentString: `text ${id}` }], ...extra,
  });

  it('joins replies (inResponseTo or partOf) to their first message, oldest first, newest thread first; unread only what was sent to me', () => {
    const model = buildCoordination(input({
      communications: [
        entry(message('a', '2026-12-01T10:00:00Z', me, 'Practitioner/gp2', { topic: { text: 'Suivi' } })),
        entry(message('b', '2026-12-02T10:00:00Z', 'Practitioner/gp2', me, { inResponseTo: [{ reference: 'Communication/a' }] })),
        entry(message('c', '2026-12-03T10:00:00Z', me, 'Practitioner/gp2', { partOf: [{ reference: `${base}/Communication/b` }] })),
        entry(message('d', '2026-12-03T12:00:00Z', 'Practitioner/gp3', me, { topic: { text: 'Autre' } })),
      ],
    }));
    expect(model.threads.map((t) => t.id)).toEqual(['Communication/d', 'Communication/a']);
    const first = model.threads[1];
    expect(first?.messages.map((m) => m.ref)).toEqual(['Communication/a', 'Communication/b', 'Communication/c']);
    expect(first?.topic).toBe('Suivi');
    expect([...(first?.participants ?? [])].sort()).toEqual([me, 'Practitioner/gp2'].sort());
    expect(model.notifications.filter((n) => n.kind === 'message').map((n) => n.ref).sort()).toEqual(['Communication/b', 'Communication/d']);
  });

  it('a message to a care team I am in is to me, and the team is named', () => {
    const model = buildCoordination(input({
      careTeams: [
        entry({ resourceType: 'CareTeam', id: 'mine', name: 'Équipe diabète', participant: [{ member: { reference: me } }] }),
        entry({ resourceType: 'CareTeam', id: 'other', name: 'Autre équipe', participant: [{ member: { reference: 'Practitioner/x' } }] }),
      ],
      communications: [
        entry(message('t1', '2026-12-01T10:00:00Z', 'Practitioner/gp2', 'CareTeam/mine')),
        entry(message('t2', '2026-12-01T11:00:00Z', 'Practitioner/gp2', 'CareTeam/other')),
      ],
    }));
    expect(model.notifications.map((n) => n.ref)).toEqual(['Communication/t1']);
    expect(model.people['CareTeam/mine']).toBe('Équipe diabète');
  });

  it('survives a reply cycle and a reply to a message it does not hold', () => {
    const model = buildCoordination(input({
      communications: [
        entry(message('x', '2026-12-01T10:00:00Z', me, 'Practitioner/gp2', { inResponseTo: [{ reference: 'Communication/y' }] })),
        entry(message('y', '2026-12-02T10:00:00Z', 'Practitioner/gp2', me, { inResponseTo: [{ reference: 'Communication/x' }] })),
        entry(message('z', '2026-12-02T10:00:00Z', 'Practitioner/gp2', me, { inResponseTo: [{ reference: 'Communication/missing' }] })),
      ],
    }));
    expect(model.threads.flatMap((t) => t.messages).map((m) => m.ref).sort()).toEqual(['Communication/x', 'Communication/y', 'Communication/z']);
    expect(model.threads.some((t) => t.id === 'Communication/z')).toBe(true);
  });

  it('shows attachments by title, and a message seen is no longer new', () => {
    const model = buildCoordination(input({
      communications: [entry(message('a', '2026-12-01T10:00:00Z', 'Practitioner/gp2', me, {
        payload: [{ contentString: 'Voir le courrier' }, { contentAttachment: { contentType: 'application/pdf', title: 'courrier.pdf' } }],
      }))],
      seen: new Set(['Communication/a']),
    }));
    expect(model.threads[0]?.messages[0]?.attachments).toEqual([{ title: 'courrier.pdf', contentType: 'application/pdf', index: 0, size: null }]);
    expect(model.notifications).toEqual([]);
    expect(seenKeysInUse(model)).toEqual(['Communication/a']);
  });
});

describe('referrals and to-dos', () => {
  const request: FhirResource = {
    resourceType: 'ServiceRequest', id: 'sr', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, code: { text: 'Avis cardiologique' },
    reasonCode: [{ text: 'Palpitations' }], priority: 'urgent',
  };
  const task = (id: string, status: string, requester: string, owner: string, extra: Record<string, unknown> = {}): FhirResource => ({
    resourceType: 'Task', id, status, intent: 'order', focus: { reference: 'ServiceRequest/sr' }, for: { reference: 'Patient/p1' },
    requester: { reference: requester }, owner: { reference: owner }, lastModified: '2026-12-03T10:00:00Z', ...extra,
  });

  it('reads a referral from its Task and ServiceRequest, both ways, and says when one I sent moved on or one came to me', () => {
    const model = buildCoordination(input({
      serviceRequests: [entry(request)],
      tasks: [
        entry(task('sent', 'completed', me, 'Practitioner/cardio', { output: [{ type: { text: 'Réponse' }, valueReference: { reference: 'DocumentReference/letter' } }] })),
        entry(task('waiting', 'requested', me, 'Practitioner/cardio')),
        entry(task('asked', 'requested', 'Practitioner/gp2', me)),
        entry(task('mine-pending', 'accepted', me, 'Practitioner/cardio'), 'pending'),
      ],
    }));
    const byRef = new Map(model.referrals.map((r) => [r.ref, r]));
    expect(byRef.get('Task/sent')).toMatchObject({ direction: 'sent', what: 'Avis cardiologique', reason: 'Palpitations', priority: 'urgent', answer: 'DocumentReference/letter', patient: 'Patient/p1' });
    expect(byRef.get('Task/asked')?.direction).toBe('received');
    expect(model.notifications.map((n) => `${n.kind} ${n.key}`).sort()).toEqual(['referral-answered Task/sent@completed', 'referral-received Task/asked@requested']);
  });

  it('keeps to-dos I own and that are still open; a task for someone else is neither', () => {
    const todo = (id: string, status: string, owner = me, due = '2026-12-05'): FhirResource => ({
      resourceType: 'Task', id, status, intent: 'plan', description: `todo ${id}`, for: { reference: 'Patient/p1' }, requester: { reference: owner }, owner: { reference: owner }, restriction: { period: { end: due } },
    });
    const model = buildCoordination(input({ tasks: [entry(todo('open', 'requested')), entry(todo('later', 'requested', me, '2026-12-09')), entry(todo('done', 'completed')), entry(todo('theirs', 'requested', 'Practitioner/x'))] }));
    expect(model.todos.map((t) => t.ref)).toEqual(['Task/open', 'Task/later']);
    expect(patientsNamed(model)).toEqual(['Patient/p1']);
  });

  it('names practitioners from their resources', () => {
    const model = buildCoordination(input({ practitioners: [entry({ resourceType: 'Practitioner', id: 'cardio', name: [{ prefix: ['Dr'], given: ['Anne'], family: 'Martin' }] }), entry({ resourceType: 'Practitioner', id: 't', name: [{ text: 'Dr B. Text' }] })] }));
    expect(model.people).toEqual({ 'Practitioner/cardio': 'Dr Anne Martin', 'Practitioner/t': 'Dr B. Text' });
  });
});

describe('new abnormal results', () => {
  const observation = (id: string, lastUpdated: string, code: string | null, version = '1'): FhirResource => ({
    resourceType: 'Observation', id, status: 'final', subject: { reference: 'Patient/p1' }, code: { text: `test ${id}` }, meta: { versionId: version, lastUpdated },
    ...(code === null ? {} : { interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code }] }] }),
  });

  it('an abnormal result stored after the first complete sync is new; before it, normal, unsynced or seen, it is not', () => {
    const since = '2026-12-01T00:00:00Z';
    const model = buildCoordination(input({
      resultsSince: since,
      results: [
        entry(observation('high', '2026-12-03T10:00:00Z', 'H')),
        entry(observation('old', '2026-11-20T10:00:00Z', 'HH')),
        entry(observation('normal', '2026-12-03T10:00:00Z', 'N')),
        entry(observation('none', '2026-12-03T10:00:00Z', null)),
        entry(observation('mine', '2026-12-03T10:00:00Z', 'L'), 'pending'),
        entry(observation('seen', '2026-12-03T10:00:00Z', 'LL', '4')),
        entry({ ...observation('component', '2026-12-03T11:00:00Z', null), component: [{ code: { text: 'diastolic' }, interpretation: [{ coding: [{ code: 'H' }] }] }] }),
      ],
      seen: new Set(['Observation/seen@4']),
    }));
    expect(model.notifications.map((n) => `${n.kind} ${n.key} ${n.what ?? ''}`)).toEqual(['result Observation/component@1 test component', 'result Observation/high@1 test high']);
    expect(seenKeysInUse(model)).toContain('Observation/high@1');
  });

  it('before any complete sync, nothing is news', () => {
    const model = buildCoordination(input({ resultsSince: null, results: [entry(observation('high', '2026-12-03T10:00:00Z', 'H'))] }));
    expect(model.notifications).toEqual([]);
  });
});

