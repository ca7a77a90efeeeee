/**
 * Another FHIR source's sync while locked (issue 15): two sandboxes (the HIE, and a hospital that
 * holds some of the same patients under other ids), the real session controller, the real data
 * sides and locked sync sides (over MessageChannels, as in their workers), replicas and inboxes on
 * fake-indexeddb, real tokens over HTTP. At lock, the hospital's sync goes on sealed into its own
 * inbox; at unlock its replica folds it in; the HIE's replica never holds the hospital's records.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFetchTransport } from '../../../shared/hie/fetch-transport';
import { readOnlySourceScope } from '../../../shared/exchange/source-policy';
import { clientResourceScopes } from '../../../shared/sync/client-scope';
import type { SessionView } from '../../../renderer/app/session-store';
import type { OtherSources } from '../../../renderer/app/other-sources';
import { inboxDatabaseName } from '../../../renderer/db/inbox';
import type { HieSession, OtherSourceSession } from '../../../renderer/host/host';
import { localAuditAnchor } from '../../../renderer/host/local-audit-anchor';
import type { Sandbox } from '../../../sandbox/server.ts';
import { memoryStorage, testHost } from '../../support/test-platform';
import { startTwinSandboxes } from '../sandbox/support';
import { hieActor, lockableDevice, practitioners, rawText, tokenFor, until, webcrypto, type Practitioner } from './support';

let hie: Sandbox;
let hospital: Sandbox;
let atHie: Practitioner;
let atHospital: Practitioner;

beforeAll(async () => {
  ({ hie, hospital } = await startTwinSandboxes({ patients: 4, resourcesPerPatient: 12, practitioners: 1 }));
  [atHie] = (await practitioners(hie)) as [Practitioner];
  [atHospital] = (await practitioners(hospital)) as [Practitioner];
}, 60_000);
afterAll(async () => {
  await hie?.close();
  await hospital?.close();
});

const passphrase = 'Les goélands au-dessus du port de Douarnenez';

const sourcesOf = (view: SessionView): OtherSources => {
  if (view.kind !== 'unlocked') throw new Error(`not unlocked: ${view.kind}`);
  return view.sources;
};

describe('another source’s sync while locked', { timeout: 120_000 }, () => {
  it('goes on sealed in that source’s own inbox, is folded into that source’s replica at unlock, and never reaches the HIE’s', async () => {
    const hieToken = await tokenFor(hie, atHie.id, clientResourceScopes.join(' '));
    const hospitalToken = await tokenFor(hospital, atHospital.id, readOnlySourceScope);
    const transportTo = (sandbox: Sandbox, token: string) => createFetchTransport({ fhirBase: sandbox.fhirBase, tokens: { accessToken: () => token, refresh: async () => false }, fetch, timeoutMs: 10_000 });
    const me: HieSession = { practitioner: `Practitioner/${atHie.id}`, fhirBase: hie.fhirBase };
    const meThere: HieSession = { practitioner: `Practitioner/${atHospital.id}`, fhirBase: hospital.fhirBase };
    const signOutThere = vi.fn(async () => undefined);
    const anchorThere = localAuditAnchor(memoryStorage(), webcrypto, 'ch-sud');
    const hospitalSession: OtherSourceSession = {
      session: async () => meThere,
      signIn: async () => meThere,
      signOut: signOutThere,
      fhirTransport: () => transportTo(hospital, hospitalToken),
      auditAnchor: () => anchorThere,
      dataPort: async () => null,
      leaseHolds: async () => true,
    };
    const host = testHost(
      { session: me, signIn: me, transport: transportTo(hie, hieToken) },
      { otherSources: async () => [{ id: 'ch-sud', label: 'CH Sud', fhirBase: hospital.fhirBase }], otherSource: (id) => (id === 'ch-sud' ? hospitalSession : null) },
    );
    const { store, vaults, controller } = lockableDevice(host);

    await controller.start();
    await controller.choosePassphrase(passphrase);
    await until('the HIE’s first sync', () => store.getState().initialSyncDone, (done) => done);
    await sourcesOf(store.getState().view).signIn('ch-sud');
    const firstAtHospital = await until('the hospital’s first sync', () => sourcesOf(store.getState().view).views.getState().sources[0]?.status, (s) => s?.lastSuccessAt !== null && s?.lastSuccessAt !== undefined && s.phase === 'idle');
    expect(firstAtHospital?.error ?? null).toBeNull();
    const entry = await vaults.read();
    const hospitalReplica = entry?.sources?.[0]?.replicaName as string;
    expect(hospitalReplica).toMatch(/^relais-/);

    await controller.lock('manual');
    const caughtUp = await until('the hospital’s locked sync caught up', () => store.getState().lockedSources[0], (p) => p?.state === 'caught-up');
    expect(caughtUp).toMatchObject({ id: 'ch-sud', label: 'CH Sud' });
    const before = caughtUp?.received ?? 0;

    // While locked, the hospital amends an observation (another of its staff, with a write token).
    const writer = hieActor(hospital, await tokenFor(hospital, atHospital.id));
    const observation = (await writer.search(`Observation?patient=${atHospital.patients[0] as string}&_count=1`))[0] as Record<string, unknown>;
    const observationRef = `Observation/${observation['id'] as string}`;
    const marker = `Canary-hospital-${crypto.randomUUID()}`;
    expect((await writer.call('PUT', observationRef, { ...observation, note: [{ text: marker }] })).status).toBe(200);
    await until('the hospital’s locked sync received it', () => store.getState().lockedSources[0], (p) => (p?.received ?? 0) > before && p?.state === 'caught-up');

    // Sealed in the hospital's own inbox: nothing readable there; the HIE's inbox got none of it.
    const sealed = await rawText(inboxDatabaseName(hospitalReplica));
    expect(sealed.length).toBeGreaterThan(200);
    expect(sealed).not.toContain(marker);
    expect(sealed).not.toContain('Observation');
    expect(await rawText(inboxDatabaseName(entry?.replicaName as string))).not.toContain(marker);

    // Unlock: the locked syncs end; the hospital's replica opens and folds its inbox in.
    await controller.unlock(passphrase);
    expect(store.getState().lockedSources).toEqual([]);
    const sources = sourcesOf(store.getState().view);
    await until('the hospital’s replica open', () => sources.workspaces().get('ch-sud'), (w) => w !== undefined);
    const folded = await until(
      'the amended observation in the hospital’s replica',
      async () => (await sources.workspaces().get('ch-sud')?.replica.getResource(observationRef)) ?? null,
      (resource) => (resource?.resource as { note?: Array<{ text: string }> } | undefined)?.note?.[0]?.text === marker,
    );
    expect(folded?.ref).toBe(observationRef);
    // The HIE's replica holds none of the hospital's records.
    const view = store.getState().view;
    if (view.kind !== 'unlocked') throw new Error('not unlocked');
    expect(await view.workspace.replica.getResource(observationRef)).toBeNull();
    expect(signOutThere).not.toHaveBeenCalled();
    await controller.lock('manual');
  });
});
