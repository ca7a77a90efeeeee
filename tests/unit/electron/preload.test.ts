import { describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../../shared/ipc/contract';

describe('preload bridge', () => {
  it('exposes exactly one function per contract channel under window.relais, and nothing else', async () => {
    const exposeInMainWorld = vi.fn();
    const invoke = vi.fn(async () => ({ ok: true, value: null }));
    vi.resetModules();
    vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke, on: vi.fn() } }));
    await import('../../../electron/preload/index');
    vi.doUnmock('electron');

    expect(exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, api] = exposeInMainWorld.mock.calls[0] as [string, Record<string, (req?: unknown) => Promise<unknown>>];
    expect(name).toBe('relais');
    expect(Object.keys(api).sort()).toEqual([...channelNames].sort());
    for (const value of Object.values(api)) expect(value).toBeTypeOf('function');

    await api['setLanguage']?.({ language: 'en' });
    expect(invoke).toHaveBeenLastCalledWith('relais:setLanguage', { language: 'en' });
    await api['getAppInfo']?.();
    expect(invoke).toHaveBeenLastCalledWith('relais:getAppInfo', undefined);
    // No raw ipcRenderer, send, on or invoke passthrough.
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
  });

  it('listens to one event from main, a data worker’s port, and hands the page that port alone', async () => {
    const on = vi.fn();
    const postMessage = vi.fn();
    const g = globalThis as Record<string, unknown>;
    g['window'] = { postMessage, location: { origin: 'relais://app' } };
    vi.resetModules();
    vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld: vi.fn() }, ipcRenderer: { invoke: vi.fn(), on } }));
    await import('../../../electron/preload/index');
    vi.doUnmock('electron');
    expect(on.mock.calls.map((c) => c[0])).toEqual(['relais:data-port']);
    const listener = on.mock.calls[0]?.[1] as (event: { ports: unknown[]; sender?: unknown }, ticket?: unknown) => void;
    const port = { a: 'port' };
    const ticket = 'A'.repeat(22);
    listener({ ports: [port], sender: { secret: 'never forwarded' } }, ticket);
    expect(postMessage).toHaveBeenCalledWith({ kind: 'relais:data-port', ticket }, 'relais://app', [port]);
    // Anything but exactly one port and a well-formed ticket is dropped.
    listener({ ports: [] }, ticket);
    listener({ ports: [port, port] }, ticket);
    listener({ ports: [port] });
    listener({ ports: [port] }, '<script>');
    listener({ ports: [port] }, { ticket });
    expect(postMessage).toHaveBeenCalledTimes(1);
    delete g['window'];
  });
});
