/**
 * Care coordination through the engine, against the sandbox, with the client's own scopes: an
 * appointment's status changed on both sides goes to the conflict review (never silently lost),
 * changed on one side only it merges; a message and a referral written offline reach the HIE once
 * (idempotent creates) and the other practitioner sees them; their answers come back at the next sync.
 */
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../shared/fhir/resource';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, hieActor, laptop, tokenFor, useTestSandbox, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;
let colleague: Practitioner;

useTestSandbox({ patients: 16, resourcesPerPatient: 40, practitioners: 2 }, (started) => {
  ({ sandbox } = started);
  [me, colleague] = started.staff as [Practitioner, Practitioner];
});
beforeEach(async () => {
  await control(sandbox, 'POST', 'reset');
});

const shared = (): string => {
  const patient = me.patients.find((p) => colleague.patients.includes(p));
  if (patient === undefined) throw new Error('no patient shared with the colleague');
  return `Patient/${patient}`;
};

describe('an appointment’s status', () => {
  it('changed on both sides: both versions kept as an open conflict on the status; the clinician’s choice reaches the HIE', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const entry = (await l.replica.resourcesOfType('Appointment')).find((e) => e.resource?.['status'] === 'booked');
    if (!entry?.resource) throw new Error('no booked appointment');
    const patient = ((entry.resource['participant'] as { actor?: { reference?: string } }[]).find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor?.reference) as string;
    await l.replica.saveLocalEdit({ ref: entry.ref, op: 'update', resource: { ...entry.resource, status: 'arrived' }, patient });
    const hie = hieActor(sandbox, await tokenFor(sandbox, me.id));
    const remote = await hie.read(entry.ref);
    expect((await hie.call('PUT', entry.ref, { ...remote, status: 'cancelled' })).status).toBe(200);

    const report = await l.sync();
    expect(report.push.conflicts).toBe(1);
    const [conflict] = await l.replica.listConflicts();
    expect(conflict).toMatchObject({ ref: entry.ref, state: 'open' });
    expect(conflict?.fields).toContain('status');
    expect(conflict?.local).toMatchObject({ status: 'arrived' });
    expect(conflict?.remote).toMatchObject({ status: 'cancelled' });
    expect(await hie.read(entry.ref)).toMatchObject({ status: 'cancelled' });

    await l.replica.resolveConflict(conflict?.id as string, { keep: 'local' });
    await l.sync();
    expect(await hie.read(entry.ref)).toMatchObject({ status: 'arrived' });
    await l.close();
  });

  it('changed here, its description changed on the HIE: merged without asking', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const entry = (await l.replica.resourcesOfType('Appointment')).find((e) => e.resource?.['status'] === 'booked');
    if (!entry?.resource) throw new Error('no booked appointment');
    const patient = ((entry.resource['participant'] as { actor?: { reference?: string } }[]).find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor?.reference) as string;
    await l.replica.saveLocalEdit({ ref: entry.ref, op: 'update', resource: { ...entry.resource, status: 'fulfilled' }, patient });
    const hie = hieActor(sandbox, await tokenFor(sandbox, me.id));
    const remote = await hie.read(entry.ref);
    await hie.call('PUT', entry.ref, { ...remote, comment: 'Bring the blood test results' });
    const report = await l.sync();
    expect(report.push).toMatchObject({ merged: 1, conflicts: 0 });
    expect(await hie.read(entry.ref)).toMatchObject({ status: 'fulfilled', comment: 'Bring the blood test results' });
    await l.close();
  });
});

