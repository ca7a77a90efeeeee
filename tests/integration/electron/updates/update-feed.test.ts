/**
 * The update feed and download (issue 16, point 1) against a real local update server over HTTP
 * (the layout electron-builder's "generic" publisher writes and IT serves). electron-updater itself
 * needs the Electron runtime, which cannot run here: what it does after "ready" (the platform
 * signature check, the install) is for a signed release to prove.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadUpdate, readFeed, updateOffer, updatePolicySchema, type UpdateFeed } from '../../../../electron/updates/update-feed';

const installer = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
const sha512 = createHash('sha512').update(installer).digest('base64');
const yaml = (version: string, extra = '') => `version: ${version}\nfiles:\n  - url: Relais-${version}.AppImage\n    sha512: ${sha512}\n    size: ${installer.length}\nreleaseDate: '2026-12-05T08:00:00.000Z'\n${extra}`;

let server: Server;
let base = '';
/** What the server answers, by path; `cut` answers half the installer, then drops the connection. */
const routes = new Map<string, { status?: number; body?: string | Buffer; cut?: boolean; redirect?: string }>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const route = routes.get(request.url ?? '');
    if (route === undefined) {
      response.writeHead(404).end();
      return;
    }
    if (route.redirect !== undefined) {
      response.writeHead(302, { location: route.redirect }).end();
      return;
    }
    if (route.cut === true) {
      response.writeHead(200, { 'content-length': String(installer.length) });
      response.write(installer.subarray(0, installer.length / 2), () => response.destroy());
      return;
    }
    response.writeHead(route.status ?? 200).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/relais`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const policy = (more: Record<string, unknown> = {}) => updatePolicySchema.parse({ feedUrl: base, ...more });

describe('the update feed IT hosts', () => {
  it('reads the channel’s feed for the platform (stable: latest-linux.yml, early: early-linux.yml)', async () => {
    routes.set('/relais/latest-linux.yml', { body: yaml('1.3.0') });
    routes.set('/relais/early-linux.yml', { body: yaml('1.4.0-beta.2') });
    expect((await readFeed(policy(), 'linux')).version).toBe('1.3.0');
    expect((await readFeed(policy({ channel: 'early' }), 'linux')).version).toBe('1.4.0-beta.2');
  });

  it('refuses a feed that is malformed, unreachable, or redirected elsewhere', async () => {
    routes.set('/relais/latest-linux.yml', { body: 'version: [oops' });
    await expect(readFeed(policy(), 'linux')).rejects.toMatchObject({ reason: 'malformed' });
    routes.set('/relais/latest-linux.yml', { body: 'version: 1.3.0\nfiles: []\n' });
    await expect(readFeed(policy(), 'linux')).rejects.toMatchObject({ reason: 'malformed' });
    routes.set('/relais/latest-linux.yml', { status: 500, body: '' });
    await expect(readFeed(policy(), 'linux')).rejects.toMatchObject({ reason: 'unreachable' });
    routes.set('/relais/latest-linux.yml', { redirect: 'https://evil.example/latest-linux.yml' });
    await expect(readFeed(policy(), 'linux')).rejects.toMatchObject({ reason: 'unreachable' });
  });

  it('a policy’s feed must be https (or this computer), without credentials', () => {
    expect(() => updatePolicySchema.parse({ feedUrl: 'http://updates.example.org/relais' })).toThrow();
    expect(() => updatePolicySchema.parse({ feedUrl: 'https://user:pw@updates.example.org/relais' })).toThrow();
    expect(updatePolicySchema.parse({ feedUrl: 'https://updates.example.org/relais' })).toEqual({ feedUrl: 'https://updates.example.org/relais', channel: 'stable', enabled: true });
  });
});

describe('which update is offered', () => {
  const feed = (version: string, stagingPercentage?: number): UpdateFeed => ({ version, files: [{ url: `Relais-${version}.AppImage`, sha512, size: installer.length }], ...(stagingPercentage === undefined ? {} : { stagingPercentage }) });

  it('a newer version, unless IT turned updates off or pinned another version; never the same or an older one', () => {
    expect(updateOffer(policy(), feed('1.3.0'), '1.2.9', 'install-a')).toMatchObject({ offered: true, version: '1.3.0' });
    expect(updateOffer(policy(), feed('1.2.9'), '1.2.9', 'install-a')).toEqual({ offered: false, why: 'current' });
    expect(updateOffer(policy(), feed('1.2.0'), '1.2.9', 'install-a')).toEqual({ offered: false, why: 'current' });
    expect(updateOffer(policy(), feed('1.3.0-beta.1'), '1.3.0', 'install-a')).toEqual({ offered: false, why: 'current' });
    expect(updateOffer(policy({ enabled: false }), feed('1.3.0'), '1.2.9', 'install-a')).toEqual({ offered: false, why: 'disabled' });
    expect(updateOffer(policy({ pinnedVersion: '1.2.10' }), feed('1.3.0'), '1.2.9', 'install-a')).toEqual({ offered: false, why: 'pinned' });
    expect(updateOffer(policy({ pinnedVersion: '1.3.0' }), feed('1.3.0'), '1.2.9', 'install-a')).toMatchObject({ offered: true });
  });

  it('a staged rollout reaches about its share of installations, each always on the same side', () => {
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    const reached = ids.filter((id) => updateOffer(policy(), feed('1.3.0', 25), '1.2.9', id).offered).length;
    expect(reached / ids.length).toBeGreaterThan(0.2);
    expect(reached / ids.length).toBeLessThan(0.3);
    for (const id of ids.slice(0, 50)) expect(updateOffer(policy(), feed('1.3.0', 25), '1.2.9', id).offered).toBe(updateOffer(policy(), feed('1.3.0', 25), '1.2.9', id).offered);
    expect(ids.every((id) => !updateOffer(policy(), feed('1.3.0', 0), '1.2.9', id).offered)).toBe(true);
    expect(ids.every((id) => updateOffer(policy(), feed('1.3.0', 100), '1.2.9', id).offered)).toBe(true);
  });
});

describe('the download', () => {
  const file = { url: 'Relais-1.3.0.AppImage', sha512, size: installer.length };
  const folder = () => mkdtempSync(join(tmpdir(), 'relais-update-'));

  it('a complete file whose SHA-512 matches becomes ready, byte for byte', async () => {
    routes.set('/relais/Relais-1.3.0.AppImage', { body: installer });
    const into = join(folder(), 'Relais-1.3.0.AppImage');
    expect(await downloadUpdate(policy(), file, into)).toBe(into);
    expect(readFileSync(into).equals(installer)).toBe(true);
  });

  it('a cut, altered, oversized or redirected download, or one from another host, leaves nothing behind', async () => {
    const altered = Buffer.from(installer);
    altered[1000] = (altered[1000] as number) ^ 1;
    for (const [route, reason] of [
      [{ cut: true }, 'incomplete'],
      [{ body: altered }, 'checksum'],
      [{ body: Buffer.concat([installer, Buffer.from('more')]) }, 'incomplete'],
      [{ redirect: 'http://127.0.0.1:9/elsewhere' }, 'unreachable'],
    ] as const) {
      routes.set('/relais/Relais-1.3.0.AppImage', route);
      const dir = folder();
      const into = join(dir, 'Relais-1.3.0.AppImage');
      await expect(downloadUpdate(policy(), file, into), JSON.stringify(Object.keys(route))).rejects.toMatchObject({ reason });
      expect(existsSync(into)).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
    }
    await expect(downloadUpdate(policy(), { ...file, url: 'https://evil.example/Relais.AppImage' }, join(folder(), 'x'))).rejects.toMatchObject({ reason: 'insecure' });
  });
});
