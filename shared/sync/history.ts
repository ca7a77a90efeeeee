import { z } from 'zod';
import { parseReference } from '../fhir/resource';
import { parseBundle, type BundleEntry } from './bundle';
import type { ReplicaStore } from './ports';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';

/**
 * Deletions reach the replica through the HIE's history (`_history?_since=`): a search no longer
 * returns a deleted resource, so only history can say it is gone. The stream's position is a
 * server instant (the greatest change time seen); the first one comes from the server's own clock.
 */
const historyCheckpointSchema = z.object({ since: z.string() });
export const historyStream = '_history';

export type DeletionCounts = {
  deleted: number;
  pages: number;
  keptForConflict: number;
  /** A Group, CareTeam or Consent (what says the scope) changed at or after the scope was read this run: the next run reads it again. */
  scopeChanged: boolean;
};

/** The kinds whose change may move the clinician's scope (scope.ts). */
const scopeKinds: ReadonlySet<string> = new Set(['Group', 'CareTeam', 'Consent']);

function entryType(entry: BundleEntry): string | null {
  const stated = (entry.resource as { resourceType?: unknown } | undefined)?.resourceType;
  if (typeof stated === 'string') return stated;
  const url = entry.request?.url ?? entry.fullUrl ?? '';
  const path = url.replace(/^https?:\/\/[^/]+/, '').replace(/^.*?\/fhir\//, '').replace(/^\//, '');
  return parseReference(path.split('/').slice(0, 2).join('/'))?.type ?? null;
}

function deletedRef(entry: BundleEntry): string | null {
  const method = entry.request?.method?.toUpperCase();
  const status = entry.response?.status ?? '';
  const isDelete = method === 'DELETE' || (entry.resource === undefined && /^(204|410)\b/.test(status));
  if (!isDelete) return null;
  const url = entry.request?.url ?? entry.fullUrl ?? '';
  const path = url.replace(/^https?:\/\/[^/]+/, '').replace(/^.*?\/fhir\//, '').replace(/^\//, '').split('?')[0] ?? '';
  const ref = parseReference(path.split('/').slice(0, 2).join('/'));
  return ref === null ? null : `${ref.type}/${ref.id}`;
}

function changeTime(entry: BundleEntry): string | null {
  if (entry.response?.lastModified !== undefined) return entry.response.lastModified;
  const meta = (entry.resource as { meta?: { lastUpdated?: unknown } } | undefined)?.meta;
  return typeof meta?.lastUpdated === 'string' ? meta.lastUpdated : null;
}

/**
 * Starts the history stream at the server's current time on first sync: its Date header, or,
 * when the answers do not show it (a browser sees Date only if the HIE exposes it to CORS), the
 * newest change in its history (R4 §3.1.0.4.3 sorts history newest first). A server time either
 * way: the laptop's clock never enters a query. Nothing to start from: the next run tries again.
 */
export async function startHistoryIfNeeded(store: Pick<ReplicaStore, 'readCheckpoint' | 'writeCheckpoint'>, serverDate: string | null, transport?: FhirTransport): Promise<void> {
  if (historyCheckpointSchema.safeParse(await store.readCheckpoint(historyStream)).success) return;
  const clock = await historyClock(serverDate, transport);
  if (clock === null) return;
  // Date has one-second resolution: start a little earlier; applying a deletion twice is harmless.
  const since = new Date(Date.parse(clock) - 5_000).toISOString();
  await store.writeCheckpoint(historyStream, { since });
}

/** The HIE's clock for a history start: its Date header if seen, else its newest change; null when neither is known. */
export async function historyClock(serverDate: string | null, transport?: FhirTransport): Promise<string | null> {
  if (serverDate !== null && !Number.isNaN(Date.parse(serverDate))) return serverDate;
  if (transport === undefined) return null;
  const bundle = parseBundle((await exchange(transport, { method: 'GET', target: '_history?_count=1' })).body, 'history');
  const first = bundle.entries[0];
  const newest = first === undefined ? null : changeTime(first);
  return newest === null || Number.isNaN(Date.parse(newest)) ? null : newest;
}

export async function pullDeletions(
  transport: FhirTransport,
  store: ReplicaStore,
  pageSize: number,
  /** When this run read the scope (the server's clock; null: unknown, so any scope change counts). */
  scopeReadAt: string | null = null,
): Promise<DeletionCounts> {
  const counts: DeletionCounts = { deleted: 0, pages: 0, keptForConflict: 0, scopeChanged: false };
  const readAt = scopeReadAt === null ? Number.NaN : Date.parse(scopeReadAt);
  const checkpoint = historyCheckpointSchema.safeParse(await store.readCheckpoint(historyStream));
  if (!checkpoint.success) return counts;
  let since = checkpoint.data.since;
  // `_since` is inclusive: an entry at the position itself was read by an earlier run.
  const from = Date.parse(since);
  const visited = new Set<string>();
  let target: string | null = `_history?_since=${encodeURIComponent(since)}&_count=${pageSize}`;
  while (target !== null && !visited.has(target)) {
    visited.add(target);
    const bundle = parseBundle((await exchange(transport, { method: 'GET', target })).body, 'history');
    counts.pages += 1;
    const refs = bundle.entries.map(deletedRef).filter((r): r is string => r !== null);
    if (refs.length > 0) {
      const meta = await store.metaOf(refs);
      const removable: string[] = [];
      for (const ref of refs) {
        const stored = meta.get(ref);
        if (stored === undefined) continue;
        if (stored.syncState === 'synced') removable.push(ref);
        // Deleted on the HIE while edited here: the edit stays; pushing it meets the deletion
        // (404/410) and opens a conflict for the clinician.
        else counts.keptForConflict += 1;
      }
      await store.removeResources(removable);
      counts.deleted += removable.length;
    }
    for (const entry of bundle.entries) {
      const at = changeTime(entry);
      if (at !== null && Date.parse(at) > Date.parse(since)) since = at;
      // Changed while this run was under way, after its scope was read: the position moves past it, so the next run must not be skipped.
      const type = entryType(entry);
      const changedAt = at === null ? Number.NaN : Date.parse(at);
      if (type !== null && scopeKinds.has(type) && !(changedAt <= from) && (Number.isNaN(readAt) || Number.isNaN(changedAt) || changedAt >= readAt)) counts.scopeChanged = true;
    }
    target = bundle.next;
  }
  // History pages come newest first (FHIR R4 §3.1.0.4.3): the position moves only once every page
  // is applied, so a stop part-way re-reads the stream rather than skipping its older pages.
  await store.writeCheckpoint(historyStream, { since });
  return counts;
}

/**
 * Whether the HIE changed anything since the history position, in one small request: lets an idle
 * client poll every few seconds without re-querying every resource type.
 */
export async function changedSince(transport: FhirTransport, store: ReplicaStore): Promise<boolean> {
  const checkpoint = historyCheckpointSchema.safeParse(await store.readCheckpoint(historyStream));
  if (!checkpoint.success) return true;
  const since = checkpoint.data.since;
  const response = await exchange(transport, { method: 'GET', target: `_history?_since=${encodeURIComponent(since)}&_count=50` });
  const bundle = parseBundle(response.body, 'history');
  if (bundle.next !== null) return true;
  return bundle.entries.some((entry) => {
    const at = changeTime(entry);
    return at === null || Date.parse(at) > Date.parse(since);
  });
}
