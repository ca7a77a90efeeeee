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
  quarantined(): readonly string[];
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

export function createIntegrityLog(): IntegrityLog {
  const quarantine = new Set<string>();
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
      if (quarantine.has(docId)) return;
      quarantine.add(docId);
      schedulePersist();
    },
    quarantined: () => [...quarantine].sort(),
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
      for (const ref of refs) changed = quarantine.delete(ref) || changed;
      if (changed) schedulePersist();
    },
    damagedCount: () => damaged.size,
    async attach(metaCollection, writeQueue) {
      meta = metaCollection;
      queue = writeQueue;
      const stored = refList.safeParse(await readMeta(metaCollection, quarantineId));
      const persisted = stored.success ? new Set(stored.data) : new Set<string>();
      for (const ref of persisted) quarantine.add(ref);
      // Found unreadable while opening, before meta was there to record it.
      if (quarantine.size !== persisted.size) schedulePersist();
    },
    persist,
  };
}
