/**
 * The sync engine and the encrypted replica in real Chromium (real IndexedDB), against the
 * sandbox over HTTP: initial sync, remote and local changes both ways, a browser restart on the
 * same profile, and no patient name in clear anywhere in the profile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { bundleForBrowser } from '../../browser/bundle.ts';
import { findOnDisk } from '../../browser/disk-scan.ts';
import { openHarnessPage } from '../../browser/harness-page.ts';
import { remote } from '../../browser/rpc.ts';
import type { ChromiumSyncApi, Secrets } from './chromium.page.ts';
import { hieActor, practitioners, serverRefs, startTestSandbox, tokenFor, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;
let script: string;
let profile: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  [me] = (await practitioners(sandbox)) as [Practitioner];
  script = await bundleForBrowser('tests/integration/sync/chromium.page.ts');
  profile = await mkdtemp(join(tmpdir(), 'relais-chromium-sync-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(profile, { recursive: true, force: true });
});

async function inChromium<T>(work: (api: ReturnType<typeof remote<ChromiumSyncApi>>) => Promise<T>): Promise<T> {
  const harness = await openHarnessPage({ origin: sandbox.url, script, userDataDir: profile });
  try {
    return await work(remote<ChromiumSyncApi>(harness.page));
  } finally {
    await harness.close();
  }
}

describe('sync in real Chromium', () => {
  it('syncs both ways, survives a browser restart, and leaves no name in clear on disk', async () => {
    const token = await tokenFor(sandbox, me.id);
    const hie = hieActor(sandbox, token);
    const patient = `Patient/${me.patients[0] as string}`;
    const family = ((await hie.read(patient))?.['name'] as Array<{ family: string }>)[0]?.family as string;
    const session = (secrets: Secrets) => ({ secrets, token, practitioner: `Practitioner/${me.id}` });

    const secrets = await inChromium(async (api) => {
      const s = await api.call('newVault');
      const report = await api.call('sync', session(s));
      expect(report.patients).toBe(me.patients.length);
      const server = [...(await serverRefs(sandbox, token))].filter((r) => !/^(Practitioner|Organization)\//.test(r)).sort();
      expect((await api.call('snapshot', s)).map(([ref]) => ref)).toEqual(server);
      expect(await api.call('search', s, family.toLowerCase().normalize('NFD').replace(/\p{M}/gu, ''))).toContain(patient);
      return s;
    });

    // Changes on the HIE while the browser is closed, and a local edit after it reopens.
    const created = await hie.call('POST', 'Condition', { resourceType: 'Condition', subject: { reference: patient }, code: { text: 'Seen in Chromium' } });
    const createdRef = `Condition/${String(created.body?.['id'])}`;
    const id = randomUUID();
    await inChromium(async (api) => {
      await api.call('sync', session(secrets));
      expect(await api.call('read', secrets, createdRef)).toMatchObject({ code: { text: 'Seen in Chromium' } });
      const pending = await api.call('edit', secrets, `Observation/${id}`, 'create', {
        resourceType: 'Observation', id, status: 'final', subject: { reference: patient }, code: { text: 'Chromium vitals' },
      }, patient);
      expect(pending).toBe(1);
    });
    // The edit survived the restart unsent, then reaches the HIE.
    await inChromium(async (api) => {
      const report = await api.call('sync', session(secrets));
      expect(report.push.sent).toBe(1);
    });
    expect(await hie.read(`Observation/${id}`)).toMatchObject({ code: { text: 'Chromium vitals' } });

    // Nothing of the patient's name anywhere in the profile's files.
    expect(await findOnDisk(profile, family)).toEqual([]);
  }, 180_000);

  it('a full disk: the sync stops with a storage error, nothing is lost, and once there is room it completes', async () => {
    const token = await tokenFor(sandbox, me.id);
    const hie = hieActor(sandbox, token);
    const patient = `Patient/${me.patients[0] as string}`;
    const harness = await openHarnessPage({ origin: sandbox.url, script });
    try {
      const api = remote<ChromiumSyncApi>(harness.page);
      // A small disk: Chromium's own quota, set through DevTools before the origin stores anything
      // (this Chromium reads it when the origin's storage first opens). IndexedDB writes past it
      // really fail, with QuotaExceededError.
      const cdp = await harness.context.newCDPSession(harness.page);
      const origin = new URL(sandbox.url).origin;
      const quota = 4 * 1024 * 1024;
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: quota });
      const secrets = await api.call('newVault');
      const session = { secrets, token, practitioner: `Practitioner/${me.id}` };
      // An edit made while there is room, not yet sent.
      const id = randomUUID();
      expect(await api.call('edit', secrets, `Observation/${id}`, 'create', {
        resourceType: 'Observation', id, status: 'final', subject: { reference: patient }, code: { text: 'Written before the disk filled' },
      }, patient)).toBe(1);

      // Something else fills the disk.
      const filled = await api.call('fillDisk');
      expect(filled.refusedWith).toBe('QuotaExceededError');
      // The sync stops, and the app knows it for a full disk (IndexedDB's QuotaExceededError
      // arrives wrapped in Dexie's AbortError): the status bar says to free space.
      const failed = await api.call('trySync', session);
      expect(failed).toMatchObject({ ok: false, storageFull: true });
      // A clinician's save is refused the same way, whole: nothing half-written.
      const other = randomUUID();
      expect(await api.call('tryEdit', secrets, `Observation/${other}`, { resourceType: 'Observation', id: other, status: 'final', subject: { reference: patient }, code: { text: 'No room' } }, patient)).toMatchObject({ ok: false, storageFull: true });

      // Nothing lost: the replica still opens, and the edit is either still waiting or already on the HIE.
      const onHie = (await hie.call('GET', `Observation/${id}`)).status;
      const pending = await api.call('pending', secrets);
      if (onHie !== 200) expect(pending).toBe(1);
      expect((await api.call('snapshot', secrets)).some(([ref]) => ref === `Observation/${id}`)).toBe(true);

      // Room again: the next sync completes, the replica is the server's view, the edit is there once.
      await api.call('freeDisk');
      expect(await api.call('trySync', session)).toEqual({ ok: true });
      const server = [...(await serverRefs(sandbox, token))].filter((r) => !/^(Practitioner|Organization)\//.test(r)).sort();
      expect((await api.call('snapshot', secrets)).map(([ref]) => ref)).toEqual(server);
      expect(await hie.read(`Observation/${id}`)).toMatchObject({ code: { text: 'Written before the disk filled' } });
      const copies = (await hie.search(`Observation?subject=${patient}&_count=500`)).filter((o) => JSON.stringify(o['code']).includes('Written before the disk filled'));
      expect(copies.length).toBe(1);
      expect(await api.call('pending', secrets)).toBe(0);
      console.info(`full disk: quota ${quota} bytes, ${filled.bytes} of ballast until full; the first sync failed with ${failed.ok ? '' : `${failed.name} (read as a full disk)`}; the edit was ${onHie === 200 ? 'already on the HIE' : 'still waiting'} after it (${pending} pending)`);
    } finally {
      await harness.close();
    }
  }, 180_000);
});
