/**
 * The keytar SecretStore against a real Secret Service: GNOME Keyring on a private D-Bus session,
 * started by `npm test` (tests/tools/with-keyring.sh). No test double anywhere in this file.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeytarSecretStore } from '../../../../electron/secrets/keytar-store';

const service = `Relais-test-${randomUUID()}`;
const store = createKeytarSecretStore(service);

afterAll(async () => {
  for (const account of await store.list().catch(() => [])) await store.delete(account);
});

describe('keytar SecretStore on a real Secret Service', () => {
  it('runs inside the test keyring session', () => {
    expect(process.env['DBUS_SESSION_BUS_ADDRESS'], 'run through `npm test`, which starts the keyring').toBeTruthy();
    expect(process.env['RELAIS_TEST_KEYRING']).toBe('1');
  });

  it('sets, gets, overwrites, lists and deletes a secret', async () => {
    expect(await store.get('device-secret')).toBeNull();
    await store.set('device-secret', 'first value');
    expect(await store.get('device-secret')).toBe('first value');
    await store.set('device-secret', 'second value');
    expect(await store.get('device-secret')).toBe('second value');
    await store.set('refresh-token', 'rt');
    expect(await store.list()).toEqual(['device-secret', 'refresh-token']);
    expect(await store.delete('device-secret')).toBe(true);
    expect(await store.delete('device-secret')).toBe(false);
    expect(await store.get('device-secret')).toBeNull();
    expect(await store.list()).toEqual(['refresh-token']);
  });

  it('keeps services apart', async () => {
    const other = createKeytarSecretStore(`${service}-other`);
    await other.set('device-secret', 'other');
    expect(await store.get('device-secret')).toBeNull();
    expect(await other.delete('device-secret')).toBe(true);
  });
});

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

type NoKeyringCase = Readonly<{ name: string; bus: (scratch: string) => string | undefined; wrap: string[] }>;
const noKeyringCases: NoKeyringCase[] = [
  { name: 'no session bus at all', bus: () => undefined, wrap: [] },
  { name: 'a bus address where nothing listens', bus: (s) => `unix:path=${join(s, 'no-bus')}`, wrap: [] },
  { name: 'a session bus with no Secret Service on it', bus: () => undefined, wrap: ['dbus-run-session', '--'] },
];

describe('without a Secret Service', () => {
  it.each(noKeyringCases)('$name: fails with KEYCHAIN_UNAVAILABLE telling IT what to install, and writes the secret nowhere', async ({ bus, wrap }) => {
    const scratch = mkdtempSync(join(tmpdir(), 'relais-nokeyring-'));
    for (const d of ['home', 'data', 'config', 'cache', 'run']) mkdirSync(join(scratch, d), { mode: 0o700 });
    // The probe sits in the repository so that it resolves the real keytar from node_modules.
    mkdirSync('.cache', { recursive: true });
    const probe = join(mkdtempSync(join(process.cwd(), '.cache', 'keychain-probe-')), 'probe.mjs');
    await build({
      stdin: {
        contents: `
          import { createKeytarSecretStore } from ${JSON.stringify(join(process.cwd(), 'electron/secrets/keytar-store.ts'))};
          const store = createKeytarSecretStore('Relais');
          try { await store.set('device-secret', process.env.PROBE_SECRET); console.log(JSON.stringify({ stored: true })); }
          catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }
        `,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: probe,
      external: ['keytar'],
      logLevel: 'silent',
    });
    const secret = `canary-${randomUUID()}`;
    const [command = process.execPath, ...args] = [...wrap, process.execPath, probe];
    const address = bus(scratch);
    const child = spawnSync(command, args, {
      cwd: join(scratch, 'home'),
      timeout: 30_000,
      encoding: 'utf8',
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: join(scratch, 'home'),
        XDG_DATA_HOME: join(scratch, 'data'),
        XDG_CONFIG_HOME: join(scratch, 'config'),
        XDG_CACHE_HOME: join(scratch, 'cache'),
        XDG_RUNTIME_DIR: join(scratch, 'run'),
        ...(address === undefined ? {} : { DBUS_SESSION_BUS_ADDRESS: address }),
        PROBE_SECRET: secret,
      },
    });
    const answer = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, string>;
    expect(answer, child.stderr).toMatchObject({ name: 'SecretStoreError', code: 'KEYCHAIN_UNAVAILABLE' });
    expect(answer['message']).toMatch(/gnome-keyring/);
    expect(answer['message']).toMatch(/never stores secrets in clear/);
    expect(answer['message']).not.toContain(secret);
    // Nothing under the scratch home (or anywhere in it) holds the secret.
    for (const file of filesUnder(scratch)) expect(readFileSync(file, 'latin1').includes(secret), file).toBe(false);
  });
});
