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

const parseResourceBody = parser<ResourceBody>(resourceBody);

const metaText = (resource: Readonly<{ meta?: Readonly<Record<string, unknown>> }>, field: string): string => {
  const value = resource.meta?.[field];
  return typeof value === 'string' ? value : '';
};
const refOfResource = (resource: Readonly<{ resourceType?: unknown; id?: unknown }>): string | null =>
  typeof resource.resourceType === 'string' && typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : null;

/**
 * A resource body as it is sealed in a row: a field the resource itself says (its ref, the server
 * version and time in its meta, 'synced') is left out, about a tenth of a row (issue 12, bytes on
 * disk). `bodyOfResource` puts them back; a body written whole (before this, or any other field
 * value) reads as it was.
 */
export function compactResourceBody(body: ResourceBody): Record<string, unknown> {
  const compact: Record<string, unknown> = { resource: body.resource, patient: body.patient };
  if (body.ref !== refOfResource(body.resource)) compact['ref'] = body.ref;
  if (body.versionId !== metaText(body.resource, 'versionId')) compact['versionId'] = body.versionId;
  if (body.lastUpdated !== metaText(body.resource, 'lastUpdated')) compact['lastUpdated'] = body.lastUpdated;
  if (body.syncState !== 'synced') compact['syncState'] = body.syncState;
  return compact;
}

export function bodyOfResource(value: unknown): ResourceBody | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return parseResourceBody(value);
  const body = value as Record<string, unknown>;
  const resource = body['resource'];
  if (resource === null || typeof resource !== 'object' || Array.isArray(resource)) return parseResourceBody(value);
  const stated = resource as Readonly<{ resourceType?: unknown; id?: unknown; meta?: Readonly<Record<string, unknown>> }>;
  return parseResourceBody({
    ref: refOfResource(stated) ?? undefined,
    versionId: metaText(stated, 'versionId'),
    lastUpdated: metaText(stated, 'lastUpdated'),
    syncState: 'synced',
    ...body,
  });
}
export const bodyOfOutbox = parser<OutboxBody>(outboxBody);
export const bodyOfConflict = parser<ConflictBody>(conflictBody);
export const bodyOfKey = parser<KeyBody>(keyBody);
export const bodyOfMeta = parser<MetaBody>(metaBody);
export const asFhirResource = parser<FhirResource>(fhirResource);
