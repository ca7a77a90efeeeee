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
export const keptDays = 8;
const dayMs = 86_400_000;
const hourMs = 3_600_000;
const upToTheHour = (ms: number): number => Math.ceil(ms / hourMs) * hourMs;

export type ChangeLog = Readonly<{
  /** Patient reference → ISO instant of their latest change. */
  latest(): ReadonlyMap<string, string>;
  /** Notes a page's rows; writes the log only when it changed. Called inside the write queue. */
  note(rows: readonly Readonly<{ patient: string | null; lastUpdated: string }>[]): Promise<void>;
  /** A purged patient leaves no trace here either. Called inside the write queue. */
  forget(patient: string): Promise<void>;
}>;

export async function openChangeLog(meta: RxCollection<MetaDoc>): Promise<ChangeLog> {
  const latest = new Map<string, string>();
  const stored = await readMeta(meta, changeLogId);
  if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) {
    for (const [patient, at] of Object.entries(stored)) {
      if (patient.startsWith('Patient/') && typeof at === 'string' && !Number.isNaN(Date.parse(at))) latest.set(patient, at);
    }
  }
  const persist = (): Promise<void> => writeMeta(meta, changeLogId, Object.fromEntries([...latest].sort(([a], [b]) => a.localeCompare(b))));
  // The HIE's newest stamp seen so far: the window is measured on its clock, not this device's.
  let newest = [...latest.values()].reduce((max, at) => Math.max(max, Date.parse(at)), Number.NEGATIVE_INFINITY);
  return {
    latest: () => latest,
    async note(rows) {
      const stamped = rows.flatMap(({ patient, lastUpdated }) => {
        const at = Date.parse(lastUpdated);
        return Number.isNaN(at) ? [] : [{ patient, at }];
      });
      for (const { at } of stamped) newest = Math.max(newest, at);
      const horizon = newest - keptDays * dayMs;
      let changed = false;
      for (const { patient, at } of stamped) {
        if (patient === null || at < horizon) continue;
        const hour = upToTheHour(at);
        const known = latest.get(patient);
        if (known === undefined || Date.parse(known) < hour) {
          latest.set(patient, new Date(hour).toISOString());
          changed = true;
        }
      }
      for (const [patient, at] of latest) {
        if (Date.parse(at) < horizon) {
          latest.delete(patient);
          changed = true;
        }
      }
      if (changed) await persist();
    },
    async forget(patient) {
      if (latest.delete(patient)) await persist();
    },
  };
}
