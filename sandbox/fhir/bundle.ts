/**
 * Searchset and history bundles: fullUrl on every entry, a `self` link, and a `next` link whenever
 * more results follow. Paging faults (test mode) reorder entries here.
 */
import type { Bundle, BundleEntry, BundleLink } from '@medplum/fhirtypes';
import { encodeCursor, type Cursor } from './paging.ts';
import type { FhirCall } from './reply.ts';

/**
 * How test-mode faults bend paging; all off outside test mode. `inject`: a hostile HIE's extra
 * entries, added as matches to the first page of every search of their type, whatever the caller
 * may see (the sandbox's own scope checks are bypassed on purpose: the client must refuse them).
 */
export type PageShaping = Readonly<{ duplicatePages: boolean; reorderPages: boolean; inject?: readonly Readonly<Record<string, unknown>>[] }>;

export const normalPaging: PageShaping = { duplicatePages: false, reorderPages: false };

export function fullUrl(base: string, resourceType: string, id: string): string {
  return `${base}/${resourceType}/${id}`;
}

/** The request URL with `_cursor` replaced: a `next` link a client follows as is. */
export function nextUrl(call: FhirCall, cursor: Cursor): string {
  // URLSearchParams rather than URL.searchParams: shared/'s narrow URL type has no searchParams.
  const url = new URL(call.url);
  const params = new URLSearchParams(url.search);
  params.delete('_cursor');
  params.append('_cursor', encodeCursor(cursor));
  return `${url.origin}${url.pathname}?${params.toString()}`;
}

export function pageBundle(
  type: 'searchset' | 'history',
  call: FhirCall,
  entries: BundleEntry[],
  next: Cursor | undefined,
  shaping: PageShaping,
  total?: number,
): Bundle {
  const link: BundleLink[] = [{ relation: 'self', url: call.url }];
  const url = new URL(call.url);
  const searched = url.pathname.split('/').pop() ?? '';
  if (type === 'searchset' && shaping.inject !== undefined && !new URLSearchParams(url.search).has('_cursor')) {
    const extra = shaping.inject.filter((r) => r['resourceType'] === searched);
    entries = [...entries, ...extra.map((resource) => ({ resource: resource as unknown as BundleEntry['resource'], search: { mode: 'match' as const } }))];
  }
  if (next !== undefined) link.push({ relation: 'next', url: nextUrl(call, next) });
  // A server may return a page's entries in any order; clients must not rely on it.
  const ordered = shaping.reorderPages ? [...entries].reverse() : entries;
  return {
    resourceType: 'Bundle',
    type,
    ...(total !== undefined ? { total } : {}),
    link,
    ...(ordered.length > 0 ? { entry: ordered } : {}),
  };
}
