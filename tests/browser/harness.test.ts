import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser } from './bundle.ts';
import { findOnDisk } from './disk-scan.ts';
import { openHarnessPage, parseOrigin } from './harness-page.ts';
import { remote } from './rpc.ts';
import type { SmokeApi, VaultSecrets } from './smoke.page.ts';

/**
 * The harness itself: the real encrypted replica in real Chromium, across a browser restart, with
 * nothing of a patient's name on disk. The origin is a plain local server that answers 404 to
 * everything but /hello: the harness page is routed by Playwright, other paths reach the server.
 */
let server: Server;
let origin: string;
let script: string;
let profile: string;

/** Letters only, unlike anything else in the profile: a surname nobody has. */
const canary = (): string => `Zq${randomBytes(12).toString('hex').replace(/[0-9]/g, (d) => 'gjkmpqvwxy'[Number(d)] ?? 'z')}`;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/hello') response.writeHead(200, { 'content-type': 'text/plain' }).end('hello from the server');
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  script = await bundleForBrowser('tests/browser/smoke.page.ts');
  profile = await mkdtemp(join(tmpdir(), 'relais-harness-'));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(profile, { recursive: true, force: true });
});

describe('browser harness', () => {
  it('refuses an origin with a path', () => {
    expect(() => parseOrigin('http://127.0.0.1:1/app')).toThrow(/scheme:\/\/host/);
  });

  it('serves the page same-origin with the server, whose other paths stay reachable', async () => {
    const harness = await openHarnessPage({ origin, script });
    try {
      expect(await remote<SmokeApi>(harness.page).call('fetchText', '/hello')).toBe('200 hello from the server');
    } finally {
      await harness.close();
    }
  });

  it('converts base64url with Chromium’s own Uint8Array base64, exactly as the portable code does', async () => {
    const harness = await openHarnessPage({ origin, script });
    try {
      expect(await remote<SmokeApi>(harness.page).call('base64Agrees')).toEqual({ native: true, compared: 97 * 20, mismatches: 0 });
    } finally {
      await harness.close();
    }
  });

  it('keeps encrypted resources across a browser restart, and no name in clear on disk', async () => {
    const family = canary();
    const control = canary();

    const first = await openHarnessPage({ origin, script, userDataDir: profile });
    let secrets: VaultSecrets;
    try {
      const api = remote<SmokeApi>(first.page);
      secrets = await api.call('newVault');
      expect(await api.call('writeResources', secrets, family)).toBe(10);
      await api.call('writeInClear', control);
    } finally {
      await first.close();
    }

    const second = await openHarnessPage({ origin, script, userDataDir: profile });
    try {
      const read = await remote<SmokeApi>(second.page).call('readResources', secrets, family);
      expect(read.refs).toHaveLength(10);
      expect(read.refs).toContain('Patient/smoke-1');
      expect(read.families).toEqual([family]);
      expect(read.found).toEqual(['Patient/smoke-1']);
    } finally {
      await second.close();
    }

    // The control proves the scan sees IndexedDB's files: the same value in clear is found there.
    const controlHits = await findOnDisk(profile, control);
    expect(controlHits.some((hit) => hit.file.includes('IndexedDB'))).toBe(true);
    expect(await findOnDisk(profile, family)).toEqual([]);
  });
});
