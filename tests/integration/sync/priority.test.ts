/**
 * The day's patients first (shared/sync/priority.ts) against the sandbox, whose schedule puts
 * appointments today: on a first sync the charts of the patients seen in the coming 48 hours are
 * whole before any type is pulled; an interruption during that phase or right after it loses
 * nothing and moves no checkpoint; a sync after a long absence does it again, a daily one does not.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { todayUtc } from '../../../sandbox/data/dates.ts';
import type { SyncProgress } from '../../../shared/sync/engine';
import { TransportError, type FhirTransport } from '../../../shared/hie/transport';
import { completedStream } from '../../../shared/sync/priority';
import { readPullCheckpoint } from '../../../shared/sync/checkpoint';
import { typesToSync } from '../../../shared/sync/resource-types';
import { laptop, practitioners, serverRefs, startTestSandbox, tokenFor, type Laptop, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;
let expectedDay: string[];

type Appointment = { status: string; start: string; participant: { actor?: { reference?: string } }[] };

beforeAll(async () => {
  // Today's date, so the seeded "today" is the HIE's today.
  sandbox = await startTestSandbox({ patients: 40, resourcesPerPatient: 30, practitioners: 2, referenceDate: todayUtc() });
  me = (await practitioners(sandbox))[0] as Practitioner;
  // What the HIE says the day is, read independently of the engine: every appointment of mine, filtered here.
  const token = await tokenFor(sandbox, me.id);
  const now = Date.now();
  const response = await fetch(`${sandbox.fhirBase}/Appointment?_count=1000`, { headers: { authorization: `Bearer ${token}` } });
  const bundle = (await response.json()) as { entry?: { resource: Appointment }[] };
  const day = new Set<string>();
  for (const { resource } of bundle.entry ?? []) {
    const start = Date.parse(resource.start);
    // From the start of the day here (or 12 hours ago if earlier) to 48 hours ahead: the morning's visits stay the day's until midnight.
    const today = new Date(now);
    const from = Math.min(now - 12 * 3_600_000, new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime());
    if (start < from - 60_000 || start > now + 48 * 3_600_000 - 60_000) continue;
    if (!['booked', 'arrived', 'checked-in', 'pending', 'proposed', 'waitlist'].includes(resource.status)) continue;
    if (!resource.participant.some((p) => p.actor?.reference === `Practitioner/${me.id}`)) continue;
    for (const p of resource.participant) if (p.actor?.reference?.startsWith('Patient/')) day.add(p.actor.reference);
  }
  expectedDay = [...day].sort();
});
afterAll(async () => {
  await sandbox.close();
});

// A failed expectation must not leave a replica open (RxDB's free tier counts open collections).
const open: Laptop[] = [];
afterEach(async () => {
  for (const l of open.splice(0)) await l.close().catch(() => undefined);
});
async function newLaptop(): Promise<Laptop> {
  const l = await laptop(sandbox, me.id);
  open.push(l);
  return l;
}

/** Records every request; `fail` decides which one gets no answer (offline). */
function watched(l: Laptop, fail: (target: string, index: number) => boolean = () => false): { transport: FhirTransport; targets: string[] } {
  const targets: string[] = [];
  return {
    targets,
    transport: {
      async send(request) {
        targets.push(request.target);
        if (fail(request.target, targets.length - 1)) throw new TransportError('offline');
        return l.transport.send(request);
      },
    },
  };
}

/** A type pull's first page (shared/sync/pull.ts, pullQuery). */
const isTypePull = (target: string): boolean => /^[A-Z][A-Za-z]+\?_sort=_lastUpdated&/.test(target);
const isEverything = (target: string): boolean => target.includes('/$everything');

async function chartRefs(l: Laptop, patient: string): Promise<string[]> {
  return (await l.replica.resourcesOfPatient(patient)).map((e) => e.ref).sort();
}

async function hieChart(patient: string): Promise<string[]> {
  const token = await tokenFor(sandbox, me.id);
  const refs: string[] = [];
  let next: string | null = `${sandbox.fhirBase}/${patient}/$everything?_count=500`;
  while (next !== null) {
    const bundle = (await (await fetch(next, { headers: { authorization: `Bearer ${token}` } })).json()) as { entry?: { resource: { resourceType: string; id: string } }[]; link?: { relation: string; url: string }[] };
    for (const { resource } of bundle.entry ?? []) if (!['Practitioner', 'Organization', 'Medication', 'Group'].includes(resource.resourceType)) refs.push(`${resource.resourceType}/${resource.id}`);
    next = bundle.link?.find((l) => l.relation === 'next')?.url ?? null;
  }
  return refs.sort();
}

