/**
 * Type-level search: `GET /fhir/<Type>?...`. Results are filtered by what the caller may see,
 * ordered by (lastUpdated, id) unless `_sort` says otherwise, and paged with `next` links that
 * visit every match exactly once. The sync query (`_lastUpdated` bounds only) is served from the
 * lastUpdated index without scanning.
 */
import { getExtraEntries, type IncludeSearchFn } from '@medplum/fhir-router';
import { getSearchParameter, parseSearchRequest, type SearchRequest, type WithId } from '@medplum/core';
import type { BundleEntry, Resource } from '@medplum/fhirtypes';
import { canSee, currentPrincipal, hasScope, type Principal } from '../access/principal.ts';
import { pageBundle, fullUrl, type PageShaping } from './bundle.ts';
import { LastUpdatedIndex, compareVersions, type IndexedVersion } from './last-updated-index.ts';
import { findMatches, lastUpdatedBounds, sortBySearchRules, withinBounds, type InstantBounds } from './matching.ts';
import { decodeCursor, expectCursor, pageSize, type Cursor, type KeysetCursor, type SnapshotCursor, type SnapshotCache } from './paging.ts';
import { FhirRequestError, badRequest, type FhirCall, type FhirReply } from './reply.ts';
import type { SandboxRepository } from './repository.ts';
import { resourceKey } from './resource-index.ts';

/** Parameters the adapter handles itself; the rest go to Medplum's parser. */
const adapterParameters = new Set(['_cursor', '_count', '_total', '_summary', '_format', '_pretty']);
const resultParameters = new Set(['_id', '_lastUpdated', '_tag', '_profile', '_security', '_source', '_sort', '_include', '_revinclude']);

export type SearchContext = Readonly<{
  repo: SandboxRepository;
  snapshots: SnapshotCache;
  shaping: PageShaping;
}>;

export function parseTypeSearch(resourceType: string, query: URLSearchParams): SearchRequest {
  const params: Record<string, string[]> = {};
  for (const [key, value] of query) {
    const code = key.split(':')[0] ?? key;
    if (adapterParameters.has(code)) continue;
    if (code.startsWith('_')) {
      if (!resultParameters.has(code)) throw badRequest(`Unsupported search parameter: ${key}`);
    } else if (!code.includes('.') && !getSearchParameter(resourceType, code)) {
      throw badRequest(`Unknown search parameter for ${resourceType}: ${code}`);
    }
    (params[key] ??= []).push(value);
  }
  return parseSearchRequest(resourceType as Resource['resourceType'], params);
}

function sortMode(request: SearchRequest): 'ascending' | 'descending' | 'other' {
  const rules = request.sortRules ?? [];
  if (rules.length === 0) return 'ascending';
  if (rules.length === 1 && rules[0]?.code === '_lastUpdated') return rules[0].descending ? 'descending' : 'ascending';
  return 'other';
}

function isIndexServed(request: SearchRequest): boolean {
  return (request.filters ?? []).every((f) => f.code === '_lastUpdated');
}

function versionOf(resource: WithId<Resource>): IndexedVersion {
  return { ms: Date.parse(resource.meta?.lastUpdated ?? ''), id: resource.id };
}

type Page = { resources: WithId<Resource>[]; next?: Cursor; total?: number };

function visibleIn(repo: SandboxRepository, principal: Principal, resourceType: string): (id: string) => boolean {
  return (id) => {
    const current = repo.index.current(resourceKey(resourceType, id));
    return current !== undefined && canSee(principal, current.tag, resourceType);
  };
}

