import type { FhirResource } from '../../../shared/fhir/resource';
import type { ConflictRecord } from '../../../shared/sync/ports';
import { sameValue } from '../../../shared/sync/merge';

/**
 * A conflict, field by field (top-level FHIR elements, as the engine's three-way merge compares
 * them): what the clinician wrote, what the HIE holds, and the per-field choice. Fields only one
 * side changed start on that side; fields both changed (the clash) start undecided, so nothing is
 * resolved without the clinician choosing.
 */
export type Side = 'local' | 'remote';

export type FieldRow = Readonly<{
  field: string;
  local: unknown;
  remote: unknown;
  base: unknown;
  /** Both sides changed it, differently. */
  clash: boolean;
  /** The side this field starts on; null when the clinician must choose. */
  initial: Side | null;
}>;

const bookkeeping = new Set(['resourceType', 'id', 'meta', 'text']);

export function conflictRows(conflict: ConflictRecord): FieldRow[] {
  const local = conflict.local;
  const remote = conflict.remote;
  if (remote === null) return [];
  const base = conflict.base;
  const fields = [...new Set([...Object.keys(local), ...Object.keys(remote)])].filter((f) => !bookkeeping.has(f)).sort();
  const rows: FieldRow[] = [];
  for (const field of fields) {
    const l = local[field];
    const r = remote[field];
    if (sameValue(l, r)) continue;
    const b = base?.[field];
    const localChanged = base === null ? true : !sameValue(b, l);
    const remoteChanged = base === null ? true : !sameValue(b, r);
    const clash = conflict.fields.includes(field) || (localChanged && remoteChanged);
    rows.push({ field, local: l, remote: r, base: b, clash, initial: clash ? null : localChanged ? 'local' : 'remote' });
  }
  return rows;
}

export type Choices = Readonly<Record<string, Side | null>>;

export const initialChoices = (rows: readonly FieldRow[]): Choices => Object.fromEntries(rows.map((r) => [r.field, r.initial]));

export const undecided = (rows: readonly FieldRow[], choices: Choices): readonly string[] => rows.filter((r) => (choices[r.field] ?? null) === null).map((r) => r.field);

/**
 * The merged resource: the HIE's version (its id and meta, so the push is an update of that
 * version), with each field taken from the side chosen. Call only when nothing is undecided.
 */
export function mergedResource(conflict: ConflictRecord, rows: readonly FieldRow[], choices: Choices): FhirResource {
  const remote = conflict.remote;
  if (remote === null) throw new RangeError('a deleted resource cannot be merged');
  const merged: Record<string, unknown> = { ...remote };
  for (const row of rows) {
    const side = choices[row.field];
    if (side === null || side === undefined) throw new RangeError(`no choice for ${row.field}`);
    const value = side === 'local' ? row.local : row.remote;
    if (value === undefined) delete merged[row.field];
    else merged[row.field] = value;
  }
  return merged as FhirResource;
}
