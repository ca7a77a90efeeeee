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
export type PullStore = Pick<ReplicaStore, 'readCheckpoint' | 'writeCheckpoint' | 'metaOf' | 'putServerResources' | 'removeResources'>;

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

/**
 * Decides what of a page is stored: in scope, not already held, not older than what we have, not
 * over a local edit. A resource refused for its patient is never stored, and a copy of it held
 * from before (when it was in scope) is withdrawn, unless a local edit waits on it.
 */
async function rowsToStore(
  deps: PullDeps,
  resources: readonly SyncedResource[],
  startCheckpoint: PullCheckpoint | null,
  counts: PullCounts,
): Promise<ServerRow[]> {
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
 * Pulls one resource type from its checkpoint to the end, following `next` links. Each page is
 * committed before the checkpoint advances, so a crash at any point re-fetches at most one page.
 * Pages that arrive out of order (a proxy reordering them) are still all stored, but then the
 * checkpoint only advances once the whole stream has been read, so nothing is skipped.
 */
/**
 * Messages carry their attachments inline (base64, up to 2 MB each by policy): pulled ten at a
 * time, a page stays under the transport's 32 MB answer limit however many carry one.
 */
export const messagePageSize = 10;
export const pageSizeFor = (type: string, pageSize: number): number => (type === 'Communication' ? Math.min(pageSize, messagePageSize) : pageSize);

export async function pullType(deps: PullDeps, type: string): Promise<PullCounts> {
  const counts = emptyPullCounts();
  const start = readPullCheckpoint(await deps.store.readCheckpoint(type));
  let checkpoint = start;
  let inOrder = true;
  let runningMax = start === null || start.lastUpdated === '' ? Number.NEGATIVE_INFINITY : instantMs(start.lastUpdated);
  const visited = new Set<string>();
  let target: string | null = pullQuery(type, start, pageSizeFor(type, deps.pageSize));
  let total: number | null = null;

  // The next page is asked for as soon as this one is read, and arrives while this one is stored
  // (the network and the disk overlap). It is only read once this page and its checkpoint are
  // committed; if storing fails, the answer already asked for is dropped unread.
  const ask = (at: string): Promise<Awaited<ReturnType<typeof exchange>>> => {
    visited.add(at);
    const answer = exchange(deps.transport, { method: 'GET', target: at });
    answer.catch(() => undefined);
    return answer;
  };
  let asked = target === null ? null : ask(target);
  while (asked !== null) {
    const response = await asked;
    const bundle = parseBundle(response.body, 'searchset');
    target = bundle.next;
    asked = target === null || visited.has(target) ? null : ask(target);
    total ??= bundle.total;
    const { resources, malformed } = matchedResources(bundle);
    counts.pages += 1;
    counts.received += resources.length;
    counts.malformed += malformed;

    const rows = await rowsToStore(deps, resources, start, counts);
    if (rows.length > 0) await deps.store.putServerResources(rows);
    counts.stored += rows.length;

    const span = pageSpan(resources);
    if (span !== null) {
      if (span.min < runningMax) inOrder = false;
      runningMax = Math.max(runningMax, span.max);
    }
    checkpoint = advance(checkpoint, resources);
    if (inOrder && checkpoint !== null && checkpoint !== start) await deps.store.writeCheckpoint(type, checkpoint);
    deps.onPage?.(type, counts, total);
  }
  if (!inOrder && checkpoint !== null) await deps.store.writeCheckpoint(type, checkpoint);
  // A type with nothing in it yet is still a started stream: the next live poll may skip it.
  if (checkpoint === null) await deps.store.writeCheckpoint(type, emptyCheckpoint);
  return counts;
}