/** The keyset walk over the lastUpdated index: O(page), whatever the size of the type. */
function indexedKeyset(
  repo: SandboxRepository, principal: Principal, resourceType: string, bounds: InstantBounds,
  after: KeysetCursor | undefined, descending: boolean, count: number,
): IndexedVersion[] {
  const list = repo.index.lastUpdated.entries(resourceType);
  const visible = visibleIn(repo, principal, resourceType);
  const picked: IndexedVersion[] = [];
  if (!descending) {
    let i = LastUpdatedIndex.lowerBound(list, { ms: bounds.min, id: '' });
    if (after) {
      let j = LastUpdatedIndex.lowerBound(list, after);
      const at = list[j];
      if (at && compareVersions(at, after) === 0) j++;
      i = Math.max(i, j);
    }
    for (; i < list.length && picked.length <= count; i++) {
      const entry = list[i];
      if (!entry || entry.ms > bounds.max) break;
      if (visible(entry.id)) picked.push(entry);
    }
  } else {
    let i = LastUpdatedIndex.lowerBound(list, { ms: bounds.max + 1, id: '' }) - 1;
    if (after) i = Math.min(i, LastUpdatedIndex.lowerBound(list, after) - 1);
    for (; i >= 0 && picked.length <= count; i--) {
      const entry = list[i];
      if (!entry || entry.ms < bounds.min) break;
      if (visible(entry.id)) picked.push(entry);
    }
  }
  return picked;
}

function countIndexed(repo: SandboxRepository, principal: Principal, resourceType: string, bounds: InstantBounds): number {
  const list = repo.index.lastUpdated.entries(resourceType);
  const visible = visibleIn(repo, principal, resourceType);
  let total = 0;
  for (let i = LastUpdatedIndex.lowerBound(list, { ms: bounds.min, id: '' }); i < list.length; i++) {
    const entry = list[i];
    if (!entry || entry.ms > bounds.max) break;
    if (visible(entry.id)) total++;
  }
  return total;
}

async function keysetPage(
  context: SearchContext, principal: Principal, request: SearchRequest, bounds: InstantBounds,
  cursor: KeysetCursor | undefined, descending: boolean, count: number, wantTotal: boolean,
): Promise<Page> {
  const { repo, shaping } = context;
  const resourceType = request.resourceType;
  let picked: IndexedVersion[];
  let total: number | undefined;
  if (isIndexServed(request)) {
    picked = indexedKeyset(repo, principal, resourceType, bounds, cursor, descending, count);
    if (wantTotal) total = countIndexed(repo, principal, resourceType, bounds);
  } else {
    const matches = (await findMatches(repo, request, { bounds }))
      .filter((r) => repo.canSeeResource(principal, r))
      .map(versionOf)
      .sort((a, b) => (descending ? compareVersions(b, a) : compareVersions(a, b)));
    if (wantTotal) total = matches.length;
    const start = cursor === undefined ? 0 : matches.findIndex((v) => (descending ? compareVersions(v, cursor) < 0 : compareVersions(v, cursor) > 0));
    picked = start < 0 ? [] : matches.slice(start, start + count + 1);
  }
  const more = picked.length > count;
  const pageVersions = picked.slice(0, count);
  const resources: WithId<Resource>[] = [];
  for (const version of pageVersions) resources.push(await repo.readUnchecked<WithId<Resource>>(resourceType, version.id));
  // A duplicating fault resumes one entry early, so the next page repeats the last one.
  const resumeAt = shaping.duplicatePages && pageVersions.length > 1 ? pageVersions[pageVersions.length - 2] : pageVersions[pageVersions.length - 1];
  return {
    resources,
    ...(more && resumeAt ? { next: { m: 'k', ms: resumeAt.ms, id: resumeAt.id } } : {}),
    ...(total !== undefined ? { total } : {}),
  };
}

