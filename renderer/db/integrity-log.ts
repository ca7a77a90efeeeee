import type { RxCollection } from 'rxdb/plugins/core';
import { z } from 'zod';
import { readMeta, writeMeta } from './meta-store';
import { collectionNames, type MetaDoc } from './schemas';
import type { WriteQueue } from './write-queue';

/**
 * What failed its integrity check. A resource that does not open is quarantined: its ref is kept
 * (in memory, and sealed in meta so a restart does not forget it) until the engine has fetched it
 * again. Outbox entries, conflicts, keys and meta cannot be fetched again: they are counted as
 * damaged, for the UI to say so.
 */
export type IntegrityLog = Readonly<{
  onUnreadable(collectionName: string, docId: string): void;
  /** Waits for the refs of rows just found unreadable (their ids are opened first). */
  quarantined(): Promise<readonly string[]>;
  /** Rows whose content cannot be trusted (recovery found them orphaned): fetch them again too. */
  quarantine(refs: Iterable<string>): void;
  /** These refs hold a good version again (written fresh, or removed). */
  release(refs: Iterable<string>): void;
  damagedCount(): number;
  attach(meta: RxCollection<MetaDoc>, queue: WriteQueue): Promise<void>;
  persist(): Promise<void>;
}>;

const quarantineId = 'quarantine';
const refList = z.array(z.string());

/**
 * A resource row is keyed by an opaque row id (row-id.ts); `refOf` opens the row's sealed name. A
 * name that does not open names nothing the engine could fetch: the row is counted as damaged. While a migration reads
 * an older schema, rows are still keyed by their ref (it holds a '/', which a row id never does).
 */
export function createIntegrityLog(refOf: (rowId: string) => Promise<string | null>): IntegrityLog {
  const quarantine = new Set<string>();
  const resolving = new Set<Promise<void>>();
  /** While ids are being opened: when each ref was last released, so a late resolution cannot quarantine a fresh row. */
  const releasedAt = new Map<string, number>();
  let clock = 0;
  const damaged = new Set<string>();
  let meta: RxCollection<MetaDoc> | null = null;
  let queue: WriteQueue | null = null;
  let dirty = false;

  async function persist(): Promise<void> {
    if (meta === null || !dirty) return;
    dirty = false;
    await writeMeta(meta, quarantineId, [...quarantine]);
  }

  function schedulePersist(): void {
    dirty = true;
    // Best effort: a lost write is re-derived when the damaged row is read again.
    if (queue !== null) void queue.run(persist).catch(() => undefined);
  }

  return {
    onUnreadable(collectionName, docId) {
      if (collectionName !== collectionNames.resources) {
        damaged.add(`${collectionName}:${docId}`);
        return;
      }
      const seenAt = (clock += 1);
      const add = (ref: string | null): void => {
        if (ref === null) {
          damaged.add(`${collectionName}:${docId}`);
          return;
        }
        // A good version written after this read (while its id was being opened) wins.
        if ((releasedAt.get(ref) ?? 0) > seenAt) return;
        if (quarantine.has(ref)) return;
        quarantine.add(ref);
        schedulePersist();
      };
      if (docId.includes('/')) {
        add(docId);
        return;
      }
      const pending = refOf(docId).then(add, () => add(null));
      resolving.add(pending);
      void pending.finally(() => {
        resolving.delete(pending);
        if (resolving.size === 0) releasedAt.clear();
      });
    },
    async quarantined() {
      while (resolving.size > 0) await Promise.all([...resolving]);
      return [...quarantine].sort();
    },
    quarantine(refs) {
      let changed = false;
      for (const ref of refs) {
        changed = changed || !quarantine.has(ref);
        quarantine.add(ref);
      }
      if (changed) schedulePersist();
    },
    release(refs) {
      let changed = false;
      for (const ref of refs) {
        if (resolving.size > 0) releasedAt.set(ref, (clock += 1));
        changed = quarantine.delete(ref) || changed;
      }
      if (changed) schedulePersist();
    },
    damagedCount: () => damaged.size,
    async attach(metaCollection, writeQueue) {
      meta = metaCollection;
      queue = writeQueue;
      const stored = refList.safeParse(await readMeta(metaCollection, quarantineId));
      const persisted = stored.success ? new Set(stored.data) : new Set<string>();
      for (const ref of persisted) quarantine.add(ref);
      while (resolving.size > 0) await Promise.all([...resolving]);
      // Found unreadable while opening, before meta was there to record it.
      if (quarantine.size !== persisted.size) schedulePersist();
    },
    persist,
  };
}
