import { z } from 'zod';
import { clinicalCompartmentTypes } from '../fhir/patient-compartment';
import type { ReplicaStore } from './ports';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';

/**
 * The resource types a clinician's replica holds: the Patient, every clinical type of the R4
 * Patient compartment that the HIE's CapabilityStatement says it can search, and the shared
 * resources a chart names (practitioners, organisations, medications named by reference). Pulled in this order: the patient list
 * first, so it fills while the charts load, then allergies, problems and medications.
 */
export const sharedResourceTypes: readonly string[] = ['Practitioner', 'Organization', 'Medication'];

/** What to sync, given the types the HIE offers (null: it did not say; then every type). */
export function typesToSync(offered: ReadonlySet<string> | null): readonly string[] {
  const wanted = ['Patient', ...clinicalCompartmentTypes(), ...sharedResourceTypes];
  return offered === null ? wanted : wanted.filter((type) => offered.has(type));
}

/** The checkpoint stream where the last list is kept, so an idle poll needs no request to know it. */
export const typesStream = '_types';

const capabilitySchema = z
  .object({
    resourceType: z.literal('CapabilityStatement'),
    rest: z
      .array(
        z
          .object({
            mode: z.string().optional(),
            resource: z.array(z.object({ type: z.string(), interaction: z.array(z.object({ code: z.string() }).loose()).optional() }).loose()).optional(),
          })
          .loose(),
      )
      .optional(),
  })
  .loose();

/**
 * The types the HIE can search (`GET [base]/metadata`, R4 §3.1.0.5). A server whose statement
 * cannot be read, or lists no resources, is taken to offer every type (a type it lacks then
 * answers an error that stops the run, with a sentence, instead of being silently skipped).
 */
export async function offeredTypes(transport: FhirTransport): Promise<ReadonlySet<string> | null> {
  const response = await exchange(transport, { method: 'GET', target: 'metadata' }, [200, 400, 404, 405, 406, 501]);
  if (response.status !== 200) return null;
  const parsed = capabilitySchema.safeParse(response.body);
  if (!parsed.success) return null;
  const server = parsed.data.rest?.find((r) => r.mode === undefined || r.mode === 'server');
  const searchable = (server?.resource ?? []).filter((r) => r.interaction === undefined || r.interaction.some((i) => i.code === 'search-type')).map((r) => r.type);
  return searchable.length === 0 ? null : new Set(searchable);
}

/** Reads the HIE's statement and keeps the list for the next idle polls. */
export async function refreshSyncedTypes(transport: FhirTransport, store: ReplicaStore): Promise<readonly string[]> {
  const types = typesToSync(await offeredTypes(transport));
  await store.writeCheckpoint(typesStream, types);
  return types;
}

/** The list the last full run used, or null before the first one. */
export async function storedSyncedTypes(store: ReplicaStore): Promise<readonly string[] | null> {
  const parsed = z.array(z.string()).safeParse(await store.readCheckpoint(typesStream));
  return parsed.success ? parsed.data : null;
}
