import { beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, hieActor, laptop, tokenFor, useTestSandbox, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

useTestSandbox({}, (started) => {
  ({ sandbox } = started);
  [me] = started.staff as [Practitioner];
});
beforeEach(async () => {
  await control(sandbox, 'POST', 'reset');
});

const consent = (patient: string, provision: Record<string, unknown>) => ({
  resourceType: 'Consent',
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
  patient: { reference: patient },
  policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTOUT' }] },
  provision,
});

describe('Consent', () => {
  it('a patient’s active Consent denying sharing takes them out of scope: purged, and not pulled again', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const patient = `Patient/${me.patients[0] as string}`;
    expect(await l.replica.patientsInReplica()).toContain(patient);
    const hie = hieActor(sandbox, await tokenFor(sandbox, me.id));
    expect((await hie.call('POST', 'Consent', consent(patient, { type: 'deny' }))).status).toBe(201);
    const report = await l.sync();
    expect(report.purged).toBe(1);
    expect(await l.replica.patientsInReplica()).not.toContain(patient);
    expect(await l.replica.resourcesOfPatient(patient)).toEqual([]);
    // A new laptop never stores them at all.
    const fresh = await laptop(sandbox, me.id);
    await fresh.sync();
    expect(await fresh.replica.patientsInReplica()).not.toContain(patient);
    await fresh.close();
    await l.close();
  });

  it('after the purge, the access log on the laptop no longer names the patient (the HIE keeps the events whole)', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const patient = `Patient/${me.patients[1] as string}`;
    const who = { practitioner: l.practitioner, deviceId: 'device-test', outcome: 'success' as const };
    await l.replica.audit.record({ ...who, action: 'chart-open', patient });
    await l.replica.audit.record({ ...who, action: 'update', patient, resource: 'Condition/c-x' });
    expect((await l.sync({ audit: l.replica.audit })).auditRedacted).toBe(0);
    const hie = hieActor(sandbox, await tokenFor(sandbox, me.id));
    expect((await hie.call('POST', 'Consent', consent(patient, { type: 'deny' }))).status).toBe(201);
    const report = await l.sync({ audit: l.replica.audit });
    expect(report.purged).toBe(1);
    expect(report.auditRedacted).toBe(2);
    expect(JSON.stringify(await l.replica.audit.trail())).not.toContain(me.patients[1] as string);
    expect(await l.replica.audit.verify()).toMatchObject({ intact: true });
    expect((await hie.search(`AuditEvent?patient=${patient}&_count=100`)).length).toBeGreaterThanOrEqual(2);
    await l.close();
  });

  it('a denial aimed at another practitioner, or one that has ended, leaves the patient in scope', async () => {
    const l = await laptop(sandbox, me.id);
    const [first, second] = me.patients as [string, string];
    const hie = hieActor(sandbox, await tokenFor(sandbox, me.id));
    await hie.call('POST', 'Consent', consent(`Patient/${first}`, { type: 'deny', actor: [{ role: { text: 'recipient' }, reference: { reference: 'Practitioner/someone-else' } }] }));
    await hie.call('POST', 'Consent', consent(`Patient/${second}`, { type: 'deny', period: { start: '2020-01-01T00:00:00Z', end: '2021-01-01T00:00:00Z' } }));
    await l.sync();
    expect(await l.replica.patientsInReplica()).toEqual(expect.arrayContaining([`Patient/${first}`, `Patient/${second}`]));
    await l.close();
  });
});
