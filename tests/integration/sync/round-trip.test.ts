import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../shared/fhir/resource';
import type { FhirTransport } from '../../../shared/hie/transport';
import { typesToSync } from '../../../shared/sync/resource-types';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, firstOfType, hieActor, laptop, practitioners, startTestSandbox, tokenFor, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;
let other: Practitioner;
let hieToken: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  [me, other] = (await practitioners(sandbox)) as [Practitioner, Practitioner];
  hieToken = await tokenFor(sandbox, me.id);
});
beforeEach(async () => {
  await control(sandbox, 'POST', 'reset');
  hieToken = await tokenFor(sandbox, me.id);
});
afterAll(async () => {
  await sandbox.close();
});

const patientOfMine = () => `Patient/${me.patients[0] as string}`;

describe('remote changes reach the replica', () => {
  it('a create, an update and a delete made on the HIE', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const hie = hieActor(sandbox, hieToken);
    const created = await hie.call('POST', 'Condition', {
      resourceType: 'Condition', subject: { reference: patientOfMine() }, code: { text: 'Remote create' },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    });
    expect(created.status).toBe(201);
    const createdRef = `Condition/${String(created.body?.['id'])}`;
    const allergy = await firstOfType(sandbox, hieToken, 'AllergyIntolerance', patientOfMine());
    const allergyRef = `AllergyIntolerance/${String(allergy['id'])}`;
    expect((await hie.call('PUT', allergyRef, { ...allergy, criticality: 'high', note: [{ text: 'Remote update' }] })).status).toBe(200);
    const doomed = await firstOfType(sandbox, hieToken, 'Encounter', patientOfMine());
    const doomedRef = `Encounter/${String(doomed['id'])}`;
    expect(await l.replica.getResource(doomedRef)).not.toBeNull();
    expect((await hie.call('DELETE', doomedRef)).status).toBeLessThan(300);

    await l.sync();
    expect((await l.replica.getResource(createdRef))?.resource).toMatchObject({ code: { text: 'Remote create' } });
    expect((await l.replica.getResource(allergyRef))?.resource).toMatchObject({ note: [{ text: 'Remote update' }] });
    expect(await l.replica.getResource(doomedRef)).toBeNull();
    await l.close();
  });

  it('a delete reaches a client that cannot see the HIE’s Date header (a browser, when the HIE does not expose it): the history starts from its newest change', async () => {
    const l = await laptop(sandbox, me.id);
    const seen: string[] = [];
    const withoutDate: FhirTransport = {
      async send(request) {
        seen.push(request.target);
        const response = await l.transport.send(request);
        const { date: _date, ...headers } = response.headers;
        return { ...response, headers };
      },
    };
    await l.sync({ transport: withoutDate });
    expect(seen).toContain('_history?_count=1');
    expect(await l.replica.readCheckpoint('_history')).toMatchObject({ since: expect.any(String) });
    const doomed = await firstOfType(sandbox, hieToken, 'Encounter', patientOfMine());
    const doomedRef = `Encounter/${String(doomed['id'])}`;
    expect(await l.replica.getResource(doomedRef)).not.toBeNull();
    expect((await hieActor(sandbox, hieToken).call('DELETE', doomedRef)).status).toBeLessThan(300);
    await l.sync({ transport: withoutDate });
    expect(await l.replica.getResource(doomedRef)).toBeNull();
    await l.close();
  });
});

