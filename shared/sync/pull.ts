import { patientOf } from '../fhir/compartment';
import { instantMs, referenceOf, type SyncedResource } from '../fhir/resource';
import { matchedResources, parseBundle } from './bundle';
import { advance, emptyCheckpoint, heldByCheckpoint, pageSpan, readPullCheckpoint, type PullCheckpoint } from './checkpoint';
import type { ReplicaStore, ServerRow } from './ports';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';

export type PullCounts = {
  received: number;
  stored: number;
  /** Another patient's data (outside the clinician's scope): not stored. */
  outOfScope: number;
  /** Patient data whose patient cannot be resolved here, or that names several: refused, reported. */
  unresolved: number;
  /** Copies held here whose newer version left the scope (or lost its patient): removed. */
  withdrawn: number;
  malformed: number;
  pages: number;
};

export const emptyPullCounts = (): PullCounts => ({ received: 0, stored: 0, outOfScope: 0, unresolved: 0, withdrawn: 0, malformed: 0, pages: 0 });

/** What a pull needs of the replica (the locked sync's inbox provides the same: shared/sync/locked-pull.ts). */
export type PullStore = Pick<ReplicaStore, 'readCheckpoint' | 'writeCheckpoint' | 'metaOf' | 'putServerResources' | 'removeResources' | 'prepareServerResources'>;

export type PullDeps = Readonly<{
  transport: FhirTransport;
  store: PullStore;
  /** The patients the clinician may see, as `Patient/<id>`: anything else is never stored. */
  scope: ReadonlySet<string>;
  pageSize: number;
  /** The HIE's FHIR base, for absolute references. */
  fhirBase?: string;
  onPage?: (type: string, counts: Readonly<PullCounts>, total: number | null) => void;
}>;

/** `Type?_lastUpdated=ge…&_sort=_lastUpdated&_count=n`, from the checkpoint. */
export function pullQuery(type: string, checkpoint: PullCheckpoint | null, pageSize: number): string {
  const since = checkpoint === null || checkpoint.lastUpdated === '' ? '' : `&_lastUpdated=ge${encodeURIComponent(checkpoint.lastUpdated)}`;
  return `${type}?_sort=_lastUpdated&_count=${pageSize}${since}`;
}

/** A page split by scope: what may be stored, and the refs refused for their patient. */
type Sorted = Readonly<{ candidates: ServerRow[]; refused: string[] }>;

/** In scope, not already held by the checkpoint; what names no patient it can resolve, or another patient, is refused. */
function sortPage(deps: PullDeps, resources: readonly SyncedResource[], startCheckpoint: PullCheckpoint | null, counts: PullCounts): Sorted {
  const candidates: ServerRow[] = [];
  const refused: string[] = [];
  for (const resource of resources) {
    if (heldByCheckpoint(startCheckpoint, resource)) continue;
    const patient = patientOf(resource, deps.fhirBase === undefined ? {} : { fhirBase: deps.fhirBase });
    // Patient data that names several patients, or none that can be resolved, is never stored.
    if (patient === 'ambiguous' || patient === 'unresolved') {
      counts.unresolved += 1;
      refused.push(referenceOf(resource));
      continue;
    }
    if (patient !== null && !deps.scope.has(patient)) {
      counts.outOfScope += 1;
      refused.push(referenceOf(resource));
      continue;
    }
    candidates.push({ resource, patient });
  }
  return { candidates, refused };
}

/**
 * Decides what of a page is stored: not already held, not older than what we have, not over a
 * local edit. A copy held from before of a resource now refused for its patient (it was in scope)
 * is withdrawn, unless a local edit waits on it.
 */
async function rowsToStore(deps: PullDeps, { candidates, refused }: Sorted, counts: PullCounts): Promise<ServerRow[]> {
  if (refused.length > 0) {
    const held = await deps.store.metaOf(refused);
    const withdraw = refused.filter((ref) => held.get(ref)?.syncState === 'synced');
    if (withdraw.length > 0) await deps.store.removeResources(withdraw);
    counts.withdrawn += withdraw.length;
  }
  return freshRows(deps.store, candidates);
}

/**
 * Of server rows, those worth storing over what the replica holds: never over a local edit (push
 * settles it, by merge or conflict), never the version already held, never an older version over
 * a newer one (versionId is opaque: versions are ordered by the server's lastUpdated). Of several
 * versions of one resource, the latest.
 */
export async function freshRows(store: Pick<ReplicaStore, 'metaOf'>, candidates: readonly ServerRow[]): Promise<ServerRow[]> {
  const stored = await store.metaOf(candidates.map((c) => referenceOf(c.resource)));
  const latest = new Map<string, ServerRow>();
  for (const row of candidates) {
    const ref = referenceOf(row.resource);
    const meta = stored.get(ref);
    if (meta !== undefined && meta.syncState !== 'synced') continue;
    if (meta?.versionId === row.resource.meta.versionId) continue;
    if (meta?.lastUpdated != null && instantMs(meta.lastUpdated) > instantMs(row.resource.meta.lastUpdated)) continue;
    const seen = latest.get(ref);
    if (seen === undefined || instantMs(seen.resource.meta.lastUpdated) <= instantMs(row.resource.meta.lastUpdated)) latest.set(ref, row);
  }
  return [...latest.values()];
}

