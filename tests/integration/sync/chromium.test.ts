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
});
