import { z } from 'zod';
import { isPatientRef, patientOf } from '../fhir/compartment';
import { matchedResources, parseBundle } from './bundle';
import type { ReplicaStore, ServerRow } from './ports';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';
import { freshRows } from './pull';

/**
 * The scope as of the last completed sync, and the backfill of patients who joined it since:
 * `Patient/<id>/$everything`, paged, scope-filtered like any pull. Changes made after the
 * $everything snapshot are newer than it, so the ordinary type pulls catch them.
 */
export const scopeStream = '_scope';

export async function readScopeAtLastSync(store: ReplicaStore): Promise<ReadonlySet<string> | null> {
  const parsed = z.array(z.string()).safeParse(await store.readCheckpoint(scopeStream));
  return parsed.success ? new Set(parsed.data) : null;
}

export async function backfillPatient(
  transport: FhirTransport,
  store: ReplicaStore,
  scope: ReadonlySet<string>,
  patient: string,
  pageSize: number,
  fhirBase?: string,
): Promise<number> {
  let stored = 0;
  const visited = new Set<string>();
  let target: string | null = `${patient}/$everything?_count=${pageSize}`;
  while (target !== null && !visited.has(target)) {
    visited.add(target);
    const bundle = parseBundle((await exchange(transport, { method: 'GET', target })).body, 'searchset');
    const rows: ServerRow[] = [];
    for (const resource of matchedResources(bundle).resources) {
      const owner = patientOf(resource, fhirBase === undefined ? {} : { fhirBase });
      if (owner !== null && (!isPatientRef(owner) || !scope.has(owner))) continue;
      rows.push({ resource, patient: owner });
    }
    // As in a pull: never over a local edit, never an older version over a newer one.
    const fresh = await freshRows(store, rows);
    if (fresh.length > 0) await store.putServerResources(fresh);
    stored += fresh.length;
    target = bundle.next;
  }
  return stored;
}
