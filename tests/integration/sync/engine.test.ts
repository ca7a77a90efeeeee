import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import type { SyncProgress } from '../../../shared/sync/engine';
import { laptop, serverRefs, useTestSandbox, type Laptop, type Practitioner } from './support';

let sandbox: Sandbox;
let staff: Practitioner[];

useTestSandbox({}, (started) => {
  ({ sandbox } = started);
  staff = started.staff;
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

  it('interrupted mid-way and resumed: the bar continues from what is already here, on the same total', async () => {
    const me = (staff[1] ?? staff[0]) as Practitioner;
    const l = await laptop(sandbox, me.id);
    let firstTotal: number | null = null;
    let stoppedAt = 0;
    // The app is closed once half the resources are in (a page boundary, like a real close).
    const closed = l.sync({
      onProgress: (p) => {
        if (p.phase !== 'pull' || p.total === null) return;
        firstTotal = p.total;
        expect(p.resumedFrom ?? 0).toBe(0);
        if (p.received >= p.total / 2) {
          stoppedAt = p.received;
          throw new Error('closed mid-way');
        }
      },
    });
    await expect(closed).rejects.toThrow('closed mid-way');
    expect(firstTotal).toBeGreaterThan(100);

    const seen: SyncProgress[] = [];
    await l.sync({ onProgress: (p) => { if (p.phase === 'pull' || p.phase === 'deletions') seen.push(p); } });
    const [first, last] = [seen[0] as SyncProgress, seen.at(-1) as SyncProgress];
    console.info(`resume: total ${String(firstTotal)}, stopped at ${stoppedAt}, resumed from ${String(first.resumedFrom)}, ended at ${last.received}`);
    expect(first.total).toBe(firstTotal);
    // What earlier runs brought is counted, never more than was really received.
    expect(first.resumedFrom).toBeGreaterThan(0);
    expect(first.resumedFrom).toBeLessThanOrEqual(stoppedAt);
    expect(first.received).toBeGreaterThanOrEqual(first.resumedFrom ?? 0);
    for (let i = 1; i < seen.length; i += 1) expect((seen[i] as SyncProgress).received).toBeGreaterThanOrEqual((seen[i - 1] as SyncProgress).received);
    // It ends near the total, not far past it (the old bar restarted from zero on a smaller total).
    expect(last.received / (firstTotal as unknown as number)).toBeGreaterThan(0.9);
    expect(last.received / (firstTotal as unknown as number)).toBeLessThan(1.1);
    await l.close();
  });
});
