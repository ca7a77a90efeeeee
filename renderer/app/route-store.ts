import { create } from 'zustand';

/**
 * Which workspace screen is showing. In memory only, and made anew at every unlock, so a lock
 * forgets which patient was open.
 */
export type ChartSection =
  | 'summary' | 'problems' | 'medications' | 'allergies' | 'results' | 'procedures' | 'immunizations' | 'encounters' | 'careplans' | 'documents' | 'other' | 'timeline' | 'charting';

export type Route =
  | Readonly<{ screen: 'patients' }>
  | Readonly<{ screen: 'chart'; patient: string; section: ChartSection }>
  | Readonly<{ screen: 'conflicts' }>
  | Readonly<{ screen: 'access-log' }>
  | Readonly<{ screen: 'passphrase' }>;

export type RouteState = Readonly<{ route: Route; go(route: Route): void }>;

export const createRouteStore = () => create<RouteState>()((set) => ({ route: { screen: 'patients' }, go: (route) => set({ route }) }));
export type RouteStore = ReturnType<typeof createRouteStore>;
