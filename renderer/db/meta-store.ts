import type { RxCollection } from 'rxdb/plugins/core';
import { bodyOfMeta } from './bodies';
import type { MetaDoc } from './schemas';

/** Small sealed values by id: checkpoints (one per stream), the quarantine list, the emergency scope, the change log. */
export async function readMeta(meta: RxCollection<MetaDoc>, id: string): Promise<unknown> {
  const doc = await meta.findOne(id).exec();
  return doc ? (bodyOfMeta(doc.toJSON().body)?.value ?? null) : null;
}

export async function writeMeta(meta: RxCollection<MetaDoc>, id: string, value: unknown): Promise<void> {
  // JSON round trip: what is sealed is exactly what a later read returns (no undefined, no Dates).
  await meta.upsert({ id, body: { value: JSON.parse(JSON.stringify(value ?? null)) as unknown } });
}

export const checkpointId = (stream: string): string => `checkpoint|${stream}`;

/** The patients in scope only through an emergency grant, as the last complete sync (or the grant itself) said. */
export const emergencyScopeId = 'scope|emergency';
