import { z } from 'zod';
import { syncedResourceSchema, type SyncedResource } from '../fhir/resource';
import { SyncStop } from '../hie/errors';

/**
 * Reading searchset and history Bundles. The Bundle's shape is checked strictly (a response that
 * is not a Bundle stops the stream, nothing advanced); each entry is checked on its own, so one
 * malformed resource is counted and skipped instead of blocking every later page.
 */
const entrySchema = z
  .object({
    fullUrl: z.string().optional(),
    resource: z.unknown().optional(),
    search: z.object({ mode: z.string().optional() }).loose().optional(),
    request: z.object({ method: z.string(), url: z.string() }).loose().optional(),
    response: z.object({ status: z.string(), lastModified: z.string().optional(), etag: z.string().optional() }).loose().optional(),
  })
  .loose();

const bundleSchema = z
  .object({
    resourceType: z.literal('Bundle'),
    type: z.string(),
    total: z.number().int().nonnegative().optional(),
    link: z.array(z.object({ relation: z.string(), url: z.string() }).loose()).optional(),
    entry: z.array(entrySchema).optional(),
  })
  .loose();

export type BundleEntry = z.infer<typeof entrySchema>;

export type ParsedBundle = Readonly<{
  type: string;
  total: number | null;
  next: string | null;
  entries: readonly BundleEntry[];
}>;

export function parseBundle(body: unknown, expectedType: 'searchset' | 'history' | 'transaction-response'): ParsedBundle {
  const parsed = bundleSchema.safeParse(body);
  if (!parsed.success || parsed.data.type !== expectedType) throw new SyncStop('MALFORMED_RESPONSE');
  return {
    type: parsed.data.type,
    total: parsed.data.total ?? null,
    next: parsed.data.link?.find((l) => l.relation === 'next')?.url ?? null,
    entries: parsed.data.entry ?? [],
  };
}

export type MatchResult = Readonly<{ resources: readonly SyncedResource[]; malformed: number }>;

/** The `match` resources of a searchset page (`include`/`outcome` entries are not ours to store). */
export function matchedResources(bundle: ParsedBundle): MatchResult {
  const resources: SyncedResource[] = [];
  let malformed = 0;
  for (const entry of bundle.entries) {
    const mode = entry.search?.mode ?? 'match';
    if (mode !== 'match') continue;
    const resource = syncedResourceSchema.safeParse(entry.resource);
    if (resource.success) resources.push(resource.data);
    else malformed += 1;
  }
  return { resources, malformed };
}
