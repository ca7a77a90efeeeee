/**
 * The patient list's rows are sent to the page again only when what they are built from changed
 * (issue 12: 10,000 rows built and sent every 1.5 s during a first sync made the page's long
 * tasks and slowed the worker). End to end in Node: the real session controller and data side
 * (over MessageChannels), the real replica on fake-indexeddb, the sandbox over HTTP with a real
 * token. What must never happen is a stale list: a Patient, an Appointment or a local edit that
 * changed is in the very next rows.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createFetchTransport } from '../../../shared/hie/fetch-transport';
import { clientResourceScopes } from '../../../shared/sync/client-scope';
import { createSessionController } from '../../../renderer/app/session-controller';
import { createSessionStore } from '../../../renderer/app/session-store';
import type { Workspace } from '../../../renderer/app/workspace';
import { createVaultStore } from '../../../renderer/features/unlock/vault-store';
import type { HieSession } from '../../../renderer/host/host';
import { createSyncStatusStore } from '../../../renderer/sync/sync-status';
import type { Sandbox } from '../../../sandbox/server.ts';
import { inProcessDataSide } from '../../support/in-process-data-side';
import { testHost, testWindow } from '../../support/test-platform';
import { control, firstOfType, hieActor, tokenFor, until, useTestSandbox, webcrypto, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

useTestSandbox({}, (started) => {
  ({ sandbox } = started);
  [me] = started.staff as [Practitioner];
});

describe('the patient list’s rows and the coordination model across the data worker’s port', { timeout: 180_000 }, () => {
  it('come again only when what they are built from moved; never stale', async () => {
    await control(sandbox, 'POST', 'reset');
    const token = await tokenFor(sandbox, me.id, clientResourceScopes.join(' '));
    const transport = createFetchTransport({ fhirBase: sandbox.fhirBase, tokens: { accessToken: () => token, refresh: async () => false }, fetch, timeoutMs: 10_000 });
    const session: HieSession = { practitioner: `Practitioner/${me.id}`, fhirBase: sandbox.fhirBase };
    const host = testHost({ session, signIn: session, transport });
    const store = createSessionStore({ idleMinutes: 10 });
    const status = createSyncStatusStore();
    const controller = createSessionController({
      host,
      crypto: webcrypto,
      vaults: createVaultStore(new (indexedDB.constructor as { new (): IDBFactory })()),
      store,
      status,
      window: testWindow(true),
      startDataSide: async () => inProcessDataSide(webcrypto),
      startLockedSync: async () => {
        throw new Error('not locked in this test');
      },
      pollMs: 100,
    });
    await controller.start();
    await controller.choosePassphrase('Les sept îles au large de Perros-Guirec');
    await until('first sync done', () => store.getState().initialSyncDone, (done) => done, 90_000);
    const view = store.getState().view;
    if (view.kind !== 'unlocked') throw new Error(view.kind);
    const workspace: Workspace = view.workspace;
    const syncAfter = async (): Promise<void> => {
      const from = Date.now();
      workspace.runner.syncNow();
      await until('a sync after the change', () => status.getState(), (s) => s.phase === 'idle' && s.lastSuccessAt !== null && Date.parse(s.lastSuccessAt) > from && s.error === null, 60_000);
    };
    const now = new Date();

    const first = await workspace.replica.patientRows(now, null);
    expect(first.map((row) => row.ref).sort()).toEqual(me.patients.map((id) => `Patient/${id}`).sort());
    // Nothing changed: the data side sends nothing, the page keeps the very rows it holds.
    expect(await workspace.replica.patientRows(now, null)).toBe(first);
    // An order of identifiers that puts the INS first, as the built-in order does: built again, the same rows, nothing sent.
    expect(await workspace.replica.patientRows(now, [{ system: 'urn:oid:1.2.250.1.213.1.4.8', label: 'INS', kind: 'ins' }])).toBe(first);
    // One that puts the practice's own number first changes what the rows show: sent.
    const byIpp = await workspace.replica.patientRows(now, [{ system: 'https://hie.relais.example.org/sid/ipp', label: 'IPP', kind: 'ipp' }]);
    expect(byIpp).not.toBe(first);
    expect(byIpp.map((row) => row.ref)).toEqual(first.map((row) => row.ref));
    const back = await workspace.replica.patientRows(now, null);
    expect(back).not.toBe(byIpp);
    expect(back).toEqual(first);

    // Another source's chart finds its patient by identifier, through the real data side: the
    // Patients carrying the key among the named systems, and no other.
    const INS = 'urn:oid:1.2.250.1.213.1.4.8';
    let withIns: Readonly<{ ref: string; ins: string }> | null = null;
    for (const row of first) {
      const found = (((await workspace.replica.getResource(row.ref))?.resource?.['identifier'] ?? []) as { system?: string; value?: string }[]).find((id) => id.system === INS)?.value;
      if (found !== undefined) {
        withIns = { ref: row.ref, ins: found };
        break;
      }
    }
    if (withIns === null) throw new Error('the sandbox gave no patient an INS');
    const { ins } = withIns;
    expect((await workspace.replica.patientsByIdentifier([INS], [`${INS}|${ins}`])).map((e) => e.ref)).toEqual([withIns.ref]);
    expect(await workspace.replica.patientsByIdentifier([INS], [`${INS}|000000000000000`])).toEqual([]);
    expect(await workspace.replica.patientsByIdentifier(['https://hie.relais.example.org/sid/ipp'], [`${INS}|${ins}`])).toEqual([]);

    // The coordination model likewise: read twice with nothing changed, the page keeps the very model it holds.
    const model = await workspace.replica.coordination(now);
    expect(await workspace.replica.coordination(now)).toBe(model);

    const hie = hieActor(sandbox, await tokenFor(sandbox, me.id));
    const patientId = me.patients[0] as string;

    // A Patient renamed on the HIE: the next rows show the new name.
    const patient = (await hie.read(`Patient/${patientId}`)) as Record<string, unknown>;
    const renamed = { ...patient, name: [{ family: 'Kerhervé-Renommée', given: ['Anne'] }] };
    expect((await hie.call('PUT', `Patient/${patientId}`, renamed)).status).toBe(200);
    await syncAfter();
    const afterRename = await workspace.replica.patientRows(now, null);
    expect(afterRename.find((row) => row.ref === `Patient/${patientId}`)?.family).toBe('Kerhervé-Renommée');

    // An appointment booked on the HIE for tomorrow: the next rows have it.
    const start = new Date(now.getTime() + 86_400_000).toISOString();
    const booked = await hie.call('POST', 'Appointment', {
      resourceType: 'Appointment', status: 'booked', start, end: new Date(Date.parse(start) + 1_800_000).toISOString(),
      participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }, { actor: { reference: `Practitioner/${me.id}` }, status: 'accepted' }],
    });
    expect(booked.status).toBe(201);
    await syncAfter();
    const afterBooking = await workspace.replica.patientRows(now, null);
    expect(afterBooking.find((row) => row.ref === `Patient/${patientId}`)?.nextAppointment).toBe(start);
    // … and the coordination model, built again, differs: the appointment is on my schedule.
    const bookedId = (booked.body as { id: string }).id;
    const afterBookingModel = await workspace.replica.coordination(now);
    expect(afterBookingModel).not.toBe(model);
    expect(afterBookingModel.schedule.some((row) => row.ref === `Appointment/${bookedId}`)).toBe(true);
    expect(model.schedule.some((row) => row.ref === `Appointment/${bookedId}`)).toBe(false);

    // A local edit waiting in the outbox: the row says pending at once.
    const observation = await firstOfType(sandbox, token, 'Observation', patientId);
    await workspace.saveEdit({ ref: `Observation/${observation['id'] as string}`, op: 'update', resource: { ...observation, resourceType: 'Observation', status: 'amended' }, patient: `Patient/${patientId}` });
    const afterEdit = await workspace.replica.patientRows(now, null);
    expect(afterEdit.find((row) => row.ref === `Patient/${patientId}`)?.pending).toBe(true);
    await controller.lock('manual');
  });
});
