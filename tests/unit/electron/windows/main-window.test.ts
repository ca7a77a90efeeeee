import { describe, expect, it } from 'vitest';
import type { BrowserWindow } from 'electron';
import { createMainWindow, mainWindowOptions } from '../../../../electron/windows/main-window';

describe('main window options', () => {
  it('sets every security preference explicitly', () => {
    const prefs = mainWindowOptions('/app/dist/preload/preload.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(mainWindowOptions('/p', { devTools: true }).webPreferences?.devTools).toBe(true);
  });

  it('is titled Relais and hidden until ready (no white flash)', () => {
    const options = mainWindowOptions('/p');
    expect(options.title).toBe('Relais');
    expect(options.show).toBe(false);
  });
});

describe('createMainWindow', () => {
  it('constructs the window with exactly those options', () => {
    let received: unknown;
    class FakeWindow {
      constructor(options: unknown) {
        received = options;
      }
    }
    createMainWindow(FakeWindow as unknown as typeof BrowserWindow, '/p.cjs');
    expect(received).toEqual(mainWindowOptions('/p.cjs'));
  });
});
