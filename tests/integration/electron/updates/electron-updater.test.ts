/**
 * Updates (issue 16, point 1) with the real electron-updater, against a local update server over
 * HTTP in the layout electron-builder's "generic" publisher writes and IT serves. The updater is
 * electron-updater's deb updater (what a Linux .deb install runs), given an app adapter and a Node
 * HTTP client instead of Electron's, since the Electron runtime cannot run here. Its install step
 * (dpkg, NSIS, Squirrel.Mac) and the platform signature checks are for a signed release to prove:
 * here `installNow` is recorded instead of run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updatePolicySchema } from '../../../../electron/updates/update-policy';
import { createUpdateService, type UpdaterPort } from '../../../../electron/updates/update-service';
import { debUpdaterFor, feedYaml as yaml, installer, startUpdateServer, type Route } from '../../../support/update-server';

let server: Awaited<ReturnType<typeof startUpdateServer>>;
let routes: Map<string, Route>;
let asked: string[];
beforeAll(async () => {
  server = await startUpdateServer();
  ({ routes, asked } = server);
});
afterAll(() => server.close());

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const updaterFor = (more: Record<string, unknown> = {}) => debUpdaterFor(server.feedUrl, more);

/** The port with its last step recorded instead of run (it would call dpkg). */
function recorded(port: UpdaterPort) {
  const installs: number[] = [];
  return { installs, port: { ...port, installNow: () => void installs.push(Date.now()) } satisfies UpdaterPort };
}

const debsIn = (folder: string): string[] => (existsSync(folder) ? readdirSync(folder).filter((name) => name.endsWith('.deb')) : []);
const clear = { unsentEntries: 0, syncWriting: false, unsavedInput: false };

describe('looking for an update on IT’s feed', () => {
  it('finds the channel’s version for this platform (stable: latest-linux.yml, early: early-linux.yml)', async () => {
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0') });
    routes.set('/relais/early-linux.yml', { body: yaml('1.4.0-beta.2') });
    expect(await updaterFor().port.check()).toBe('1.3.0');
    expect(await updaterFor({ channel: 'early' }).port.check()).toBe('1.4.0-beta.2');
    expect(asked).toContain('/relais/latest-linux.yml');
    expect(asked).toContain('/relais/early-linux.yml');
  });

  it('never the same or an older version; a pinned version only; nothing when the rollout has not reached this installation', async () => {
    routes.set('/relais/latest-linux.yml', { body: yaml('1.2.9') });
    expect(await updaterFor().port.check()).toBeNull();
    routes.set('/relais/latest-linux.yml', { body: yaml('1.2.0') });
    expect(await updaterFor().port.check()).toBeNull();
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0') });
    expect(await updaterFor({ pinnedVersion: '1.2.10' }).port.check()).toBeNull();
    expect(await updaterFor({ pinnedVersion: '1.3.0' }).port.check()).toBe('1.3.0');
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0', 'stagingPercentage: 0\n') });
    expect(await updaterFor().port.check()).toBeNull();
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0', 'stagingPercentage: 100\n') });
    expect(await updaterFor().port.check()).toBe('1.3.0');
  });

  it('a feed naming a file on another server is not taken, and nothing is fetched from there', async () => {
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0', '', 'https://evil.example/Relais-1.3.0.deb') });
    const { port, pending } = updaterFor();
    expect(await port.check()).toBeNull();
    await expect(port.download()).rejects.toThrow();
    expect(debsIn(pending)).toEqual([]);
  });

  it('a malformed or unreachable feed is a failed check that installs nothing', async () => {
    for (const route of [{ body: 'version: [oops' }, { body: 'files: []\n' }, { status: 500, body: '' }]) {
      routes.set('/relais/latest-linux.yml', route);
      const { port, updater } = updaterFor();
      const updates = createUpdateService({ port, log });
      expect(await updates.check(), JSON.stringify(route)).toEqual({ state: 'failed' });
      updates.reportWork(clear);
      expect(updater.autoInstallOnAppQuit).toBe(false);
    }
  });

  it('IT’s feed must be https (or this computer), without credentials', () => {
    expect(() => updatePolicySchema.parse({ feedUrl: 'http://updates.example.org/relais' })).toThrow();
    expect(() => updatePolicySchema.parse({ feedUrl: 'https://user:pw@updates.example.org/relais' })).toThrow();
    expect(updatePolicySchema.parse({ feedUrl: 'https://updates.example.org/relais' })).toEqual({ feedUrl: 'https://updates.example.org/relais', channel: 'stable', enabled: true });
  });
});

