import type { Language, ResponseOf } from '../../shared/ipc/contract';

export type AppInfo = ResponseOf<'getAppInfo'>;

/**
 * Everything the renderer needs from the platform, behind one type. The Electron host reaches
 * main through the preload bridge; the web host (dev and tests only, never packaged) does the
 * same work in the page so the whole renderer runs in a plain browser.
 */
export type Host = Readonly<{
  kind: 'electron' | 'web';
  appInfo(): Promise<AppInfo>;
  loadLanguage(): Promise<Language | null>;
  saveLanguage(language: Language): Promise<void>;
  /** Opens an allowlisted https link in the system browser; refuses anything else. */
  openExternal(url: string): Promise<void>;
}>;

export type HostFactory = () => Host;

/** A platform call that failed, with the code main (or the web host) gave. */
export class HostError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.name = 'HostError';
    this.code = code;
  }
}
