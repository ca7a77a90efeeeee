/**
 * main.ts wiring, with the electron module replaced by a recording double (in this test only):
 * the real Electron binary cannot run on CI machines. Each guard's behaviour has its own test;
 * this one proves main.ts actually installs them, in the order Electron needs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

type Recorded = { calls: string[]; [key: string]: unknown };

/** Electron's MessagePortMain, recording who listens and whether it was started. */
class FakePortMain {
  listeners = new Map<string, unknown[]>();
  started = false;
  on(event: string, listener: unknown) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  off() {}
  postMessage() {}
  start() {
    this.started = true;
  }
}

function fakeElectron(options: { gotLock: boolean; packaged?: boolean; switches?: string[] }) {
  const rec: Recorded = { calls: [] };
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((r) => { resolveReady = r; });
  const windows: Array<{ options: unknown; loaded: string[] }> = [];
  class BrowserWindow {
    loaded: string[] = [];
    webContents = { postMessage: vi.fn() };
    constructor(readonly options: unknown) {
      rec.calls.push('new BrowserWindow');
      windows.push(this);
    }
    once() {}
    on() {}
    show() {}
    isMinimized() { return false; }
    restore() {}
    focus() {}
    async loadURL(url: string) { this.loaded.push(url); rec.calls.push(`loadURL ${url}`); }
  }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    },
  };
  const channels: Array<{ port1: FakePortMain; port2: FakePortMain }> = [];
  class MessageChannelMain {
    port1 = new FakePortMain();
    port2 = new FakePortMain();
    constructor() {
      channels.push(this);
    }
  }
  const electron = {
    MessageChannelMain,
    app: {
      isPackaged: options.packaged ?? false,
      commandLine: { hasSwitch: (name: string) => (options.switches ?? []).includes(name) },
      exit: vi.fn((code: number) => rec.calls.push(`exit ${code}`)),
      setName: vi.fn((n: string) => rec.calls.push(`setName ${n}`)),
      getName: () => 'Relais',
      getVersion: () => '0.1.0',
      getAppPath: () => '/opt/relais/resources/app.asar',
      getPath: () => '/tmp/relais-user-data',
      enableSandbox: vi.fn(() => rec.calls.push('enableSandbox')),
      requestSingleInstanceLock: vi.fn(() => { rec.calls.push('requestSingleInstanceLock'); return options.gotLock; }),
      quit: vi.fn(() => rec.calls.push('quit')),
      on: vi.fn((event: string, listener: (...args: unknown[]) => void) => { appListeners.set(event, listener); }),
      whenReady: () => ready,
    },
    BrowserWindow,
    Menu: {
      setApplicationMenu: vi.fn((menu: unknown) => rec.calls.push(`setApplicationMenu ${menu === null ? 'null' : 'menu'}`)),
      buildFromTemplate: vi.fn((template: unknown) => ({ template })),
    },
    ipcMain: { handle: vi.fn() },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => rec.calls.push('registerSchemesAsPrivileged')),
      handle: vi.fn((scheme: string) => rec.calls.push(`protocol.handle ${scheme}`)),
    },
    session,
    shell: { openExternal: vi.fn(async () => {}) },
  };
  return { electron, rec, appListeners, windows, channels, fireReady: () => resolveReady(), session };
}

async function loadMain(gotLock: boolean, more: { packaged?: boolean; switches?: string[] } = {}) {
  vi.resetModules();
  const fake = fakeElectron({ gotLock, ...more });
  vi.doMock('electron', () => ({ ...fake.electron, default: fake.electron }));
  await import('../../../electron/main');
  return fake;
}

afterEach(() => {
  vi.doUnmock('electron');
});