describe('local changes reach the HIE', () => {
  it('a create (PUT to a client UUID), an update (If-Match) and a delete', async () => {
    // The engine's delete path, on a token that allows it: Relais' own token does not (no form
    // deletes a record; the client asks for no delete scope), see the next test.
    const l = await laptop(sandbox, me.id, undefined, undefined, 'user/*.cruds');
    await l.sync();
    const hie = hieActor(sandbox, hieToken);
    const id = randomUUID();
    const vitals: FhirResource = {
      resourceType: 'Observation', id, status: 'final', subject: { reference: patientOfMine() },
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
      effectiveDateTime: '2026-11-28T09:00:00Z', valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    };
    await l.replica.saveLocalEdit({ ref: `Observation/${id}`, op: 'create', resource: vitals, patient: patientOfMine() });
    const allergyEntry = (await l.replica.resourcesOfPatient(patientOfMine())).find((e) => e.resourceType === 'AllergyIntolerance');
    const allergy = allergyEntry?.resource as FhirResource;
    await l.replica.saveLocalEdit({ ref: allergyEntry?.ref as string, op: 'update', resource: { ...allergy, criticality: 'high' }, patient: patientOfMine() });
    const encounterEntry = (await l.replica.resourcesOfPatient(patientOfMine())).find((e) => e.resourceType === 'Encounter');
    await l.replica.saveLocalEdit({ ref: encounterEntry?.ref as string, op: 'delete', resource: encounterEntry?.resource as FhirResource, patient: patientOfMine() });
    expect((await l.replica.countByState()).pending).toBe(3);

    const report = await l.sync();
    expect(report.push.sent).toBe(3);
    expect(await hie.read(`Observation/${id}`)).toMatchObject({ valueQuantity: { value: 72 } });
    expect(await hie.read(allergyEntry?.ref as string)).toMatchObject({ criticality: 'high' });
    expect((await hie.call('GET', encounterEntry?.ref as string)).status).toBe(410);
    expect((await l.replica.countByState()).pending).toBe(0);
    expect((await l.replica.getResource(`Observation/${id}`))?.syncState).toBe('synced');
    await l.close();
  });
});

describe('what Relais’ own token may write', () => {
  it('a delete is refused by the HIE and counted; the record stays on the HIE', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const hie = hieActor(sandbox, hieToken);
    const encounterEntry = (await l.replica.resourcesOfPatient(patientOfMine())).find((e) => e.resourceType === 'Encounter');
    if (encounterEntry === undefined) throw new Error('the seed gave this patient no encounter: change the seed');
    await l.replica.saveLocalEdit({ ref: encounterEntry.ref, op: 'delete', resource: encounterEntry.resource as FhirResource, patient: patientOfMine() });
    const report = await l.sync();
    expect(report.push.refused).toBe(1);
    expect(report.push.sent).toBe(0);
    expect((await hie.call('GET', encounterEntry.ref)).status).toBe(200);
    await l.close();
  });
});

describe('concurrent edits', () => {
  it('the same field changed on both sides keeps both versions as an open conflict', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const entry = (await l.replica.resourcesOfPatient(patientOfMine())).find((e) => e.resourceType === 'AllergyIntolerance');
    const ref = entry?.ref as string;
    const local = entry?.resource as FhirResource;
    await l.replica.saveLocalEdit({ ref, op: 'update', resource: { ...local, criticality: 'high' }, patient: patientOfMine() });
    const hie = hieActor(sandbox, hieToken);
    const remote = await hie.read(ref);
    expect((await hie.call('PUT', ref, { ...remote, criticality: 'unable-to-assess' })).status).toBe(200);

    const report = await l.sync();
    expect(report.push.conflicts).toBe(1);
    const [conflict] = await l.replica.listConflicts();
    expect(conflict).toMatchObject({ ref, fields: ['criticality'], state: 'open' });
    expect(conflict?.local).toMatchObject({ criticality: 'high' });
    expect(conflict?.remote).toMatchObject({ criticality: 'unable-to-assess' });
    expect((await l.replica.getResource(ref))?.resource).toMatchObject({ criticality: 'high' });
    expect(await hie.read(ref)).toMatchObject({ criticality: 'unable-to-assess' });

    await l.replica.resolveConflict(conflict?.id as string, { keep: 'local' });
    await l.sync();
    expect(await hie.read(ref)).toMatchObject({ criticality: 'high' });
    expect(await l.replica.listConflicts()).toEqual([]);
    await l.close();
  });

  it('different fields changed on each side merge without asking', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const entry = (await l.replica.resourcesOfPatient(patientOfMine())).find((e) => e.resourceType === 'AllergyIntolerance');
    const ref = entry?.ref as string;
    await l.replica.saveLocalEdit({ ref, op: 'update', resource: { ...(entry?.resource as FhirResource), criticality: 'high' }, patient: patientOfMine() });
    const hie = hieActor(sandbox, hieToken);
    const remote = await hie.read(ref);
    await hie.call('PUT', ref, { ...remote, note: [{ text: 'Seen by the pharmacist' }] });
    const report = await l.sync();
    expect(report.push).toMatchObject({ merged: 1, conflicts: 0 });
    expect(await hie.read(ref)).toMatchObject({ criticality: 'high', note: [{ text: 'Seen by the pharmacist' }] });
    await l.close();
  });
});

