import { create } from 'zustand';
import type { Language } from '../../shared/ipc/contract';

/** The shell's own state: network and language. Clinical state lives in its feature's store. */
export type AppState = Readonly<{
  online: boolean;
  language: Language;
  /** An i18n key of the last shell error, shown as a sentence; null when all is well. */
  errorKey: string | null;
  setOnline(online: boolean): void;
  setLanguage(language: Language): void;
  setError(errorKey: string | null): void;
}>;

export const createAppStore = (initial: Readonly<{ online: boolean; language: Language }>) =>
  create<AppState>()((set) => ({
    ...initial,
    errorKey: null,
    setOnline: (online) => set({ online }),
    setLanguage: (language) => set({ language }),
    setError: (errorKey) => set({ errorKey }),
  }));

export type AppStore = ReturnType<typeof createAppStore>;

/** Keeps `online` equal to the browser's view of the network, from its online/offline events. */
export function followNetwork(store: AppStore, target: Window): () => void {
  const update = (): void => store.getState().setOnline(target.navigator.onLine);
  target.addEventListener('online', update);
  target.addEventListener('offline', update);
  update();
  return () => {
    target.removeEventListener('online', update);
    target.removeEventListener('offline', update);
  };
}
