import { describe, expect, it, vi } from 'vitest';
import { channelNames } from '../../../shared/ipc/contract';

describe('preload bridge', () => {
  it('exposes exactly one function per contract channel under window.relais, and nothing else', async () => {
    const exposeInMainWorld = vi.fn();
    const invoke = vi.fn(async () => ({ ok: true, value: null }));
    vi.resetModules();
    vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld }, ipcRenderer: { invoke } }));
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
});