describe('messages and referrals written offline', () => {
  it('a message reaches the colleague once, even when the answer to the create is lost; the reply comes back', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const patient = shared();
    const id = randomUUID();
    const message: FhirResource = {
      resourceType: 'Communication', id, status: 'completed', subject: { reference: patient }, topic: { text: 'Avis' },
      sent: new Date().toISOString(), sender: { reference: `Practitioner/${me.id}` }, recipient: [{ reference: `Practitioner/${colleague.id}` }],
      payload: [{ contentString: 'Pouvez-vous le voir cette semaine ?' }],
    };
    await l.replica.saveLocalEdit({ ref: `Communication/${id}`, op: 'create', resource: message, patient });
    // The HIE stores the create, but its answer never arrives: the next sync sends it again.
    let lost = false;
    await expect(l.sync({
      transport: {
        async send(request) {
          const response = await l.transport.send(request);
          if (!lost && request.method === 'PUT' && request.target.startsWith('Communication/')) {
            lost = true;
            throw new (await import('../../../shared/hie/transport')).TransportError('offline');
          }
          return response;
        },
      },
    })).rejects.toThrow();
    await l.sync();
    const theirs = hieActor(sandbox, await tokenFor(sandbox, colleague.id));
    const seen = (await theirs.search(`Communication?subject=${patient}&_count=200`)).filter((m) => m['id'] === id);
    expect(seen).toHaveLength(1);
    // One message, at the id the laptop chose (the retry was a PUT to that id: a second version of it at most, never a second message).
    expect(seen[0]).toMatchObject({ payload: [{ contentString: 'Pouvez-vous le voir cette semaine ?' }], sender: { reference: `Practitioner/${me.id}` } });
    expect((await l.replica.outbox()).length).toBe(0);

    const reply = await control<{ id: string }>(sandbox, 'POST', 'message', { as: colleague.id, replyTo: id, text: 'Oui, jeudi.' });
    expect(reply.status).toBe(201);
    await l.sync();
    const back = await l.replica.getResource(`Communication/${reply.body?.id ?? ''}`);
    expect(back?.resource).toMatchObject({ inResponseTo: [{ reference: `Communication/${id}` }], payload: [{ contentString: 'Oui, jeudi.' }] });
    expect(back?.syncState).toBe('synced');
    await l.close();
  });

  it('a referral (ServiceRequest + Task, one transaction) reaches the colleague; accepted there, its Task state comes back', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const patient = shared();
    const requestId = randomUUID();
    const taskId = randomUUID();
    const now = new Date().toISOString();
    const request: FhirResource = {
      resourceType: 'ServiceRequest', id: requestId, status: 'active', intent: 'order', priority: 'urgent', subject: { reference: patient },
      code: { text: 'Avis cardiologique' }, authoredOn: now, requester: { reference: `Practitioner/${me.id}` }, performer: [{ reference: `Practitioner/${colleague.id}` }],
      reasonCode: [{ text: 'Palpitations' }],
    };
    const task: FhirResource = {
      resourceType: 'Task', id: taskId, status: 'requested', intent: 'order', priority: 'urgent', focus: { reference: `ServiceRequest/${requestId}` },
      for: { reference: patient }, authoredOn: now, requester: { reference: `Practitioner/${me.id}` }, owner: { reference: `Practitioner/${colleague.id}` },
    };
    const group = randomUUID();
    await l.replica.saveLocalEdit({ ref: `ServiceRequest/${requestId}`, op: 'create', resource: request, patient, group });
    await l.replica.saveLocalEdit({ ref: `Task/${taskId}`, op: 'create', resource: task, patient, group });
    const pushed = await l.sync();
    expect(pushed.push.sent).toBe(2);
    const theirs = hieActor(sandbox, await tokenFor(sandbox, colleague.id));
    expect(await theirs.read(`Task/${taskId}`)).toMatchObject({ status: 'requested', owner: { reference: `Practitioner/${colleague.id}` } });

    expect((await control(sandbox, 'POST', 'referral', { as: colleague.id, task: taskId, status: 'accepted' })).status).toBe(200);
    await l.sync();
    expect((await l.replica.getResource(`Task/${taskId}`))?.resource).toMatchObject({ status: 'accepted' });
    await l.close();
  });
});
