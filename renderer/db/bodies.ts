import { z } from 'zod';
import type { FhirResource } from '../../shared/fhir/resource';
import { syncedResourceSchema } from '../../shared/fhir/resource';
import type { ConflictBody, KeyBody, MetaBody, OutboxBody, ResourceBody } from './schemas';

/**
 * Opened bodies come from disk: GCM proves we wrote them, but their shape is checked here anyway
 * (a body written by an older build, or a bug), as at every boundary. null in, null out: an
 * unreadable body stays unreadable; a body of the wrong shape is treated the same way.
 */
const fhirResource = z
  .object({ resourceType: z.string().min(1), id: z.string().optional(), meta: z.record(z.string(), z.unknown()).optional() })
  .loose();

const resourceBody = z.object({
  ref: z.string(),
  resource: fhirResource,
  patient: z.string().nullable(),
  versionId: z.string(),
  lastUpdated: z.string(),
  syncState: z.enum(['synced', 'pending', 'conflict']),
});

const outboxBody = z.object({
  ref: z.string(),
  op: z.enum(['create', 'update', 'delete']),
  resource: fhirResource,
  baseVersionId: z.string().nullable(),
  base: fhirResource.nullable(),
  patient: z.string().nullable(),
  group: z.string(),
  createdAt: z.string(),
  state: z.enum(['ready', 'conflict']),
});

const conflictBody = z.object({
  ref: z.string(),
  patient: z.string().nullable(),
  outboxId: z.string(),
  base: fhirResource.nullable(),
  local: fhirResource,
  remote: syncedResourceSchema.nullable(),
  fields: z.array(z.string()),
  createdAt: z.string(),
  resolution: z.enum(['local', 'remote', 'merged']).optional(),
});

const keyBody = z.object({ patient: z.string().nullable() });
const metaBody = z.object({ value: z.unknown() });

function parser<T>(schema: z.ZodType): (value: unknown) => T | null {
  return (value) => {
    if (value === null || value === undefined) return null;
    const parsed = schema.safeParse(value);
    return parsed.success ? (parsed.data as T) : null;
  };
}

export const bodyOfResource = parser<ResourceBody>(resourceBody);
export const bodyOfOutbox = parser<OutboxBody>(outboxBody);
export const bodyOfConflict = parser<ConflictBody>(conflictBody);
export const bodyOfKey = parser<KeyBody>(keyBody);
export const bodyOfMeta = parser<MetaBody>(metaBody);
export const asFhirResource = parser<FhirResource>(fhirResource);
