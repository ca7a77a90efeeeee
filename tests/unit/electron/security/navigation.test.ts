import { describe, expect, it, vi } from 'vitest';
import { guardNavigation, type GuardedContents } from '../../../../electron/security/navigation';
import type { Logger } from '../../../../electron/log/logger';

type Listener = (event: { preventDefault(): void; url: string }) => void;

function fakeContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents = {
    on: (event: string, listener: Listener) => listeners.set(event, listener),
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: 'deny' }) => {
      openHandler = handler;
    },
  } as unknown as GuardedContents;
  const fire = (event: string, url: string): boolean => {
    let prevented = false;
    listeners.get(event)?.({ url, preventDefault: () => { prevented = true; } });
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

const log: Logger = { info: () => {}, warn: () => {}, error: () => {} };

function setup() {
  const openExternal = vi.fn(async () => {});
  const fake = fakeContents();
  guardNavigation(fake.contents, { allowedExternalOrigins: ['https://www.has-sante.fr'], openExternal, log });
  return { ...fake, openExternal };
}

describe('navigation guard', () => {
  it('blocks navigation to another origin and does not open it', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(fire('will-frame-navigate', 'https://evil.example/phish')).toBe(true);
    expect(fire('will-redirect', 'https://evil.example/')).toBe(true);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('lets in-app navigation through', () => {
    const { fire } = setup();
    expect(fire('will-navigate', 'relais://app/index.html')).toBe(false);
  });

  it('sends an allowlisted https link to the system browser instead of navigating', () => {
    const { fire, openExternal } = setup();
    expect(fire('will-navigate', 'https://www.has-sante.fr/guide')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://www.has-sante.fr/guide');
  });

  it('refuses javascript:, file:, http: and look-alike origins', () => {
    const { fire, openExternal } = setup();
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'http://www.has-sante.fr/', 'https://www.has-sante.fr.evil.example/', 'https://www.has-sante.fr@evil.example/']) {
      expect(fire('will-navigate', url), url).toBe(true);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('denies every window.open, opening only allowlisted links outside', () => {
    const { open, openExternal } = setup();
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('https://www.has-sante.fr/x')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
    expect(openExternal).toHaveBeenCalledWith('https://www.has-sante.fr/x');
  });

  it('blocks <webview> attachment', () => {
    const { fire } = setup();
    expect(fire('will-attach-webview', '')).toBe(true);
  });
});
