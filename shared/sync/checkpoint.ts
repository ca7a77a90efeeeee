import { z } from 'zod';
import { instantMs, type SyncedResource } from '../fhir/resource';

/**
 * A pull stream's position: the greatest server `lastUpdated` committed, and the ids committed at
 * exactly that instant. The next query asks `_lastUpdated=ge<instant>` (plain `gt` would skip a
 * resource updated in the same millisecond as the last one seen) and drops what the checkpoint
 * already holds. Only server times are used: the laptop's clock never enters a query.
 */
export const pullCheckpointSchema = z.object({
  lastUpdated: z.string(),
  idsAtLastUpdated: z.array(z.string()),
});
export type PullCheckpoint = z.infer<typeof pullCheckpointSchema>;

/** A stream that has been read to its end without finding anything: started, holds nothing. */
export const emptyCheckpoint: PullCheckpoint = { lastUpdated: '', idsAtLastUpdated: [] };

const markOf = (checkpoint: PullCheckpoint | null): number =>
  checkpoint === null || checkpoint.lastUpdated === '' ? Number.NEGATIVE_INFINITY : instantMs(checkpoint.lastUpdated);

export function readPullCheckpoint(value: unknown): PullCheckpoint | null {
  const parsed = pullCheckpointSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** True when the checkpoint already covers this resource's version. */
export function heldByCheckpoint(checkpoint: PullCheckpoint | null, resource: SyncedResource): boolean {
  if (checkpoint === null || checkpoint.lastUpdated === '') return false;
  const at = instantMs(resource.meta.lastUpdated);
  const mark = markOf(checkpoint);
  if (at < mark) return true;
  return at === mark && checkpoint.idsAtLastUpdated.includes(resource.id);
}

/** The checkpoint after committing `resources` (never moves backwards). */
export function advance(checkpoint: PullCheckpoint | null, resources: readonly SyncedResource[]): PullCheckpoint | null {
  let next = checkpoint;
  for (const r of resources) {
    const at = instantMs(r.meta.lastUpdated);
    const mark = markOf(next);
    if (next === null || at > mark) next = { lastUpdated: r.meta.lastUpdated, idsAtLastUpdated: [r.id] };
    else if (at === mark && !next.idsAtLastUpdated.includes(r.id)) next = { ...next, idsAtLastUpdated: [...next.idsAtLastUpdated, r.id] };
  }
  return next;
}

/** The later of two positions of one stream (at the same instant: both id lists); `held` itself when it is not behind. */
export function laterCheckpoint(held: PullCheckpoint | null, next: PullCheckpoint): PullCheckpoint {
  if (held === null) return next;
  const a = markOf(held);
  const b = markOf(next);
  if (b > a) return next;
  if (b < a || next.lastUpdated === '') return held;
  return { lastUpdated: held.lastUpdated, idsAtLastUpdated: [...new Set([...held.idsAtLastUpdated, ...next.idsAtLastUpdated])] };
}

/** The lowest and highest instants of a page, to tell whether pages arrive in order. */
export function pageSpan(resources: readonly SyncedResource[]): { min: number; max: number } | null {
  if (resources.length === 0) return null;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const r of resources) {
    const at = instantMs(r.meta.lastUpdated);
    if (at < min) min = at;
    if (at > max) max = at;
  }
  return { min, max };
}
