import { create } from 'zustand';

/**
 * Which workspace screen is showing. In memory only, and made anew at every unlock, so a lock
 * forgets which patient was open.
 */
export type ChartSection =
  | 'summary' | 'problems' | 'medications' | 'allergies' | 'results' | 'procedures' | 'immunizations' | 'encounters' | 'careplans' | 'documents' | 'other' | 'timeline' | 'charting';

export type Route =
  | Readonly<{ screen: 'patients' }>
  | Readonly<{ screen: 'day' }>
  /** Every thread, or one patient's; `thread` open when set. */
  | Readonly<{ screen: 'messages'; patient?: string; thread?: string }>
  | Readonly<{ screen: 'referrals' }>
  | Readonly<{ screen: 'notifications' }>
  | Readonly<{ screen: 'chart'; patient: string; section: ChartSection }>
  | Readonly<{ screen: 'conflicts' }>
  | Readonly<{ screen: 'access-log' }>
  | Readonly<{ screen: 'passphrase' }>;

export type RouteState = Readonly<{ route: Route; go(route: Route): void }>;

export const createRouteStore = () => create<RouteState>()((set) => ({ route: { screen: 'patients' }, go: (route) => set({ route }) }));
export type RouteStore = ReturnType<typeof createRouteStore>;
