/**
 * The fault matrix of issue 4: the engine killed at random points during pull and push, over many
 * runs (RELAIS_FAULT_RUNS, 200 for the full matrix: `npm run test:faults`), plus each named fault.
 * After every run: the replica equals the server's view, nothing is duplicated on the server, and
 * every acknowledged local edit is on the HIE.
 */
import 'fake-indexeddb/auto';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../shared/fhir/resource';
import { SyncStop } from '../../../shared/hie/errors';
import { openReplica } from '../../../renderer/db/replica';
import type { Sandbox } from '../../../sandbox/server.ts';
import { flipBit, rawGet, rawPut, resourcesDb, rowIdsIn } from '../../unit/renderer/db/fixtures';
import { killableStore, killableTransport, killer, Killed } from './killable';
import { control, hieActor, laptop, serverRefs, sharedVault, tokenFor, useTestSandbox, webcrypto, type Laptop, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

useTestSandbox({ patients: 6, resourcesPerPatient: 15, practitioners: 2 }, (started) => {
  ({ sandbox } = started);
  [me] = started.staff as [Practitioner];
});

/** A small deterministic PRNG so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replica (patient data) and server agree: same refs, same versions. */
async function expectReplicaEqualsServer(l: Laptop, token: string): Promise<void> {
  const server = await serverRefs(sandbox, token);
  const local = new Map<string, string | null>();
  for (const patient of await l.replica.patientsInReplica()) {
    for (const e of await l.replica.resourcesOfPatient(patient)) local.set(e.ref, (e.resource?.meta as { versionId?: string } | undefined)?.versionId ?? null);
  }
  const expected = [...server].filter((r) => !/^(Practitioner|Organization)\//.test(r)).sort();
  expect([...local.keys()].sort()).toEqual(expected);
  const meta = await l.replica.metaOf(expected);
  const hie = hieActor(sandbox, token);
  for (const ref of expected.slice(0, 25)) {
    const remote = (await hie.read(ref)) as { meta?: { versionId?: string } } | null;
    expect([ref, meta.get(ref)?.versionId]).toEqual([ref, remote?.meta?.versionId]);
  }
}

/** Runs sync, reopening the replica after a simulated death, until one run completes. */
async function syncToCompletion(l: Laptop, name: string): Promise<Laptop> {
  let current = l;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    try {
      await current.sync();
      return current;
    } catch (error: unknown) {
      if (!(error instanceof Killed) && !(error instanceof SyncStop)) throw error;
      await current.close();
      current = await laptop(sandbox, me.id, name);
    }
  }
  throw new Error('sync never completed');
}

const runs = Number(process.env['RELAIS_FAULT_RUNS'] ?? 200);

describe(`engine killed at random points (${runs} runs)`, () => {
  it('always converges: replica = server view, no duplicate, every acknowledged edit on the HIE', async () => {
    const tally = { pullKills: 0, pushKills: 0, before: 0, after: 0, creates: 0 };
    for (let run = 0; run < runs; run += 1) {
      const rnd = random(1000 + run);
      await control(sandbox, 'POST', 'reset');
      const token = await tokenFor(sandbox, me.id);
      const name = `fault-${run}-${randomUUID()}`;
      let l = await laptop(sandbox, me.id, name);

      // 1. Initial sync, killed half of the time.
      if (rnd() < 0.5) {
        const k = killer(1 + Math.floor(rnd() * 60), rnd() < 0.5 ? 'before' : 'after');
        await l.sync({ transport: killableTransport(l.transport, k), store: killableStore(l.replica, k) }).catch((e: unknown) => {
          if (!(e instanceof Killed)) throw e;
        });
        if (k.dead) tally.pullKills += 1;
        await l.close();
        l = await laptop(sandbox, me.id, name);
      }
      l = await syncToCompletion(l, name);

      // 2. Local edits (acknowledged by the replica) and a remote change.
      const patient = `Patient/${me.patients[run % me.patients.length] as string}`;
      const created: string[] = [];
      for (let i = 0; i < 1 + Math.floor(rnd() * 3); i += 1) {
        const id = randomUUID();
        const observation: FhirResource = {
          resourceType: 'Observation', id, status: 'final', subject: { reference: patient },
          code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, effectiveDateTime: '2026-11-28T08:00:00Z',
          valueQuantity: { value: 60 + i, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
        };
        await l.replica.saveLocalEdit({ ref: `Observation/${id}`, op: 'create', resource: observation, patient });
        created.push(`Observation/${id}`);
      }
      const allergy = (await l.replica.resourcesOfPatient(patient)).find((e) => e.resourceType === 'AllergyIntolerance');
      if (allergy?.resource) await l.replica.saveLocalEdit({ ref: allergy.ref, op: 'update', resource: { ...allergy.resource, criticality: run % 2 === 0 ? 'high' : 'low' }, patient });
      const hie = hieActor(sandbox, token);
      if (allergy) {
        const remote = await hie.read(allergy.ref);
        await hie.call('PUT', allergy.ref, { ...remote, note: [{ text: `remote note ${run}` }] });
      }
      tally.creates += created.length;

      // 3. Sync with a kill somewhere in push or pull, then recover.
      const k = killer(1 + Math.floor(rnd() * 30), rnd() < 0.5 ? 'before' : 'after');
      await l.sync({ transport: killableTransport(l.transport, k), store: killableStore(l.replica, k) }).catch((e: unknown) => {
        if (!(e instanceof Killed)) throw e;
      });
      if (k.dead) {
        tally.pushKills += 1;
        tally[k.when] += 1;
      }
      await l.close();
      l = await laptop(sandbox, me.id, name);
      l = await syncToCompletion(l, name);
      await l.sync(); // one more pass: pulls back what the last push wrote

      // 4. The invariants.
      expect((await l.replica.countByState()).pending, `run ${run}`).toBe(0);
      expect(await l.replica.listConflicts(), `run ${run}`).toEqual([]);
      for (const ref of created) {
        const found = await hie.search(`Observation?_id=${ref.split('/')[1] as string}`);
        expect(found.length, `run ${run}: ${ref} on the HIE exactly once`).toBe(1);
      }
      const onServer = await hie.search(`Observation?patient=${patient}&code=8867-4&date=2026-11-28&_count=100`);
      expect(onServer.filter((o) => created.includes(`Observation/${String(o['id'])}`)).length, `run ${run}: no duplicate`).toBe(created.length);
      if (allergy) expect(await hie.read(allergy.ref), `run ${run}`).toMatchObject({ criticality: run % 2 === 0 ? 'high' : 'low', note: [{ text: `remote note ${run}` }] });
      await expectReplicaEqualsServer(l, token);
      await l.close();
    }
    // The matrix really killed things, before and after steps, in both phases.
    expect(tally.pushKills + tally.pullKills).toBeGreaterThan(runs / 2);
    expect(tally.before).toBeGreaterThan(0);
    expect(tally.after).toBeGreaterThan(0);
    process.stdout.write(`fault matrix: ${runs} runs, ${tally.pullKills} kills during initial sync, ${tally.pushKills} during push/pull (${tally.before} before a step, ${tally.after} after it), ${tally.creates} creates checked\n`);
    // 200 runs, each syncing every type the sandbox's CapabilityStatement offers: measured 107 s on
    // an idle machine, 230 s with both cores loaded and 298 s with a build beside the hogs (a
    // fresh-clone .ci/run); 790 s once, when a replica benchmark and a second test run shared the
    // two loaded cores with it. The budget is three times that worst.
  }, 2_400_000);
});

describe('named faults', () => {
  it('connection dropped after the server committed: retried without duplicates', async () => {
    await control(sandbox, 'POST', 'reset');
    const token = await tokenFor(sandbox, me.id);
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const patient = `Patient/${me.patients[0] as string}`;
    const id = randomUUID();
    await l.replica.saveLocalEdit({ ref: `Observation/${id}`, op: 'create', patient, resource: { resourceType: 'Observation', id, status: 'final', subject: { reference: patient }, code: { text: 'drop test' } } });
    expect((await control(sandbox, 'POST', 'faults', { dropAfterCommit: 1 })).status).toBe(204);
    await expect(l.sync()).rejects.toMatchObject({ code: 'OFFLINE' });
    await control(sandbox, 'DELETE', 'faults');
    expect(await hieActor(sandbox, token).read(`Observation/${id}`)).toMatchObject({ code: { text: 'drop test' } });
    await l.sync();
    expect((await hieActor(sandbox, token).search(`Observation?_id=${id}`)).length).toBe(1);
    expect((await l.replica.countByState()).pending).toBe(0);
    await l.close();
  });

  it.each([503, 429])('%i with Retry-After stops the run with the delay, and the next run completes', async (status) => {
    await control(sandbox, 'POST', 'reset');
    const token = await tokenFor(sandbox, me.id);
    const l = await laptop(sandbox, me.id);
    await control(sandbox, 'POST', 'faults', { status, retryAfter: 7, count: 1 });
    await expect(l.sync()).rejects.toMatchObject({ code: 'SERVER_BUSY', retryAfterMs: 7000 });
    await l.sync();
    await expectReplicaEqualsServer(l, token);
    await l.close();
  });

  it.each([{ duplicatePages: true }, { reorderPages: true }, { duplicatePages: true, reorderPages: true }])('pages shaped %o still give exactly the server view', async (shape) => {
    await control(sandbox, 'POST', 'reset');
    const token = await tokenFor(sandbox, me.id);
    const l = await laptop(sandbox, me.id);
    await control(sandbox, 'POST', 'faults', shape);
    await l.sync({ pageSize: 7 });
    await control(sandbox, 'DELETE', 'faults');
    await expectReplicaEqualsServer(l, token);
    await l.close();
  });

  it.each([-24, 24])('client clock off by %i h changes nothing (only server times are used)', async (hours) => {
    await control(sandbox, 'POST', 'reset');
    const token = await tokenFor(sandbox, me.id);
    const l = await laptop(sandbox, me.id);
    const skewed = () => new Date(Date.now() + hours * 3_600_000).toISOString();
    await l.sync({ now: skewed });
    const hie = hieActor(sandbox, token);
    const patient = `Patient/${me.patients[0] as string}`;
    const created = await hie.call('POST', 'Condition', { resourceType: 'Condition', subject: { reference: patient }, code: { text: `skew ${hours}` } });
    await l.sync({ now: skewed });
    expect(await l.replica.getResource(`Condition/${String(created.body?.['id'])}`)).not.toBeNull();
    await expectReplicaEqualsServer(l, token);
    await l.close();
  });

  it('token revoked mid-sync: stops with AUTH_REQUIRED, keeps committed pages, completes after sign-in', async () => {
    await control(sandbox, 'POST', 'reset');
    const l = await laptop(sandbox, me.id);
    let pages = 0;
    const revoking = {
      send: async (request: Parameters<typeof l.transport.send>[0]) => {
        // A few pages into the pull (after the scope, the capability statement and the counts).
        if (!request.target.includes('_summary=count') && /_sort=_lastUpdated|_cursor=/.test(request.target)) pages += 1;
        if (pages === 3) await control(sandbox, 'POST', 'revoke', { token: l.token.value });
        return l.transport.send(request);
      },
    };
    await expect(l.sync({ transport: revoking, pageSize: 5 })).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    const partial = (await l.replica.patientsInReplica()).length;
    expect(partial).toBeGreaterThan(0);
    l.token.value = await tokenFor(sandbox, me.id);
    await l.sync();
    await expectReplicaEqualsServer(l, l.token.value);
    await l.close();
  });

  it('tampered ciphertext is quarantined, then re-fetched by the next sync', async () => {
    await control(sandbox, 'POST', 'reset');
    const token = await tokenFor(sandbox, me.id);
    const name = `tamper-${randomUUID()}`;
    let l = await laptop(sandbox, me.id, name);
    await l.sync();
    const patient = `Patient/${me.patients[0] as string}`;
    const victim = (await l.replica.resourcesOfPatient(patient)).find((e) => e.resourceType === 'Condition');
    await l.close();
    const db = resourcesDb(name);
    const [victimId] = await rowIdsIn(name, await sharedVault(), victim?.ref as string);
    const row = await rawGet(db, victimId!);
    expect(row).toBeDefined();
    await rawPut(db, { ...row, body: flipBit(row?.['body'] as string) });
    const reopened = await openReplica({ name, crypto: webcrypto, vault: await sharedVault() });
    expect((await reopened.getResource(victim?.ref as string))?.resource).toBeNull();
    expect(await reopened.quarantined()).toContain(victim?.ref);
    await reopened.close();
    l = await laptop(sandbox, me.id, name);
    const report = await l.sync();
    expect(report.refetched).toBeGreaterThanOrEqual(1);
    expect((await l.replica.getResource(victim?.ref as string))?.resource).toMatchObject({ resourceType: 'Condition' });
    expect(await l.replica.quarantined()).toEqual([]);
    await expectReplicaEqualsServer(l, token);
    await l.close();
  });
});
