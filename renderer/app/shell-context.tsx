import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { Host } from '../host/host';
import type { AppState, AppStore } from './app-store';

type Shell = Readonly<{ host: Host; store: AppStore }>;
const ShellContext = createContext<Shell | null>(null);

export function ShellProvider({ host, store, children }: Readonly<Shell & { children: ReactNode }>) {
  return <ShellContext.Provider value={{ host, store }}>{children}</ShellContext.Provider>;
}

function useShell(): Shell {
  const shell = useContext(ShellContext);
  if (shell === null) throw new Error('ShellProvider is missing');
  return shell;
}

export const useHost = (): Host => useShell().host;
export const useAppState = <T,>(select: (state: AppState) => T): T => useStore(useShell().store, select);
