/**
 * A hostile (or merely careless) HIE: its search pages carry, next to the clinician's own records,
 * resources whose patient is written in every shape FHIR allows and some it does not. The sandbox
 * injects them (test mode `inject`, bypassing its own scope checks); the client must keep exactly
 * those that belong to one patient in scope, refuse and report the rest, purge them by whatever
 * path they were tied to a patient, and honour a Consent written with absolute references.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, laptop, practitioners, startTestSandbox, type Practitioner } from './support';

let sandbox: Sandbox;
let staff: Practitioner[];

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 6, resourcesPerPatient: 12, practitioners: 2 });
  staff = await practitioners(sandbox);
});
afterAll(async () => {
  await control(sandbox, 'DELETE', 'faults');
  await sandbox.close();
});

const meta = { versionId: 'h1', lastUpdated: '2020-01-01T00:00:00.000Z' };
const observation = (id: string, extra: Record<string, unknown>) => ({
  resourceType: 'Observation',
  id,
  meta,
  status: 'final',
  code: { text: `hostile ${id}` },
  valueString: 'x',
  ...extra,
});

describe('a hostile HIE page', () => {
  it('keeps only what belongs to one patient in scope, refuses and reports the rest, and purges by every path', async () => {
    const me = staff[0] as Practitioner;
    const other = staff.find((p) => p.patients.some((id) => !me.patients.includes(id))) as Practitioner;
    const mine = me.patients[0] as string;
    const stranger = other.patients.find((id) => !me.patients.includes(id)) as string;
    const base = sandbox.fhirBase;
    const kept = {
      absolute: observation('h-absolute', { subject: { reference: `${base}/Patient/${mine}` } }),
      versioned: observation('h-versioned', { subject: { reference: `Patient/${mine}/_history/3` } }),
      // Patient named only in an array element the compartment lists (Observation.performer).
      arrayField: observation('h-performer', { performer: [{ reference: `Practitioner/${me.id}` }, { reference: `${base}/Patient/${mine}` }] }),
    };
    const refused = {
      otherPatient: observation('h-stranger', { subject: { reference: `${base}/Patient/${stranger}` } }),
      otherServer: observation('h-elsewhere', { subject: { reference: `https://other-hie.example/fhir/Patient/${mine}` } }),
      lookAlike: observation('h-lookalike', { subject: { reference: `${base}.evil.example/Patient/${mine}` } }),
      identifierOnly: observation('h-identifier', { subject: { type: 'Patient', identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '1840775123456' } } }),
      contained: observation('h-contained', { contained: [{ resourceType: 'Patient', id: 'p' }], subject: { reference: '#p' } }),
      twoPatients: observation('h-two', { subject: { reference: `Patient/${mine}` }, performer: [{ reference: `Patient/${stranger}` }] }),
      noPatient: observation('h-none', {}),
    };
    expect((await control(sandbox, 'POST', 'faults', { inject: [...Object.values(kept), ...Object.values(refused)] })).status).toBe(204);

    const l = await laptop(sandbox, me.id);
    const report = await l.sync();
    const held = await l.replica.metaOf([...Object.values(kept), ...Object.values(refused)].map((r) => `${r.resourceType}/${r.id}`));
    expect([...held.keys()].sort()).toEqual(['Observation/h-absolute', 'Observation/h-performer', 'Observation/h-versioned']);
    // Every kept one sits with its patient (so a purge of that patient finds it), none under the shared key.
    const ofMine = new Set((await l.replica.resourcesOfPatient(`Patient/${mine}`)).map((e) => e.ref));
    for (const ref of held.keys()) expect(ofMine.has(ref)).toBe(true);
    // Reported: six records that name no resolvable patient, or two.
    expect(report.refused).toBe(6);
    expect(report.pull['Observation']?.outOfScope).toBeGreaterThanOrEqual(1);

    // The patient leaves the panel: every path that tied a row to them is purged.
    await control(sandbox, 'DELETE', 'faults');
    expect((await control(sandbox, 'POST', 'panel', { patient: mine, practitioner: me.id, member: false })).status).toBe(204);
    const after = await l.sync();
    expect(after.purged).toBe(1);
    expect((await l.replica.metaOf(Object.values(kept).map((r) => `${r.resourceType}/${r.id}`))).size).toBe(0);
    expect(await l.replica.patientsInReplica()).not.toContain(`Patient/${mine}`);
    await l.close();
  });

  it('a Consent that denies sharing, written with absolute references, takes the patient out of scope', async () => {
    const me = staff[0] as Practitioner;
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const denied = (await l.replica.patientsInReplica())[0] as string;
    expect(denied).toBeDefined();
    const consent = {
      resourceType: 'Consent',
      id: 'h-consent',
      meta: { versionId: 'h1', lastUpdated: new Date().toISOString() },
      status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: `${sandbox.fhirBase}/${denied}` },
      provision: { type: 'deny', actor: [{ role: { text: 'clinician' }, reference: { reference: `${sandbox.fhirBase}/Practitioner/${me.id}/_history/1` } }] },
    };
    expect((await control(sandbox, 'POST', 'faults', { inject: [consent] })).status).toBe(204);
    const report = await l.sync();
    await control(sandbox, 'DELETE', 'faults');
    expect(report.purged).toBe(1);
    expect(await l.replica.patientsInReplica()).not.toContain(denied);
    await l.close();
  });
});
