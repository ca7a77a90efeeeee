/**
 * Whether an error from the replica means the disk (the origin's storage quota) is full. IndexedDB
 * reports it as a QuotaExceededError, but by the time it reaches us Dexie has wrapped it in the
 * transaction's AbortError (`inner`), and RxDB may wrap that again (`parameters.error`, `cause`):
 * the whole chain is looked at, so a full disk is told as one, never as an unknown failure.
 */
export function isStorageFull(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && typeof current === 'object' && !seen.has(current); depth += 1) {
    seen.add(current);
    const e = current as { name?: unknown; message?: unknown; inner?: unknown; cause?: unknown; parameters?: { error?: unknown } };
    if (e.name === 'QuotaExceededError' || e.name === 'StorageFullError' || (typeof e.message === 'string' && /QuotaExceeded/.test(e.message))) return true;
    current = e.inner ?? e.cause ?? e.parameters?.error;
  }
  return false;
}

/** A full disk met in the data worker, as the page receives it (a code across the port, this error on the page). */
export class StorageFullError extends Error {
  constructor() {
    super('The disk is full.');
    this.name = 'StorageFullError';
  }
}
