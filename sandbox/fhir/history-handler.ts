/**
 * `_history` at instance, type and system level, from the change log: newest first, `_since`
 * inclusive, deletions included (as entries without a resource), filtered by who may see each
 * version. Pages are bounded by the log length at the first request, so changes committed while
 * a client pages do not shift what it sees.
 */
import type { BundleEntry } from '@medplum/fhirtypes';
import { canSee, currentPrincipal, hasScope } from '../access/principal.ts';
import { fullUrl, pageBundle, type PageShaping } from './bundle.ts';
import type { ChangeEntry } from './change-log.ts';
import { decodeCursor, expectCursor, pageSize, type HistoryCursor } from './paging.ts';
import { FhirRequestError, badRequest, type FhirCall, type FhirReply } from './reply.ts';
import type { SandboxRepository } from './repository.ts';
import { toPeriod } from '@medplum/core';

export type HistoryScope =
  | Readonly<{ level: 'system' }>
  | Readonly<{ level: 'type'; resourceType: string }>
  | Readonly<{ level: 'instance'; resourceType: string; id: string }>;

const historyParameters = new Set(['_since', '_count', '_cursor', '_format', '_pretty']);

export function etagOf(versionId: string): string {
  return `W/"${versionId}"`;
}

function sinceMs(query: URLSearchParams): number | undefined {
  const value = query.get('_since');
  if (value === null) return undefined;
  const start = toPeriod(value)?.start;
  const ms = start ? Date.parse(start) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`Invalid _since: ${value}`);
  return ms;
}

async function historyEntry(repo: SandboxRepository, base: string, change: ChangeEntry): Promise<BundleEntry> {
  const url = `${change.resourceType}/${change.id}`;
  const response = {
    etag: etagOf(change.versionId),
    lastModified: new Date(change.lastUpdatedMs).toISOString(),
  };
  const location = fullUrl(base, change.resourceType, change.id);
  if (change.operation === 'delete') {
    return { fullUrl: location, request: { method: 'DELETE', url }, response: { status: '204 No Content', ...response } };
  }
  const resource = await repo.versionContent(change);
  const created = change.operation === 'create';
  return {
    fullUrl: location,
    ...(resource ? { resource } : {}),
    request: created ? { method: 'POST', url: change.resourceType } : { method: 'PUT', url },
    response: { status: created ? '201 Created' : '200 OK', ...response },
  };
}

export async function historyOf(repo: SandboxRepository, call: FhirCall, scope: HistoryScope, shaping: PageShaping): Promise<FhirReply> {
  const principal = currentPrincipal();
  for (const key of call.query.keys()) {
    if (!historyParameters.has(key)) throw badRequest(`Unsupported _history parameter: ${key}`);
  }
  if (scope.level !== 'system') {
    const permission = scope.level === 'instance' ? 'r' : 's';
    if (!hasScope(principal, scope.resourceType, permission)) throw new FhirRequestError(403, 'forbidden', `The token does not allow reading ${scope.resourceType} history`);
  }
  const since = sinceMs(call.query);
  const count = pageSize(call.query);
  const cursor: HistoryCursor | undefined = expectCursor(decodeCursor(call.query.get('_cursor')), 'h');

  const visible = (change: ChangeEntry): boolean =>
    canSee(principal, change.tag, change.resourceType) && hasScope(principal, change.resourceType, scope.level === 'instance' ? 'r' : 's');

  let candidates: Iterable<ChangeEntry>;
  const max = cursor?.max ?? repo.log.length;
  const before = cursor?.before ?? max + 1;
  if (scope.level === 'instance') {
    const versions = repo.log.versionsOf(scope.resourceType, scope.id);
    if (!versions.some(visible)) throw new FhirRequestError(404, 'not-found', `${scope.resourceType}/${scope.id} not found`);
    candidates = versions.filter((v) => v.seq < before && v.seq <= max && (since === undefined || v.lastUpdatedMs >= since)).reverse();
  } else {
    const first = since === undefined ? 1 : repo.log.firstSeqAtOrAfter(since);
    candidates = (function* walk(): Generator<ChangeEntry> {
      for (let seq = Math.min(before - 1, max); seq >= first; seq--) {
        const change = repo.log.bySeq(seq);
        if (change && (scope.level === 'system' || change.resourceType === scope.resourceType)) yield change;
      }
    })();
  }

  const picked: ChangeEntry[] = [];
  for (const change of candidates) {
    if (!visible(change)) continue;
    picked.push(change);
    if (picked.length > count) break;
  }
  const page = picked.slice(0, count);
  const more = picked.length > count;
  const last = page[page.length - 1];
  // A duplicating fault resumes on the last entry of this page instead of after it.
  const next: HistoryCursor | undefined = more && last
    ? { m: 'h', max, before: shaping.duplicatePages && page.length > 1 ? last.seq + 1 : last.seq }
    : undefined;
  const entries: BundleEntry[] = [];
  for (const change of page) entries.push(await historyEntry(repo, call.base, change));
  const total = cursor === undefined && !more ? entries.length : undefined;
  return { status: 200, body: pageBundle('history', call, entries, next, shaping, total) };
}
