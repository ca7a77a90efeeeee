import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createPatientListStore, type PatientListState, type PatientListStore } from '../features/patients/patient-list-store';
import { createCoordinationStore, type CoordinationState, type CoordinationStore } from '../features/coordination/coordination-store';
import { createRouteStore, type RouteState, type RouteStore } from './route-store';
import type { OtherSources } from './other-sources';
import type { Workspace } from './workspace';

/**
 * The unlocked workspace and its screen stores, for the components below it. The stores are made
 * per workspace: a lock unmounts this provider and they go with it, patient data included.
 */
type WorkspaceContextValue = Readonly<{ workspace: Workspace; sources: OtherSources | null; routes: RouteStore; patients: PatientListStore; coordination: CoordinationStore }>;
const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

export function WorkspaceProvider({ workspace, sources = null, children }: Readonly<{ workspace: Workspace; sources?: OtherSources | null; children: ReactNode }>) {
  const value = useMemo(() => ({ workspace, sources, routes: createRouteStore(), patients: createPatientListStore(), coordination: createCoordinationStore() }), [workspace, sources]);
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

function useWorkspaceContext(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (value === null) throw new Error('WorkspaceProvider is missing');
  return value;
}

export const useWorkspace = (): Workspace => useWorkspaceContext().workspace;
/** The other FHIR sources of this session (read only), or null when there is none. */
export const useOtherSources = (): OtherSources | null => useWorkspaceContext().sources;
export const useRoute = <T,>(select: (state: RouteState) => T): T => useStore(useWorkspaceContext().routes, select);
export const usePatientList = <T,>(select: (state: PatientListState) => T): T => useStore(useWorkspaceContext().patients, select);
export const usePatientListStore = (): PatientListStore => useWorkspaceContext().patients;
/** Re-read replica data whenever this moves. */
export const useReplicaRevision = (): number => useStore(useWorkspaceContext().workspace.revision, (s) => s.revision);
export const useCoordination = <T,>(select: (state: CoordinationState) => T): T => useStore(useWorkspaceContext().coordination, select);
export const useCoordinationStore = (): CoordinationStore => useWorkspaceContext().coordination;
