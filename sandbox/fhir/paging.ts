/**
 * Opaque `_cursor` values for `next` links. Keyset cursors resume after the last (lastUpdated,
 * id) returned, so pages stay disjoint and complete while data changes and through
 * same-millisecond ties; snapshot cursors page through a result list computed once (for other
 * sort orders); history cursors bound the change log so new changes do not shift pages.
 */
import { z } from 'zod';
import { badRequest } from './reply.ts';

const cursorSchema = z.discriminatedUnion('m', [
  z.object({ m: z.literal('k'), ms: z.number().int(), id: z.string().min(1).max(200) }),
  z.object({ m: z.literal('s'), sid: z.string().min(1).max(64), off: z.number().int().min(0) }),
  z.object({ m: z.literal('h'), max: z.number().int().min(0), before: z.number().int().min(1) }),
]);

export type Cursor = z.infer<typeof cursorSchema>;
export type KeysetCursor = Extract<Cursor, { m: 'k' }>;
export type SnapshotCursor = Extract<Cursor, { m: 's' }>;
export type HistoryCursor = Extract<Cursor, { m: 'h' }>;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(value: string | null): Cursor | undefined {
  if (value === null) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('Invalid _cursor');
  }
  const result = cursorSchema.safeParse(parsed);
  if (!result.success) throw badRequest('Invalid _cursor');
  return result.data;
}

export function expectCursor<M extends Cursor['m']>(cursor: Cursor | undefined, mode: M): Extract<Cursor, { m: M }> | undefined {
  if (cursor === undefined) return undefined;
  if (cursor.m !== mode) throw badRequest('This _cursor belongs to another kind of search');
  return cursor as Extract<Cursor, { m: M }>;
}

/** `_count`: default 50, at most 1000 (larger pages are capped, as HAPI does). */
export function pageSize(query: URLSearchParams, fallback = 50, max = 1000): number {
  const raw = query.get('_count');
  if (raw === null) return fallback;
  if (!/^[0-9]+$/.test(raw)) throw badRequest('_count must be a non-negative integer');
  return Math.min(Number(raw), max);
}

type Snapshot = { keys: readonly string[]; expiresAt: number };

/** Result lists of searches sorted by something other than _lastUpdated, kept a while. */
export class SnapshotCache {
  readonly #snapshots = new Map<string, Snapshot>();
  readonly #ttlMs: number;
  readonly #capacity: number;

  constructor(ttlMs = 10 * 60_000, capacity = 64) {
    this.#ttlMs = ttlMs;
    this.#capacity = capacity;
  }

  put(keys: readonly string[]): string {
    const id = crypto.randomUUID();
    this.#snapshots.set(id, { keys, expiresAt: Date.now() + this.#ttlMs });
    while (this.#snapshots.size > this.#capacity) {
      const oldest = this.#snapshots.keys().next().value;
      if (oldest === undefined) break;
      this.#snapshots.delete(oldest);
    }
    return id;
  }

  get(id: string): readonly string[] | undefined {
    const snapshot = this.#snapshots.get(id);
    if (!snapshot) return undefined;
    if (snapshot.expiresAt < Date.now()) {
      this.#snapshots.delete(id);
      return undefined;
    }
    return snapshot.keys;
  }

  clear(): void {
    this.#snapshots.clear();
  }
}