describe('the download', () => {
  it('a complete file whose SHA-512 matches is ready, byte for byte', async () => {
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0') });
    routes.set('/relais/Relais-1.3.0.deb', { body: installer });
    const { port, pending } = updaterFor();
    const updates = createUpdateService({ port, log });
    expect(await updates.check()).toEqual({ state: 'ready', version: '1.3.0', waitingFor: ['unsent-entries', 'sync-writing', 'unsaved-input'] });
    const files = debsIn(pending);
    expect(files).toHaveLength(1);
    expect(readFileSync(join(pending, files[0] as string)).equals(installer)).toBe(true);
  });

  it('a cut, altered or oversized download fails, and nothing is ready to install', async () => {
    const altered = Buffer.from(installer);
    altered[1000] = (altered[1000] as number) ^ 1;
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0') });
    for (const route of [{ cut: true }, { body: altered }, { body: Buffer.concat([installer, Buffer.from('more')]) }]) {
      routes.set('/relais/Relais-1.3.0.deb', route);
      const { port, updater, pending } = updaterFor();
      const { port: watched, installs } = recorded(port);
      const updates = createUpdateService({ port: watched, log });
      expect(await updates.check(), JSON.stringify(Object.keys(route))).toEqual({ state: 'failed' });
      expect(debsIn(pending)).toEqual([]);
      updates.reportWork(clear);
      expect(updates.install()).toEqual({ state: 'failed' });
      expect(installs).toEqual([]);
      expect(updater.autoInstallOnAppQuit).toBe(false);
    }
  });
});

describe('when a downloaded update is installed', () => {
  it('never while entries are unsent, a sync writes or input is unsaved; the status says which; then at once, or at quit', async () => {
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0') });
    routes.set('/relais/Relais-1.3.0.deb', { body: installer });
    const { port, updater } = updaterFor();
    const { port: watched, installs } = recorded(port);
    let now = 1_000_000;
    const updates = createUpdateService({ port: watched, log, now: () => now, staleAfterMs: 180_000 });
    await updates.check();

    expect(updates.reportWork({ unsentEntries: 3, syncWriting: false, unsavedInput: false })).toEqual({ state: 'ready', version: '1.3.0', waitingFor: ['unsent-entries'] });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(updates.install()).toMatchObject({ waitingFor: ['unsent-entries'] });
    updates.reportWork({ unsentEntries: 0, syncWriting: true, unsavedInput: true });
    expect(updates.install()).toMatchObject({ waitingFor: ['sync-writing', 'unsaved-input'] });
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(installs).toEqual([]);

    expect(updates.reportWork(clear)).toEqual({ state: 'ready', version: '1.3.0', waitingFor: [] });
    expect(updater.autoInstallOnAppQuit).toBe(true);

    // A page that stopped reporting: its work is unknown, so nothing installs, not even at quit.
    now += 180_001;
    expect(updates.install()).toMatchObject({ waitingFor: ['unsent-entries', 'sync-writing', 'unsaved-input'] });
    updates.beforeQuit();
    expect(updater.autoInstallOnAppQuit).toBe(false);
    expect(installs).toEqual([]);

    updates.reportWork(clear);
    updates.install();
    expect(installs).toHaveLength(1);
  });

  it('with no update policy, or updates turned off, nothing is looked for', async () => {
    const before = asked.length;
    const updates = createUpdateService({ port: null, log });
    expect(await updates.check()).toEqual({ state: 'off' });
    expect(updates.reportWork(clear)).toEqual({ state: 'off' });
    expect(asked.length).toBe(before);
  });
});
