import type { FhirResource } from '../../../shared/fhir/resource';
import { mergeRecords } from '../../../shared/exchange/sources';
import { primarySourceId } from '../../../shared/exchange/source-policy';
import type { ReplicaEntry } from '../../db/resource-docs';

/**
 * One patient's chart from several sources (issue 15, point 1): the primary replica's entries and,
 * for each other source, the entries of the patient linked to this one there (linkPatients, by a
 * policy-named identifier). Each fact is shown once, naming every source that holds it; records
 * that disagree are both shown, each naming the other; nothing stored is left out.
 *
 * - The primary's entries stay exactly as they are (their refs, their sync state, a damaged one's
 *   null resource): edits, conflicts and the outbox work on them as before.
 * - Another source's entry gets a ref of its own, `<source>~Type/id`: two servers may use the same
 *   id for different things, and nothing here may address the primary's record by another's id.
 *   It is read-only (edits go to the primary only).
 * - Another source's damaged entry (its body did not open) is kept, as the primary's would be; its
 *   Patient is left out (the chart's identity is the primary's; differences are shown by the link).
 */
export type SourcedEntry = ReplicaEntry &
  Readonly<{
    /** The source it comes from (`primary`, or the policy's id of another source). */
    source: string;
    /** Other sources holding the same fact (shown once, here). */
    alsoIn: readonly string[];
    /** Records of other sources of the same thing at the same time with another value: their sources and refs here. */
    disagreesWith: readonly Readonly<{ source: string; ref: string }>[];
  }>;

export type SourceEntries = Readonly<{ source: string; entries: readonly ReplicaEntry[] }>;

/** The ref an entry of `source` has in the merged chart. */
export const sourcedRef = (source: string, ref: string): string => (source === primarySourceId ? ref : `${source}~${ref}`);

/** Which source a merged chart's ref comes from, and its ref there. */
export function sourceOfRef(ref: string): Readonly<{ source: string; ref: string }> {
  const at = ref.indexOf('~');
  return at === -1 ? { source: primarySourceId, ref } : { source: ref.slice(0, at), ref: ref.slice(at + 1) };
}

export function mergeSourceEntries(primary: readonly ReplicaEntry[], others: readonly SourceEntries[]): SourcedEntry[] {
  const sources: SourceEntries[] = [{ source: primarySourceId, entries: primary }, ...others];
  // Which entry each resource object is, so the merge's answer maps back to entries (one object, one entry).
  const entryOf = new Map<FhirResource, Readonly<{ source: string; entry: ReplicaEntry }>>();
  for (const { source, entries } of sources) {
    for (const entry of entries) if (entry.resource !== null) entryOf.set(entry.resource, { source, entry });
  }
  const merged = mergeRecords(
    sources.map(({ source, entries }) => ({ source, resources: entries.flatMap((entry) => (entry.resource === null ? [] : [entry.resource])) })),
  );
  const refIn = (source: string, resource: FhirResource): string => sourcedRef(source, entryOf.get(resource)?.entry.ref ?? `${resource.resourceType}/${String(resource.id)}`);
  const shown = new Map<FhirResource, SourcedEntry>();
  for (const record of merged) {
    const found = entryOf.get(record.resource);
    if (found === undefined) continue;
    shown.set(record.resource, {
      ...found.entry,
      ref: sourcedRef(record.source, found.entry.ref),
      syncState: record.source === primarySourceId ? found.entry.syncState : 'synced',
      source: record.source,
      alsoIn: [...new Set(record.alsoIn.map((other) => other.source))],
      disagreesWith: record.disagreesWith.map((other) => ({ source: other.source, ref: refIn(other.source, other.resource) })),
    });
  }
  // In source order, each source's entries in their own order: the primary's all (its Patient and
  // damaged entries included), another's its facts not shown elsewhere and its damaged entries.
  const result: SourcedEntry[] = [];
  for (const { source, entries } of sources) {
    for (const entry of entries) {
      if (entry.resource === null) {
        result.push({ ...entry, ref: sourcedRef(source, entry.ref), syncState: source === primarySourceId ? entry.syncState : 'synced', source, alsoIn: [], disagreesWith: [] });
        continue;
      }
      const item = shown.get(entry.resource);
      if (item !== undefined) result.push(item);
      else if (source === primarySourceId && entry.resource.resourceType === 'Patient') result.push({ ...entry, source, alsoIn: [], disagreesWith: [] });
    }
  }
  return result;
}
