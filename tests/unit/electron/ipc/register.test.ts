import { describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../../../shared/ipc/contract';
import { wireChannel } from '../../../../shared/ipc/wire';
import { CodedError } from '../../../../electron/ipc/coded-error';
import {
  dispatch,
  isTrustedSender,
  registerIpcHandlers,
  type IpcHandlers,
  type InvokeEventLike,
} from '../../../../electron/ipc/register';
import type { Logger } from '../../../../electron/log/logger';

const mainFrame = { url: 'relais://app/index.html', parent: null };
const fromApp: InvokeEventLike = { senderFrame: mainFrame, sender: { mainFrame } };

const silentLog = (): Logger & { lines: string[] } => {
  const lines: string[] = [];
  const push = (m: string, f?: object) => lines.push(JSON.stringify({ m, ...f }));
  return { lines, info: push, warn: push, error: push };
};

const handlers = (overrides: Partial<IpcHandlers> = {}): IpcHandlers => ({
  getAppInfo: async () => ({ name: 'Relais', version: '1.0.0', platform: 'linux' }),
  getDisplayPolicy: async () => ({ identifierPriority: null, messageAttachmentMaxBytes: null, imagingViewerUrl: null, linkIdentifierSystems: null, idleLockMaxMinutes: null, idleLockDefaultMinutes: null, passphraseMinLength: null }),
  getLanguage: async () => 'fr',
  setLanguage: async () => null,
  openExternal: async () => null,
  getKeychainStatus: async () => ({ available: true }),
  openDataPort: async () => null,
  getSession: async () => null,
  signIn: async () => ({ practitioner: 'Practitioner/pr1', fhirBase: 'https://hie.example/fhir' }),
  signOut: async () => null,
  newVaultSalt: async () => ({ salt: 'A'.repeat(22) }),
  deriveVaultKey: async () => ({ kek: 'A'.repeat(43) }),
  getAuditAnchor: async () => null,
  anchorAudit: async () => ({ replica: 'relais-0000000000000000', seq: 1, hash: '0'.repeat(64) }),
  hieRequest: async () => ({ status: 200, headers: {}, body: null }),
  eraseDeviceSecrets: async () => null,
  eraseLocalData: async () => null,
  getSources: async () => [],
  getSourceSession: async () => null,
  signInSource: async () => ({ practitioner: 'Practitioner/pr1', fhirBase: 'https://other.example/fhir' }),
  signOutSource: async () => null,
  getSourceLease: async () => ({ holds: true }),
  sourceHieRequest: async () => ({ status: 200, headers: {}, body: null }),
  getSourceAuditAnchor: async () => null,
  anchorSourceAudit: async () => ({ replica: 'relais-0000000000000000', seq: 1, hash: '0'.repeat(64) }),
  openSourceDataPort: async () => null,
  getUpdateStatus: async () => ({ state: 'off' }),
  reportWork: async () => ({ state: 'off' }),
  installUpdate: async () => ({ state: 'off' }),
  getSetup: async () => ({ state: 'ready' }),
  discoverHie: async ({ fhirBase }) => ({ fhirBase, name: null, software: null, fhirVersion: '4.0.1', identityProvider: 'https://id.example' }),
  confirmHie: async () => null,
  ...overrides,
});

describe('IPC sender guard', () => {
  it('accepts the main frame of our app:// page', () => {
    expect(isTrustedSender(fromApp)).toBe(true);
  });

  it('rejects a foreign origin in the main frame', async () => {
    for (const url of ['https://evil.example/index.html', 'file:///etc/passwd', 'relais://evil/index.html', 'relais://app:8080/', 'http://app/']) {
      const frame = { url, parent: null };
      const event = { senderFrame: frame, sender: { mainFrame: frame } };
      expect(isTrustedSender(event)).toBe(false);
      expect(await dispatch('getAppInfo', handlers().getAppInfo, event, [undefined], silentLog())).toEqual({
        ok: false,
        code: 'FORBIDDEN_SENDER',
      });
    }
  });

  it('rejects a sub-frame even when it claims our origin', async () => {
    const sub = { url: 'relais://app/index.html', parent: mainFrame };
    const event = { senderFrame: sub, sender: { mainFrame } };
    const handler = vi.fn(async () => ({ name: 'x', version: 'y', platform: 'linux' as const }));
    expect(await dispatch('getAppInfo', handler, event, [undefined], silentLog())).toEqual({ ok: false, code: 'FORBIDDEN_SENDER' });
    expect(handler).not.toHaveBeenCalled();
  });

  it('rejects a frame that is not the sender’s main frame, and a destroyed frame', async () => {
    const other = { url: 'relais://app/index.html', parent: null };
    expect(isTrustedSender({ senderFrame: other, sender: { mainFrame } })).toBe(false);
    expect(isTrustedSender({ senderFrame: null, sender: { mainFrame } })).toBe(false);
  });
});

describe('IPC request validation and envelopes', () => {
  it('rejects a malformed payload with BAD_REQUEST and never calls the handler', async () => {
    const setLanguage = vi.fn(async () => null);
    for (const bad of [{ language: 'de' }, { language: 'fr', extra: 1 }, 'fr', null, { language: ['fr'] }]) {
      expect(await dispatch('setLanguage', setLanguage, fromApp, [bad], silentLog())).toEqual({ ok: false, code: 'BAD_REQUEST' });
    }
    expect(await dispatch('openExternal', vi.fn(), fromApp, [{ url: 'x'.repeat(5000) }], silentLog())).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(await dispatch('getAppInfo', vi.fn(), fromApp, [undefined, 'smuggled'], silentLog())).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
    });
    expect(setLanguage).not.toHaveBeenCalled();
  });

  it('answers a valid request with {ok:true,value}', async () => {
    const setLanguage = vi.fn(async () => null);
    expect(await dispatch('setLanguage', setLanguage, fromApp, [{ language: 'en' }], silentLog())).toEqual({ ok: true, value: null });
    expect(setLanguage).toHaveBeenCalledWith({ language: 'en' });
  });

  it('turns a handler exception into INTERNAL without its message, and logs no message either', async () => {
    const log = silentLog();
    const secret = 'Patient DUPONT Hélène 1 84 12 75 123 456 78';
    const answer = await dispatch('getLanguage', async () => { throw new Error(secret); }, fromApp, [undefined], log);
    expect(answer).toEqual({ ok: false, code: 'INTERNAL' });
    expect(JSON.stringify(answer)).not.toContain('DUPONT');
    expect(Object.keys(answer).sort()).toEqual(['code', 'ok']);
    expect(log.lines.join('\n')).not.toContain('DUPONT');
    expect(log.lines.join('\n')).toContain('Error');
  });

  it('answers a named failure with its code', async () => {
    const answer = await dispatch('openExternal', async () => { throw new CodedError('EXTERNAL_URL_REFUSED'); }, fromApp, [{ url: 'https://x.test' }], silentLog());
    expect(answer).toEqual({ ok: false, code: 'EXTERNAL_URL_REFUSED' });
  });

  it('a thrown non-Error value still becomes INTERNAL', async () => {
    const answer = await dispatch('getLanguage', () => Promise.reject('raw string with data'), fromApp, [undefined], silentLog());
    expect(answer).toEqual({ ok: false, code: 'INTERNAL' });
  });
});

describe('registerIpcHandlers', () => {
  it('registers exactly one prefixed channel per contract entry, each going through the guard', async () => {
    const registered = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
    registerIpcHandlers(
      { handle: (channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>) => registered.set(channel, listener) },
      handlers(),
      silentLog(),
    );
    expect([...registered.keys()].sort()).toEqual(channelNames.map(wireChannel).sort());
    const foreign = { url: 'https://evil.example/', parent: null };
    for (const listener of registered.values()) {
      expect(await listener({ senderFrame: foreign, sender: { mainFrame: foreign } }, undefined)).toEqual({
        ok: false,
        code: 'FORBIDDEN_SENDER',
      });
    }
    expect(await registered.get('relais:getLanguage')?.(fromApp)).toEqual({ ok: true, value: 'fr' });
  });
});