describe("the day's patients first", () => {
  it('a first sync fetches the day’s charts whole before pulling any type, and says how many are ready', async () => {
    expect(expectedDay.length).toBeGreaterThanOrEqual(3);
    const l = await newLaptop();
    const { transport, targets } = watched(l);
    const progress: SyncProgress[] = [];
    const report = await l.sync({ transport, onProgress: (p) => progress.push(p) });
    expect(report.dayPatients).toBe(expectedDay.length);
    const everything = targets.map((t, i) => [t, i] as const).filter(([t]) => isEverything(t));
    const firstPull = targets.findIndex(isTypePull);
    expect(firstPull).toBeGreaterThan(0);
    expect(new Set(everything.map(([t]) => t.split('/$everything')[0]))).toEqual(new Set(expectedDay));
    for (const [, index] of everything) expect(index).toBeLessThan(firstPull);
    const priority = progress.filter((p) => p.phase === 'priority').map((p) => p.priority);
    expect(priority[0]).toEqual({ ready: 0, total: expectedDay.length });
    expect(priority.at(-1)).toEqual({ ready: expectedDay.length, total: expectedDay.length });
    // The pull that follows still says the day is ready.
    expect(progress.filter((p) => p.phase === 'pull').every((p) => p.priority?.ready === expectedDay.length)).toBe(true);
    // And the replica is the HIE's, as after any sync.
    const server = [...(await serverRefs(sandbox, l.token.value as string))].filter((r) => !/^(Practitioner|Organization)\//.test(r));
    const local = new Set<string>();
    for (const patient of await l.replica.patientsInReplica()) for (const ref of await chartRefs(l, patient)) local.add(ref);
    expect([...local].sort()).toEqual(server.sort());

    // A second sync the same day does not fetch the day again.
    const again = watched(l);
    expect((await l.sync({ transport: again.transport })).dayPatients).toBe(0);
    expect(again.targets.some(isEverything)).toBe(false);
  });

  it('interrupted right after the day’s charts: they are whole and usable, no type checkpoint moved; resumed, the sync completes', async () => {
    const l = await newLaptop();
    const first = watched(l, (target) => isTypePull(target));
    await expect(l.sync({ transport: first.transport })).rejects.toThrow();
    // Every chart of the day is there, exactly as the HIE holds it.
    for (const patient of expectedDay) expect(await chartRefs(l, patient)).toEqual(await hieChart(patient));
    // And nobody else's chart.
    expect(new Set(await l.replica.patientsInReplica())).toEqual(new Set(expectedDay));
    for (const type of typesToSync(null)) expect(readPullCheckpoint(await l.replica.readCheckpoint(type))).toBeNull();
    expect(await l.replica.readCheckpoint(completedStream)).toBeNull();

    const resumed = await l.sync();
    expect(resumed.patients).toBe(me.patients.length);
    expect(new Set(await l.replica.patientsInReplica())).toEqual(new Set(me.patients.map((id) => `Patient/${id}`)));
  });

  it('interrupted in the middle of the day’s charts: the next run fetches them again and ends equal to the HIE', async () => {
    const l = await newLaptop();
    let everythingCalls = 0;
    const first = watched(l, (target) => isEverything(target) && ++everythingCalls === 2);
    await expect(l.sync({ transport: first.transport })).rejects.toThrow();
    const stored = await l.replica.patientsInReplica();
    expect(stored.length).toBe(1);
    const report = await l.sync();
    expect(report.dayPatients).toBe(expectedDay.length);
    const server = [...(await serverRefs(sandbox, l.token.value as string))].filter((r) => !/^(Practitioner|Organization)\//.test(r));
    const local = new Set<string>();
    for (const patient of await l.replica.patientsInReplica()) for (const ref of await chartRefs(l, patient)) local.add(ref);
    expect([...local].sort()).toEqual(server.sort());
  });

  it('an HIE without $everything (404) or the appointment search (400) only loses the head start: the sync completes as before', async () => {
    for (const refuse of [(t: string) => isEverything(t), (t: string) => t.startsWith('Appointment?actor=')]) {
      const l = await newLaptop();
      const { transport } = watched(l);
      const refusing: FhirTransport = {
        async send(request) {
          if (refuse(request.target)) return { status: request.target.includes('$everything') ? 404 : 400, headers: {}, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-supported' }] } };
          return transport.send(request);
        },
      };
      const report = await l.sync({ transport: refusing });
      expect(report.dayPatients).toBe(0);
      expect(new Set(await l.replica.patientsInReplica())).toEqual(new Set(me.patients.map((id) => `Patient/${id}`)));
      expect(await l.replica.readCheckpoint(completedStream)).not.toBeNull();
    }
  });

  it('after a long absence (last complete sync two days ago), the day comes first again', async () => {
    const l = await newLaptop();
    await l.sync();
    await l.replica.writeCheckpoint(completedStream, { at: new Date(Date.now() - 2 * 86_400_000).toISOString() });
    const { transport, targets } = watched(l);
    const report = await l.sync({ transport });
    expect(report.dayPatients).toBe(expectedDay.length);
    expect(targets.filter(isEverything).length).toBe(expectedDay.length);
  });
});