// Each test imports main.ts afresh under mocks: 2.9 s at worst on a loaded machine.
describe('electron/main.ts wiring', { timeout: 15_000 }, () => {
  it('names the app Relais, forces the sandbox and registers the privileged scheme before ready', async () => {
    const { rec, electron } = await loadMain(true);
    expect(electron.app.setName).toHaveBeenCalledWith('Relais');
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    const [schemes] = electron.protocol.registerSchemesAsPrivileged.mock.calls[0] as unknown as [Array<{ scheme: string; privileges: Record<string, boolean> }>];
    expect(schemes[0]?.scheme).toBe('relais');
    expect(schemes[0]?.privileges['secure']).toBe(true);
    expect(rec.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(rec.calls.indexOf('new BrowserWindow') === -1 ? Infinity : rec.calls.indexOf('new BrowserWindow'));
  });

  it('quits at once, creating no window, when another instance holds the lock', async () => {
    const { rec, electron, fireReady, windows } = await loadMain(false);
    fireReady();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    expect(windows).toHaveLength(0);
    expect(rec.calls).not.toContain('new BrowserWindow');
  });

  it('on ready: denies permissions, serves app://, registers IPC, opens one sandboxed window on relais://app', async () => {
    const { electron, fireReady, windows, session, rec } = await loadMain(true);
    fireReady();
    await vi.waitFor(() => expect(windows[0]?.loaded).toEqual(['relais://app/index.html']));
    expect(windows).toHaveLength(1);
    expect(session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(session.defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
    expect(electron.protocol.handle).toHaveBeenCalledWith('relais', expect.any(Function));
    expect(electron.ipcMain.handle.mock.calls.map((c) => c[0]).sort()).toEqual(
      ['relais:anchorAudit', 'relais:anchorSourceAudit', 'relais:confirmHie', 'relais:deriveVaultKey', 'relais:discoverHie', 'relais:eraseDeviceSecrets', 'relais:eraseLocalData', 'relais:getAppInfo', 'relais:getAuditAnchor', 'relais:getDisplayPolicy', 'relais:getKeychainStatus', 'relais:getLanguage', 'relais:getSession', 'relais:getSetup', 'relais:getSourceAuditAnchor', 'relais:getSourceLease', 'relais:getSourceSession', 'relais:getSources', 'relais:getUpdateStatus', 'relais:hieRequest', 'relais:installUpdate', 'relais:newVaultSalt', 'relais:openDataPort', 'relais:openExternal', 'relais:openSourceDataPort', 'relais:reportWork', 'relais:setLanguage', 'relais:signIn', 'relais:signInSource', 'relais:signOut', 'relais:signOutSource', 'relais:sourceHieRequest'],
    );
    const prefs = (windows[0]?.options as { webPreferences: Record<string, unknown> }).webPreferences;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs['preload'])).toMatch(/dist\/preload\/preload\.cjs$/);
    // handlers and the scheme exist before the page loads
    expect(rec.calls.indexOf('protocol.handle relais')).toBeLessThan(rec.calls.indexOf('loadURL relais://app/index.html'));
  });

  it('guards every WebContents the app creates', async () => {
    const { appListeners } = await loadMain(true);
    const created = appListeners.get('web-contents-created');
    expect(created).toBeTypeOf('function');
    const on = vi.fn();
    const setWindowOpenHandler = vi.fn();
    created?.({}, { on, setWindowOpenHandler });
    expect(on.mock.calls.map((c) => c[0])).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview']));
    const handler = setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => unknown;
    expect(handler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });

  it('focuses the existing window when a second instance starts', async () => {
    const { appListeners } = await loadMain(true);
    expect(appListeners.has('second-instance')).toBe(true);
  });

  it('a packaged build refuses to start with a remote-debugging or inspect switch, on the command line or appended', async () => {
    const argv = process.argv;
    try {
      process.argv = [...argv, '--remote-debugging-port=9222'];
      const { electron, rec, windows } = await loadMain(true, { packaged: true });
      expect(electron.app.exit).toHaveBeenCalledWith(1);
      expect(rec.calls).not.toContain('requestSingleInstanceLock');
      expect(windows).toHaveLength(0);
    } finally {
      process.argv = argv;
    }
    const appended = await loadMain(true, { packaged: true, switches: ['remote-debugging-pipe'] });
    expect(appended.electron.app.exit).toHaveBeenCalledWith(1);
    // A development run keeps its debugger.
    const dev = await loadMain(true, { packaged: false, switches: ['inspect'] });
    expect(dev.electron.app.exit).not.toHaveBeenCalled();
  });

  it('a packaged build has no DevTools (window preference off, closed if opened anyway) and no menu offering them', async () => {
    const { electron, fireReady, windows, appListeners } = await loadMain(true, { packaged: true });
    fireReady();
    await vi.waitFor(() => expect(windows[0]?.loaded).toEqual(['relais://app/index.html']));
    expect((windows[0]?.options as { webPreferences: Record<string, unknown> }).webPreferences['devTools']).toBe(false);
    // Linux (this machine): no application menu at all, so no Toggle Developer Tools.
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    const on = vi.fn();
    const closeDevTools = vi.fn();
    appListeners.get('web-contents-created')?.({}, { on, setWindowOpenHandler: vi.fn(), closeDevTools });
    const opened = on.mock.calls.find((c) => c[0] === 'devtools-opened')?.[1] as () => void;
    opened();
    expect(closeDevTools).toHaveBeenCalled();

    const dev = await loadMain(true, { packaged: false });
    dev.fireReady();
    await vi.waitFor(() => expect(dev.windows[0]?.loaded).toEqual(['relais://app/index.html']));
    expect((dev.windows[0]?.options as { webPreferences: Record<string, unknown> }).webPreferences['devTools']).toBe(true);
    expect(dev.electron.Menu.setApplicationMenu).not.toHaveBeenCalled();
  });

  it('opens a data worker’s port for the app’s own window only: main serves one end, the window gets the other', async () => {
    const { electron, fireReady, windows, channels } = await loadMain(true);
    fireReady();
    await vi.waitFor(() => expect(windows[0]?.loaded).toEqual(['relais://app/index.html']));
    const registered = electron.ipcMain.handle.mock.calls.find((c) => c[0] === 'relais:openDataPort');
    const handler = registered?.[1] as (event: unknown, ...args: unknown[]) => Promise<unknown>;
    const frame = { url: 'relais://app/index.html', parent: null };
    const ticket = 'Q'.repeat(22);
    expect(await handler({ senderFrame: frame, sender: { mainFrame: frame } }, { ticket })).toEqual({ ok: true, value: null });
    expect(channels).toHaveLength(1);
    const [channel] = channels;
    // Main serves the host contract on port1 (listening, started, stopping when the worker's end closes) ...
    expect(channel?.port1.started).toBe(true);
    expect(channel?.port1.listeners.get('message')).toHaveLength(1);
    expect(channel?.port1.listeners.get('close')).toHaveLength(1);
    // ... and hands port2, alone, to the window.
    const webContents = (windows[0] as unknown as { webContents: { postMessage: ReturnType<typeof vi.fn> } }).webContents;
    // ... with the request's ticket, so the page hands it to the worker that asked.
    expect(webContents.postMessage).toHaveBeenCalledWith('relais:data-port', ticket, [channel?.port2]);
    // A request without a ticket is refused by the contract: no port.
    expect(await handler({ senderFrame: frame, sender: { mainFrame: frame } })).toEqual({ ok: false, code: 'BAD_REQUEST' });
    expect(channels).toHaveLength(1);
    // A frame that is not the app's main frame gets no port.
    const other = { url: 'https://evil.example/', parent: null };
    expect(await handler({ senderFrame: other, sender: { mainFrame: other } }, { ticket })).toEqual({ ok: false, code: 'FORBIDDEN_SENDER' });
    expect(channels).toHaveLength(1);
  });

  it('a packaged build with no policy opens on the setup screen (never a demo), looks for no update, and lets nobody enter an HIE', async () => {
    const { electron, fireReady, windows } = await loadMain(true, { packaged: true });
    fireReady();
    await vi.waitFor(() => expect(windows[0]?.loaded).toEqual(['relais://app/index.html']));
    const frame = { url: 'relais://app/index.html', parent: null };
    const call = (channel: string, ...args: unknown[]) => {
      const handler = electron.ipcMain.handle.mock.calls.find((c) => c[0] === `relais:${channel}`)?.[1] as (event: unknown, ...rest: unknown[]) => Promise<unknown>;
      return handler({ senderFrame: frame, sender: { mainFrame: frame } }, ...args);
    };
    // This machine has no /etc/relais/policy.json, and a packaged build reads nothing else.
    expect(await call('getSetup')).toEqual({ ok: true, value: { state: 'contact-it', reason: 'not-configured' } });
    expect(await call('getSession')).toEqual({ ok: true, value: null });
    expect(await call('signIn')).toEqual({ ok: false, code: 'HIE_NOT_CONFIGURED' });
    expect(await call('discoverHie', { fhirBase: 'https://hie.example.org/fhir' })).toEqual({ ok: false, code: 'SETUP_NOT_ALLOWED' });
    expect(await call('confirmHie', { fhirBase: 'https://hie.example.org/fhir' })).toEqual({ ok: false, code: 'SETUP_NOT_ALLOWED' });
    expect(await call('getUpdateStatus')).toEqual({ ok: true, value: { state: 'off' } });
    expect(electron.app.exit).not.toHaveBeenCalled();
  });
});
