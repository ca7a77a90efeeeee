import type { FhirResource } from '../fhir/resource';

/**
 * Three-way merge of a local edit onto a newer server version, field by field (top-level FHIR
 * elements). A field changed on one side only takes that side; a field changed on both sides to
 * the same value is agreed; a field changed on both sides differently is a conflict, and then
 * nothing is merged: both versions go to the clinician.
 */
export type MergeResult =
  | Readonly<{ kind: 'merged'; resource: FhirResource }>
  | Readonly<{ kind: 'conflict'; fields: readonly string[] }>;

/** Resources Relais only ever creates, never edits: they cannot conflict. */
export const appendOnlyTypes: ReadonlySet<string> = new Set(['Observation', 'Communication', 'AuditEvent']);

const ignored = new Set(['meta']);

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function changedFields(from: FhirResource, to: FhirResource): Set<string> {
  const fields = new Set<string>();
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (ignored.has(key)) continue;
    if (!sameValue(from[key], to[key])) fields.add(key);
  }
  return fields;
}

export function threeWayMerge(base: FhirResource, local: FhirResource, remote: FhirResource): MergeResult {
  const ours = changedFields(base, local);
  const theirs = changedFields(base, remote);
  const clashes = [...ours].filter((f) => theirs.has(f) && !sameValue(local[f], remote[f])).sort();
  if (clashes.length > 0) return { kind: 'conflict', fields: clashes };
  const merged: Record<string, unknown> = { ...remote };
  for (const field of ours) {
    if (local[field] === undefined) delete merged[field];
    else merged[field] = local[field];
  }
  return { kind: 'merged', resource: merged as FhirResource };
}

/** Fields that differ between two versions (for the conflict record, when there is no base). */
export function differingFields(a: FhirResource, b: FhirResource): string[] {
  return [...changedFields(a, b)].sort();
}
