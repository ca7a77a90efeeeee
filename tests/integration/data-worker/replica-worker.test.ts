/**
 * The data side in its own worker (issue 12): the encrypted replica — RxDB on Dexie, IndexedDB,
 * WebCrypto — opened, written and read inside a dedicated module Worker in real Chromium, under the
 * app's CSP, reached only through the port protocol; and the worker killed in the middle of a
 * write: what it had committed is whole and readable by the next worker, the rest is absent (the
 * sync fetches it again from its checkpoint), nothing is quarantined.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../browser/bundle.ts';
import { openHarnessPage, type HarnessPage } from '../../browser/harness-page.ts';
import { remote } from '../../browser/rpc.ts';
import type { ReplicaWorkerPageApi } from './replica-worker.page.ts';

let server: Server;
let origin = '';
let page: string;
let worker: string;
let profile: string;
const passphrase = 'correct horse battery staple';

beforeAll(async () => {
  // An origin for the harness to live at (its pages are served by Playwright's routing).
  server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  page = await bundleForBrowser('tests/integration/data-worker/replica-worker.page.ts');
  worker = await bundleForBrowser('tests/integration/data-worker/replica.worker.ts');
  profile = await mkdtemp(join(tmpdir(), 'relais-data-worker-'));
}, 120_000); // two bundles with RxDB: 20 s at worst with both cores loaded
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await rm(profile, { recursive: true, force: true });
});

const observation = (i: number, patient: string) => ({
  resource: {
    resourceType: 'Observation',
    id: `o${i}`,
    meta: { versionId: '1', lastUpdated: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() },
    status: 'final',
    code: { text: `Glycémie ${i}` },
    subject: { reference: patient },
  },
  patient,
});
const pagesOf = (from: number, pages: number, size: number) =>
  Array.from({ length: pages }, (_, p) => Array.from({ length: size }, (_, i) => observation(from + p * size + i, `Patient/p${(p * size + i) % 7}`)));

async function withHarness<T>(work: (api: ReturnType<typeof remote<ReplicaWorkerPageApi>>, harness: HarnessPage) => Promise<T>): Promise<T> {
  const harness = await openHarnessPage({ origin, script: page, files: { '/__relais_worker.js': worker }, userDataDir: profile });
  try {
    return await work(remote<ReplicaWorkerPageApi>(harness.page), harness);
  } finally {
    await harness.close();
  }
}

describe('the replica in a dedicated module worker, in Chromium', { timeout: 180_000 }, () => {
  it('opens, writes and reads inside the worker; killed mid-write, it keeps whole pages only', async () => {
    const secrets = await withHarness(async (api) => {
      await api.call('start');
      const vault = (await api.call('call', 'newVault', { passphrase })) as { deviceSecret: string; record: unknown };
      expect(await api.call('call', 'open', { name: 'relais-worker-proof', ...vault, passphrase })).toEqual({ where: 'worker' });
      expect(await api.call('hasDocument')).toBe(true); // the page has one; the worker said it has none
      expect(await api.call('call', 'put', { pages: pagesOf(0, 2, 50) })).toEqual({ pages: 2 });
      expect(await api.call('call', 'read', { ref: 'Observation/o42' })).toMatchObject({ code: { text: 'Glycémie 42' }, subject: { reference: 'Patient/p0' } });
      // Off the contract: refused in the worker, whatever the page sends.
      expect(await api.call('call', 'read', { ref: 'Observation/../../x' })).toEqual({ failed: 'BAD_REQUEST' });

      // Killed while writing 40 pages of 50, as soon as 3 are stored.
      const killed = await api.call('killDuringPut', pagesOf(100, 40, 50), 3);
      expect(killed.answer).toEqual({ failed: 'PORT_CLOSED' });
      expect(killed.storedWhenKilled).toBeGreaterThanOrEqual(3);
      expect(killed.storedWhenKilled).toBeLessThan(40);
      return { ...vault, storedWhenKilled: killed.storedWhenKilled };
    });

    // A new browser on the same profile, a new worker: every committed page whole, nothing torn.
    await withHarness(async (api) => {
      await api.call('start');
      await api.call('call', 'open', { name: 'relais-worker-proof', deviceSecret: secrets.deviceSecret, record: secrets.record, passphrase });
      const refs = (await api.call('call', 'refs', { type: 'Observation' })) as string[];
      const ids = refs.map((ref) => Number(ref.slice('Observation/o'.length))).sort((a, b) => a - b);
      const afterKill = ids.filter((id) => id >= 100);
      // Whole pages of 50 only, at least those stored before the kill, each one readable.
      expect(afterKill.length % 50).toBe(0);
      expect(afterKill.length).toBeGreaterThanOrEqual(secrets.storedWhenKilled * 50);
      expect(afterKill).toEqual(Array.from({ length: afterKill.length }, (_, i) => 100 + i));
      expect(ids.filter((id) => id < 100)).toHaveLength(100);
      expect(await api.call('call', 'read', { ref: `Observation/o${99 + afterKill.length}` })).toMatchObject({ code: { text: `Glycémie ${99 + afterKill.length}` } });
      expect(await api.call('call', 'quarantined', {})).toEqual([]);
      await api.call('call', 'close', {});
    });
  });
});
