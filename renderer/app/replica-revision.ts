import { createStore } from 'zustand/vanilla';

/**
 * A counter that moves whenever the replica's content may have changed: a sync run that brought
 * or sent something, a page of the initial sync, a local edit, a conflict resolved. Screens that
 * show replica data re-read when it moves, so a change made on the HIE appears without a reload.
 */
export type ReplicaRevision = Readonly<{ revision: number; bump(): void }>;

export const createReplicaRevision = () =>
  createStore<ReplicaRevision>()((set) => ({ revision: 0, bump: () => set((s) => ({ revision: s.revision + 1 })) }));

export type ReplicaRevisionStore = ReturnType<typeof createReplicaRevision>;

/** At most one bump per `intervalMs` (initial sync writes a page every few hundred ms). */
export function throttledBump(store: ReplicaRevisionStore, intervalMs: number, now: () => number = Date.now): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = now();
    if (at - last < intervalMs) return;
    last = at;
    store.getState().bump();
  };
}
