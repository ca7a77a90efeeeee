import type { RxCollection } from 'rxdb/plugins/core';
import { readMeta, writeMeta } from './meta-store';
import type { MetaDoc } from './schemas';

/**
 * When each patient's record last changed on the HIE (the newest `meta.lastUpdated` of any of
 * their resources the replica received: a new result, a document, an edited allergy), for the
 * patient list's "recently changed" filter. `lastUpdated` is sealed inside every row's body, so
 * finding recent rows would read and decrypt the whole replica; this keeps the answer instead,
 * as one small sealed meta value written with the page that changed it.
 *
 * Times are kept to the hour, rounded up (the filter counts days): a page whose changes fall in
 * hours already noted for its patients writes nothing, so most pages of an initial sync, whose
 * resources share hours, cost no write at all.
 *
 * Only changes within `keptDays` of the newest one seen are kept (the filter looks back a week;
 * one more day covers a device clock behind the HIE's): an initial sync of years of history must
 * not grow the value to one entry per patient, since it is rewritten with every page that changes it.
 */
export const changeLogId = 'changes|byPatient';
/**
 * The same, for changes made on the HIE after the first complete sync only, decided on the exact
 * `lastUpdated` when the page is noted (My day's "new results" reads these patients' charts). The
 * hours of the log above cannot tell: right after a first sync, everything it stored in its last
 * hour is rounded past its end, and every patient looked changed after it (at unlock, 50 charts
 * were decrypted while the clinician's first chart waited).
 */
export const changedAfterFirstSyncId = 'changes|afterFirstSync';
export const keptDays = 8;
const dayMs = 86_400_000;
const hourMs = 3_600_000;
const upToTheHour = (ms: number): number => Math.ceil(ms / hourMs) * hourMs;

export type ChangeLog = Readonly<{
  /** Patient reference → ISO instant of their latest change. */
  latest(): ReadonlyMap<string, string>;
  /** Moves whenever `latest` changes (the patient list's rows are built again only then). */
  revision(): number;
  /** The same, for the patients with a change made after the first complete sync (empty before one). */
  afterFirstSync(): ReadonlyMap<string, string>;
  /** The first complete sync's end on the HIE's clock (shared/sync/priority.ts `markCompleted`): later changes are "after" it. */
  firstSyncCompleted(at: string): void;
  /** Notes a page's rows; writes the log only when it changed. Called inside the write queue. */
  note(rows: readonly Readonly<{ patient: string | null; lastUpdated: string }>[]): Promise<void>;
  /** A purged patient leaves no trace here either. Called inside the write queue. */
  forget(patient: string): Promise<void>;
}>;

function entriesOf(stored: unknown): Map<string, string> | null {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return null;
  const found = new Map<string, string>();
  for (const [patient, at] of Object.entries(stored)) {
    if (patient.startsWith('Patient/') && typeof at === 'string' && !Number.isNaN(Date.parse(at))) found.set(patient, at);
  }
  return found;
}

/** `firstCompleted`: the first complete sync's end, if there has been one (its checkpoint). */
export async function openChangeLog(meta: RxCollection<MetaDoc>, firstCompleted: string | null = null): Promise<ChangeLog> {
  const latest = entriesOf(await readMeta(meta, changeLogId)) ?? new Map<string, string>();
  let firstMs = firstCompleted === null ? Number.NaN : Date.parse(firstCompleted);
  const storedAfter = entriesOf(await readMeta(meta, changedAfterFirstSyncId));
  // A replica from before this list: the hours after the first sync, as they were read then (a superset).
  const after = storedAfter ?? new Map([...latest].filter(([, at]) => !Number.isNaN(firstMs) && Date.parse(at) > firstMs));
  const sorted = (map: ReadonlyMap<string, string>) => Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
  let revision = 0;
  const persist = (): Promise<void> => {
    revision += 1;
    return writeMeta(meta, changeLogId, sorted(latest));
  };
  let afterStored = storedAfter !== null;
  const persistAfter = async (): Promise<void> => {
    await writeMeta(meta, changedAfterFirstSyncId, sorted(after));
    afterStored = true;
  };
  // No entry of either map is older than this (entries only move later, or are new at or past the horizon).
  const oldestOf = (): number => [...latest.values(), ...after.values()].reduce((min, at) => Math.min(min, Date.parse(at)), Number.POSITIVE_INFINITY);
  let oldest = oldestOf();
  // The HIE's newest stamp seen so far: the window is measured on its clock, not this device's.
  let newest = [...latest.values()].reduce((max, at) => Math.max(max, Date.parse(at)), Number.NEGATIVE_INFINITY);
  return {
    latest: () => latest,
    revision: () => revision,
    afterFirstSync: () => after,
    firstSyncCompleted(at) {
      if (Number.isNaN(firstMs)) firstMs = Date.parse(at);
    },
    async note(rows) {
      const stamped = rows.flatMap(({ patient, lastUpdated }) => {
        const at = Date.parse(lastUpdated);
        return Number.isNaN(at) ? [] : [{ patient, at }];
      });
      for (const { at } of stamped) newest = Math.max(newest, at);
      const horizon = newest - keptDays * dayMs;
      let changed = false;
      let changedAfter = false;
      for (const { patient, at } of stamped) {
        if (patient === null || at < horizon) continue;
        const hour = upToTheHour(at);
        const known = latest.get(patient);
        if (known === undefined || Date.parse(known) < hour) {
          latest.set(patient, new Date(hour).toISOString());
          oldest = Math.min(oldest, hour);
          changed = true;
        }
        // Exact: after the first complete sync's end, not merely in its last hour.
        if (!Number.isNaN(firstMs) && at > firstMs) {
          const knownAfter = after.get(patient);
          if (knownAfter === undefined || Date.parse(knownAfter) < hour) {
            after.set(patient, new Date(hour).toISOString());
            oldest = Math.min(oldest, hour);
            changedAfter = true;
          }
        }
      }
      // Only a horizon past the oldest entry leaves entries behind it: a first sync's pages do not
      // parse 10,000 patients' times each.
      if (horizon > oldest) {
        for (const [patient, at] of latest) {
          if (Date.parse(at) < horizon) {
            latest.delete(patient);
            changed = true;
          }
        }
        for (const [patient, at] of after) {
          if (Date.parse(at) < horizon) {
            after.delete(patient);
            changedAfter = true;
          }
        }
        oldest = oldestOf();
      }
      if (changed) await persist();
      if (changedAfter || !afterStored) await persistAfter();
    },
    async forget(patient) {
      const wasLatest = latest.delete(patient);
      const wasAfter = after.delete(patient);
      if (wasLatest) await persist();
      if (wasAfter) await persistAfter();
    },
  };
}