describe('scope', () => {
  it('a patient joining the panel arrives with their whole existing record ($everything backfill)', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const joining = other.patients.find((p) => !me.patients.includes(p)) as string;
    expect(await l.replica.patientsInReplica()).not.toContain(`Patient/${joining}`);
    expect((await control(sandbox, 'POST', 'panel', { patient: joining, practitioner: me.id, member: true })).status).toBe(204);
    const report = await l.sync();
    expect(report.backfilled).toBe(1);
    const theirs = await firstOfType(sandbox, await tokenFor(sandbox, other.id), 'Condition', `Patient/${joining}`);
    expect(await l.replica.getResource(`Condition/${String(theirs['id'])}`)).not.toBeNull();
    const server = await hieActor(sandbox, await tokenFor(sandbox, me.id)).call('GET', `Patient/${joining}/$everything?_count=500`);
    const expected = ((server.body?.['entry'] as Array<{ resource: { resourceType: string; id: string } }>) ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`).filter((r) => typesToSync(null).includes(r.split('/')[0] as string) && !/^(Practitioner|Organization)\//.test(r));
    const local = (await l.replica.resourcesOfPatient(`Patient/${joining}`)).map((e) => e.ref);
    expect(local.sort()).toEqual(expected.sort());
    await l.close();
  });

  it('a patient leaving the panel is purged and shredded in the same sync', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const leaving = patientOfMine();
    expect((await l.replica.resourcesOfPatient(leaving)).length).toBeGreaterThan(3);
    expect((await control(sandbox, 'POST', 'panel', { patient: leaving.split('/')[1], practitioner: me.id, member: false })).status).toBe(204);
    const report = await l.sync();
    expect(report.purged).toBe(1);
    expect(await l.replica.patientsInReplica()).not.toContain(leaving);
    expect(await l.replica.resourcesOfPatient(leaving)).toEqual([]);
    await l.close();
  });

  it('never stores a resource of another panel’s patient mixed into a page', async () => {
    const l = await laptop(sandbox, me.id);
    const theirs = `Patient/${other.patients.find((p) => !me.patients.includes(p)) as string}`;
    const stranger = await firstOfType(sandbox, await tokenFor(sandbox, other.id), 'Condition', theirs);
    // A page from the real sandbox with a resource of another panel's patient slipped in.
    const mixing = {
      send: async (request: Parameters<typeof l.transport.send>[0]) => {
        const response = await l.transport.send(request);
        const body = response.body as { resourceType?: string; type?: string; entry?: unknown[] } | null;
        if (request.target.startsWith('Condition?') && body?.type === 'searchset') {
          return { ...response, body: { ...body, entry: [...(body.entry ?? []), { resource: stranger, search: { mode: 'match' } }] } };
        }
        return response;
      },
    };
    await l.sync({ transport: mixing });
    expect(await l.replica.getResource(`Condition/${String(stranger['id'])}`)).toBeNull();
    expect(await l.replica.patientsInReplica()).not.toContain(theirs);
    await l.close();
  });
});
