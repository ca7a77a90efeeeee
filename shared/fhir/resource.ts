import { z } from 'zod';

/**
 * What the sync engine needs to know of any FHIR R4 resource: its type, its id, and the server's
 * version and time. Everything else passes through untouched (and is validated by the feature
 * that displays it). A resource without these is malformed for sync purposes.
 */
const idPattern = /^[A-Za-z0-9\-.]{1,64}$/; // FHIR R4 id datatype
const typePattern = /^[A-Z][A-Za-z]{1,63}$/;

export const syncedResourceSchema = z
  .object({
    resourceType: z.string().regex(typePattern),
    id: z.string().regex(idPattern),
    meta: z
      .object({
        versionId: z.string().min(1).max(128),
        lastUpdated: z.iso.datetime({ offset: true }),
      })
      .loose(),
  })
  .loose();

export type FhirResource = Readonly<{ resourceType: string; id?: string; meta?: Readonly<Record<string, unknown>> }> &
  Readonly<Record<string, unknown>>;

export type SyncedResource = z.infer<typeof syncedResourceSchema>;

/** `Type/id`, the replica's primary key and the FHIR relative reference. */
export const referenceOf = (r: Readonly<{ resourceType: string; id: string }>): string => `${r.resourceType}/${r.id}`;

export function parseReference(reference: string): { type: string; id: string } | null {
  const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(reference);
  return match ? { type: match[1] as string, id: match[2] as string } : null;
}

/** FHIR instants compared as times, not strings (offsets and fractional digits vary by server). */
export const instantMs = (instant: string): number => Date.parse(instant);
