import { isRecord, referenceOf, type Record_ } from '../../../shared/fhir/fhir-text';
import type { RecordReader } from '../../app/workspace';
import type { ReplicaEntry } from '../../db/resource-docs';
import { sourcedRef, type SourceEntries } from './chart-sources';
import { primarySourceId } from '../../../shared/exchange/source-policy';

/**
 * (The page thread.) The shared Medication resources a chart's medication records name by
 * `medicationReference` (not contained), read from the replica that holds those records: the
 * primary's from the primary replica, another source's from that source's replica (issue 15).
 *
 * Keyed as the merged chart keys records (chart-sources.ts `sourcedRef`): `Medication/<id>` for the
 * primary, `<source>~Medication/<id>` for another source. Two servers may give the same id to two
 * different drugs: another source's prescription must never be named after the HIE's Medication.
 */
export async function referencedMedications(entries: readonly ReplicaEntry[], replica: Pick<RecordReader, 'getResource'>, source: string = primarySourceId): Promise<Map<string, Record_>> {
  const refs = new Set<string>();
  for (const entry of entries) {
    const literal = entry.resource === null ? null : referenceOf(entry.resource['medicationReference']);
    if (literal === null || literal.startsWith('#')) continue;
    const ref = medicationKey(literal);
    if (ref !== null) refs.add(ref);
  }
  const found = new Map<string, Record_>();
  for (const ref of refs) {
    const entry = await replica.getResource(ref);
    if (entry?.resource != null && isRecord(entry.resource)) found.set(sourcedRef(source, ref), entry.resource);
  }
  return found;
}

/** `Medication/<id>` from a literal reference (relative, absolute, versioned), or null when it names no Medication. */
export function medicationKey(literal: string): string | null {
  const ref = literal.replace(/\/_history\/.*$/, '').split('/').slice(-2).join('/');
  return /^Medication\/[A-Za-z0-9\-.]{1,64}$/.test(ref) ? ref : null;
}

/** The Medications the other sources' entries name, each read in its own source's replica; a source that cannot be read names none. */
export async function sourcesMedications(
  others: readonly SourceEntries[],
  readers: readonly Readonly<{ id: string; replica: Pick<RecordReader, 'getResource'> }>[],
): Promise<Map<string, Record_>> {
  const found = new Map<string, Record_>();
  for (const { source, entries } of others) {
    const reader = readers.find((r) => r.id === source)?.replica;
    if (reader === undefined) continue;
    const theirs = await referencedMedications(entries, reader, source).catch(() => new Map<string, Record_>());
    for (const [ref, medication] of theirs) found.set(ref, medication);
  }
  return found;
}
