import type { RxCollection } from 'rxdb/plugins/core';
import { z } from 'zod';
import { readMeta, writeMeta } from './meta-store';
import type { MetaDoc } from './schemas';

/**
 * The refs whose row may say pending or conflict: a sealed list in meta, written (strict) before
 * any row is marked so. The sync state lives inside the sealed body, where no index can find it,
 * so recovery at open (recovery.ts) reads these rows instead of scanning the replica. The list
 * only grows between opens (one entry per ref edited offline) and is cut back at open.
 */
export type UnsettledSet = Readonly<{
  add(refs: readonly string[]): Promise<void>;
  refs(): readonly string[];
  /** After recovery: only these may still be unsettled. */
  replace(refs: readonly string[]): Promise<void>;
}>;

const unsettledId = 'unsettled';
const refList = z.array(z.string());

export async function openUnsettledSet(meta: RxCollection<MetaDoc>): Promise<UnsettledSet> {
  const stored = refList.safeParse(await readMeta(meta, unsettledId));
  const set = new Set<string>(stored.success ? stored.data : []);
  const persist = (): Promise<void> => writeMeta(meta, unsettledId, [...set].sort());
  return {
    async add(refs) {
      const fresh = refs.filter((ref) => !set.has(ref));
      if (fresh.length === 0) return;
      for (const ref of fresh) set.add(ref);
      await persist();
    },
    refs: () => [...set].sort(),
    async replace(refs) {
      const next = new Set(refs);
      if (next.size === set.size && [...next].every((ref) => set.has(ref))) return;
      set.clear();
      for (const ref of next) set.add(ref);
      await persist();
    },
  };
}
