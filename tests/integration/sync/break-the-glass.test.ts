import { uploadedEventQuery } from '../../../shared/audit/upload';
import { describe, expect, it } from 'vitest';
import { requestEmergencyAccess } from '../../../shared/sync/break-the-glass';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, hieActor, laptop, tokenFor, useTestSandbox, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;
let other: Practitioner;

useTestSandbox({}, (started) => {
  ({ sandbox } = started);
  [me, other] = started.staff as [Practitioner, Practitioner];
});

async function identifierOf(patientId: string): Promise<{ system: string; value: string }> {
  const patient = await hieActor(sandbox, await tokenFor(sandbox, other.id)).read(`Patient/${patientId}`);
  const identifier = (patient?.['identifier'] as Array<{ system: string; value: string }>)[0];
  if (identifier === undefined) throw new Error('no identifier');
  return identifier;
}

describe('break the glass', () => {
  it('online: a reason is required; then the patient comes in, the access is audited BTG on both sides, and it ends with the grant', async () => {
    await control(sandbox, 'POST', 'reset');
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const stranger = other.patients.find((p) => !me.patients.includes(p)) as string;
    const ref = `Patient/${stranger}`;
    const identifier = await identifierOf(stranger);
    // Outside the panel: invisible.
    expect((await hieActor(sandbox, l.token.value as string).call('GET', ref)).status).toBe(404);
    await expect(requestEmergencyAccess(l.transport, { identifier, reason: 'urgent' })).rejects.toMatchObject({ name: 'EmergencyAccessRefused' });
    await expect(requestEmergencyAccess(l.transport, { identifier: { value: 'no-such-id' }, reason: 'Unconscious patient brought to the ER' })).rejects.toMatchObject({ status: 404 });

    const grant = await requestEmergencyAccess(l.transport, { identifier, reason: 'Unconscious patient brought to the ER' });
    expect(grant.patient).toBe(ref);
    const who = { practitioner: l.practitioner, deviceId: 'device-test', outcome: 'success' as const };
    await l.replica.audit.record({ ...who, action: 'break-the-glass', patient: ref, emergency: { reason: 'Unconscious patient brought to the ER' } });
    const report = await l.sync({ audit: l.replica.audit });
    expect(report.emergencyPatients).toEqual([ref]);
    expect(report.backfilled).toBe(1);
    expect((await l.replica.resourcesOfPatient(ref)).length).toBeGreaterThan(5);

    const hie = hieActor(sandbox, await tokenFor(sandbox, other.id));
    const events = await hie.search(`AuditEvent?patient=${ref}&_count=50`);
    const btg = events.filter((e) => JSON.stringify(e['purposeOfEvent'] ?? []).includes('BTG'));
    expect(btg.length).toBe(2); // the HIE's own record, and the one the laptop uploaded
    expect(JSON.stringify(btg)).toContain('Unconscious patient brought to the ER');

    await control(sandbox, 'POST', 'emergency-access/expire', { practitioner: me.id });
    const after = await l.sync();
    expect(after.emergencyPatients).toEqual([]);
    expect(await l.replica.patientsInReplica()).not.toContain(ref);
    await l.close();
  });

  it('offline: only what the replica holds can be opened, and the flagged event reaches the HIE at the next sync', async () => {
    await control(sandbox, 'POST', 'reset');
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const mine = `Patient/${me.patients[0] as string}`;
    // Offline: no request is possible; the clinician opens a patient the replica already holds, as an emergency.
    expect((await l.replica.resourcesOfPatient(mine)).length).toBeGreaterThan(0);
    const stranger = `Patient/${other.patients.find((p) => !me.patients.includes(p)) as string}`;
    expect(await l.replica.resourcesOfPatient(stranger)).toEqual([]);
    const link = await l.replica.audit.record({ practitioner: l.practitioner, deviceId: 'device-test', outcome: 'success', action: 'break-the-glass', patient: mine, emergency: { reason: 'No network, patient in distress' }, offline: true });
    await l.sync({ audit: l.replica.audit });
    const uploaded = await hieActor(sandbox, await tokenFor(sandbox, me.id)).search(`AuditEvent?${uploadedEventQuery(String(link.event['id']))}`);
    expect(uploaded).toHaveLength(1);
    expect(JSON.stringify(uploaded)).toContain('recorded-offline');
    expect(JSON.stringify(uploaded)).toContain('BTG');
    await l.close();
  });
});
