import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { SyncStatus, SyncStatusStore } from '../sync/sync-status';
import type { SessionController } from './session-controller';
import type { SessionState, SessionStore } from './session-store';

type SessionContextValue = Readonly<{ controller: SessionController; store: SessionStore; status: SyncStatusStore }>;
const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ controller, store, status, children }: Readonly<SessionContextValue & { children: ReactNode }>) {
  return <SessionContext.Provider value={{ controller, store, status }}>{children}</SessionContext.Provider>;
}

function useSessionContext(): SessionContextValue {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('SessionProvider is missing');
  return value;
}

export const useSessionController = (): SessionController => useSessionContext().controller;
export const useSession = <T,>(select: (state: SessionState) => T): T => useStore(useSessionContext().store, select);
export const useSyncStatus = <T,>(select: (state: SyncStatus) => T): T => useStore(useSessionContext().status, select);
