import { create } from 'zustand';
import type { RecordReader } from '../../app/workspace';
import type { IdentifierRule } from '../../../shared/clinical/patient-identity';
import type { PatientFilters, PatientRow } from '../../../shared/clinical/patient-directory';

/**
 * The patient list's state: every row, what the search matched, the filters. Patient data lives
 * here only while the workspace is unlocked (the store is made per workspace).
 */
export type PatientListState = Readonly<{
  rows: readonly PatientRow[];
  loaded: boolean;
  query: string;
  /** Refs the search index matched, best first; null when there is no query. */
  matches: readonly string[] | null;
  filters: PatientFilters;
  failed: boolean;
}>;

export const createPatientListStore = () =>
  create<PatientListState>()(() => ({ rows: [], loaded: false, query: '', matches: null, filters: { upcoming: false, recent: false }, failed: false }));

export type PatientListStore = ReturnType<typeof createPatientListStore>;

/** The rows, as the data side builds them (it reads the Patients, Appointments, outbox and change log itself). */
export async function loadPatientRows(store: PatientListStore, replica: Pick<RecordReader, 'patientRows'>, now: Date, identifierPriority?: readonly IdentifierRule[]): Promise<void> {
  try {
    const rows = await replica.patientRows(now, identifierPriority ?? null);
    const held = store.getState();
    // The same rows (the data side said nothing changed): the list is not drawn again.
    if (rows === held.rows && held.loaded && !held.failed) return;
    store.setState({ rows, loaded: true, failed: false });
  } catch {
    store.setState({ loaded: true, failed: true });
  }
}

/** The text each list last asked to search: an answer for older text is dropped. */
const latestQuery = new WeakMap<PatientListStore, string>();

/**
 * The refs matching `query`, from the data worker's in-memory index: nothing is decrypted, so it
 * keeps pace with typing. The text and its matches land together (the list never shows one
 * without the other); an answer that comes back after the text changed again is dropped.
 */
export async function searchPatients(store: PatientListStore, replica: Pick<RecordReader, 'searchPatientRefs'>, query: string): Promise<void> {
  latestQuery.set(store, query);
  if (query.trim() === '') {
    store.setState({ query, matches: null });
    return;
  }
  const limit = Math.max(50, store.getState().rows.length);
  const matches = await replica.searchPatientRefs(query, limit).catch(() => null);
  if (latestQuery.get(store) !== query) return;
  // A search that could not run says so (the list's alert), rather than "no patient matches".
  store.setState(matches === null ? { query, matches: [], failed: true } : { query, matches: [...matches] });
}

/** What kind of search the text is, for the audit trail: a date, an identifier (digits), or a name. */
export function queryKind(text: string): 'birthdate' | 'identifier' | 'name' {
  const t = text.trim();
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}$|^\d{4}(-\d{2}(-\d{2})?)?$/.test(t)) return 'birthdate';
  if (/\d{3,}/.test(t.replace(/[\s.-]/g, ''))) return 'identifier';
  return 'name';
}
