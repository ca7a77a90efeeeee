import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { laptop, practitioners, serverRefs, startTestSandbox, type Laptop, type Practitioner } from './support';

let sandbox: Sandbox;
let staff: Practitioner[];

beforeAll(async () => {
  sandbox = await startTestSandbox();
  staff = await practitioners(sandbox);
});
afterAll(async () => {
  await sandbox.close();
});

async function allRefs(l: Laptop): Promise<Set<string>> {
  const refs = new Set<string>();
  for (const patient of await l.replica.patientsInReplica()) {
    for (const entry of await l.replica.resourcesOfPatient(patient)) refs.add(entry.ref);
  }
  return refs;
}

describe('initial sync against the sandbox', () => {
  it('brings exactly the practitioner’s patients and their records, with progress', async () => {
    const me = staff[0] as Practitioner;
    const l = await laptop(sandbox, me.id);
    const phases: string[] = [];
    let lastTotal: number | null = null;
    const report = await l.sync({ onProgress: (p) => { phases.push(p.phase); if (p.total !== null) lastTotal = p.total; } });
    expect(report.patients).toBe(me.patients.length);
    expect(new Set(await l.replica.patientsInReplica())).toEqual(new Set(me.patients.map((id) => `Patient/${id}`)));
    const server = await serverRefs(sandbox, l.token.value as string);
    const patientData = [...server].filter((r) => !r.startsWith('Practitioner/') && !r.startsWith('Organization/'));
    const local = await allRefs(l);
    expect([...local].sort()).toEqual(patientData.sort());
    expect(phases).toEqual(expect.arrayContaining(['push', 'scope', 'pull', 'deletions']));
    expect(lastTotal).not.toBeNull();
    await l.close();
  });
});
