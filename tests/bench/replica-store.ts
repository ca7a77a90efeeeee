import type { FhirResource } from '../../shared/fhir/resource';
import { termsOf } from '../../renderer/db/patient-search';
import { foldForSearch } from '../../shared/text-fold';
import type { BenchDoc } from './replica-data';

/**
 * What each benchmarked storage does with the workload: write a page (the timed part), open one
 * chart, and — where it has a way — find patients by name. Page side.
 */
export type BenchStore = Readonly<{
  write(docs: readonly BenchDoc[]): Promise<void>;
  /** Every resource of one patient; returns how many (checked: 200). */
  chart?(patient: string): Promise<number>;
  /** Patients whose name matches `text`; returns how many. */
  search?(text: string): Promise<number>;
  /** Close and open again (the unlock path); returns nothing, timed by the caller. */
  reopen?(): Promise<void>;
  close(): Promise<void>;
}>;

/** The naive baseline's matcher: the same rule as the app's index (every word starts a term), applied to each Patient read. */
export function matchesName(patient: FhirResource, text: string): boolean {
  const terms = [...termsOf(patient)];
  return foldForSearch(text)
    .split(/\s+/u)
    .filter((w) => w.length > 0)
    .every((word) => terms.some((term) => term.startsWith(word)));
}