/**
 * Messages carry their attachments inline (base64, up to 2 MB each by policy): pulled ten at a
 * time, a page stays under the transport's 32 MB answer limit however many carry one.
 */
export const messagePageSize = 10;
export const pageSizeFor = (type: string, pageSize: number): number => (type === 'Communication' ? Math.min(pageSize, messagePageSize) : pageSize);

/**
 * Pulls one resource type from its checkpoint to the end, following `next` links. Each page is
 * committed before the checkpoint advances, so a crash at any point re-fetches at most one page.
 * Pages that arrive out of order (a proxy reordering them) are still all stored, but then the
 * checkpoint only advances once the whole stream has been read, so nothing is skipped.
 */
export async function pullType(deps: PullDeps, type: string): Promise<PullCounts> {
  const counts = emptyPullCounts();
  const start = readPullCheckpoint(await deps.store.readCheckpoint(type));
  let checkpoint = start;
  let inOrder = true;
  let runningMax = start === null || start.lastUpdated === '' ? Number.NEGATIVE_INFINITY : instantMs(start.lastUpdated);
  const visited = new Set<string>();
  let target: string | null = pullQuery(type, start, pageSizeFor(type, deps.pageSize));
  let total: number | null = null;

  // Pages overlap in two ways (issue 12: the network, the crypto and the disk each work while the
  // others do). The next page is asked for as soon as this one's write begins, and arrives while it
  // is written. Once it arrives it is read and sealed ahead (prepareServerResources) while this
  // page's rows and checkpoint are still being committed; only then is it checked against the
  // replica (metaOf sees this page's rows) and written. A write that fails stops the stream: the
  // page read ahead is dropped unwritten, nothing further is asked for, the checkpoint stays.
  const ask = (at: string): Promise<Awaited<ReturnType<typeof exchange>>> => {
    visited.add(at);
    const answer = exchange(deps.transport, { method: 'GET', target: at });
    answer.catch(() => undefined);
    return answer;
  };
  /** `seen`: the counts as of this page (the next page, read ahead, is not in them). */
  const commit = async (rows: readonly ServerRow[], mark: PullCheckpoint | null, seen: PullCounts): Promise<void> => {
    if (rows.length > 0) await deps.store.putServerResources(rows);
    counts.stored += rows.length;
    if (mark !== null) await deps.store.writeCheckpoint(type, mark);
    deps.onPage?.(type, { ...seen, stored: counts.stored }, total);
  };
  let asked = target === null ? null : ask(target);
  let committing: Promise<void> | null = null;
  try {
    while (asked !== null) {
      // A write that fails while the next page is on its way stops the stream at once, with its own error.
      const writing: Promise<void> | null = committing;
      const next = asked;
      const response = await (writing === null ? next : Promise.race([next, writing.then(() => next)]));
      const bundle = parseBundle(response.body, 'searchset');
      total ??= bundle.total;
      const { resources, malformed } = matchedResources(bundle);
      counts.pages += 1;
      counts.received += resources.length;
      counts.malformed += malformed;
      const sorted = sortPage(deps, resources, start, counts);
      deps.store.prepareServerResources?.(sorted.candidates);

      if (committing !== null) await committing;
      committing = null;
      target = bundle.next;
      asked = target === null || visited.has(target) ? null : ask(target);

      const rows = await rowsToStore(deps, sorted, counts);
      const span = pageSpan(resources);
      if (span !== null) {
        if (span.min < runningMax) inOrder = false;
        runningMax = Math.max(runningMax, span.max);
      }
      checkpoint = advance(checkpoint, resources);
      committing = commit(rows, inOrder && checkpoint !== null && checkpoint !== start ? checkpoint : null, { ...counts });
      // Awaited before the next page is written, or below; a failure is thrown there.
      committing.catch(() => undefined);
    }
    if (committing !== null) await committing;
  } catch (error: unknown) {
    // However the stream stops, the page being written is settled before the pull returns; if its
    // write failed, that is the error (a disk full, not the network problem met meanwhile).
    const writing: Promise<void> | null = committing;
    committing = null;
    if (writing !== null) await writing;
    throw error;
  }
  if (!inOrder && checkpoint !== null) await deps.store.writeCheckpoint(type, checkpoint);
  // A type with nothing in it yet is still a started stream: the next live poll may skip it.
  if (checkpoint === null) await deps.store.writeCheckpoint(type, emptyCheckpoint);
  return counts;
}