async function snapshotPage(
  context: SearchContext, principal: Principal, request: SearchRequest, bounds: InstantBounds,
  cursor: SnapshotCursor | undefined, count: number,
): Promise<Page> {
  const { repo, snapshots, shaping } = context;
  let sid: string;
  let keys: readonly string[];
  if (cursor) {
    const kept = snapshots.get(cursor.sid);
    if (!kept) throw new FhirRequestError(410, 'not-found', 'These search results have expired; run the search again');
    sid = cursor.sid;
    keys = kept;
  } else {
    const matches = await findMatches(repo, request, { bounds });
    const visible = matches.filter((r) => repo.canSeeResource(principal, r));
    keys = sortBySearchRules(visible, request.sortRules ?? []).map((r) => r.id);
    sid = snapshots.put(keys);
  }
  const offset = cursor?.off ?? 0;
  const resources: WithId<Resource>[] = [];
  const visible = visibleIn(repo, principal, request.resourceType);
  for (const id of keys.slice(offset, offset + count)) {
    if (visible(id)) resources.push(await repo.readUnchecked<WithId<Resource>>(request.resourceType, id));
  }
  const nextOffset = offset + count - (shaping.duplicatePages && count > 1 ? 1 : 0);
  return {
    resources,
    total: keys.length,
    ...(offset + count < keys.length ? { next: { m: 's', sid, off: nextOffset } } : {}),
  };
}

async function includeEntries(
  repo: SandboxRepository, principal: Principal, call: FhirCall, request: SearchRequest, page: WithId<Resource>[],
): Promise<BundleEntry[]> {
  if ((!request.include && !request.revInclude) || page.length === 0) return [];
  const executeSearch: IncludeSearchFn = async (included) => {
    if (!hasScope(principal, included.resourceType, 's')) return [];
    return (await findMatches(repo, included, { bounds: { min: -Infinity, max: Infinity } }))
      .filter((r) => repo.canSeeResource(principal, r));
  };
  const entries: BundleEntry[] = [];
  const { include, revInclude } = request;
  await getExtraEntries(repo, { resourceType: request.resourceType, ...(include ? { include } : {}), ...(revInclude ? { revInclude } : {}) }, page, entries, {
    executeSearch,
    fullUrl: (resourceType, id) => fullUrl(call.base, resourceType, id),
  });
  // _include follows references with no regard to who may see the target: drop what is not theirs.
  return entries.filter((e) => e.resource && repo.canSeeResource(principal, e.resource) && hasScope(principal, e.resource.resourceType, 'r'));
}

export async function searchType(context: SearchContext, call: FhirCall, resourceType: string): Promise<FhirReply> {
  const principal = currentPrincipal();
  if (!hasScope(principal, resourceType, 's')) throw new FhirRequestError(403, 'forbidden', `The token does not allow searching ${resourceType}`);
  const request = parseTypeSearch(resourceType, call.query);
  const summary = call.query.get('_summary');
  if (summary !== null && summary !== 'count') throw badRequest('Only _summary=count is supported');
  const bounds = lastUpdatedBounds(request.filters ?? []);
  if (!bounds) throw badRequest('_lastUpdated supports eq, ge, gt, le, lt, sa and eb with a single value');
  const cursor = decodeCursor(call.query.get('_cursor'));

  if (summary === 'count') {
    const total = isIndexServed(request)
      ? countIndexed(context.repo, principal, resourceType, bounds)
      : (await findMatches(context.repo, request, { bounds })).filter((r) => context.repo.canSeeResource(principal, r)).length;
    return { status: 200, body: { resourceType: 'Bundle', type: 'searchset', total, link: [{ relation: 'self', url: call.url }] } };
  }

  const count = pageSize(call.query);
  const mode = sortMode(request);
  const wantTotal = call.query.get('_total') === 'accurate';
  const page = mode === 'other'
    ? await snapshotPage(context, principal, request, bounds, expectCursor(cursor, 's'), count)
    : await keysetPage(context, principal, request, bounds, expectCursor(cursor, 'k'), mode === 'descending', count, wantTotal);

  const entries: BundleEntry[] = page.resources.map((resource) => ({
    fullUrl: fullUrl(call.base, resource.resourceType, resource.id),
    resource,
    search: { mode: 'match' },
  }));
  entries.push(...await includeEntries(context.repo, principal, call, request, page.resources));
  // When everything fits in one page the total is free; otherwise only on `_total=accurate`.
  const total = page.total ?? (cursor === undefined && page.next === undefined ? page.resources.length : undefined);
  return { status: 200, body: pageBundle('searchset', call, entries, page.next, context.shaping, total) };
}

export { withinBounds };
