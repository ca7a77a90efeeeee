/**
 * The append-only change log: one entry per committed version (create, update, delete), in
 * commit order. Commit order is also lastUpdated order (the repository never stamps backwards),
 * so `_since` is a binary search. It is what system and type `_history` read, and what keeps
 * deletions visible after the resource is gone.
 */
import type { AccessTag } from '../access/access-tag.ts';

export type ChangeOperation = 'create' | 'update' | 'delete';

export type ChangeEntry = Readonly<{
  seq: number;
  operation: ChangeOperation;
  resourceType: string;
  id: string;
  versionId: string;
  lastUpdatedMs: number;
  /** Who may see this version (for a delete: who could see the last version). */
  tag: AccessTag;
}>;

export class ChangeLog {
  readonly #entries: ChangeEntry[] = [];

  append(entry: Omit<ChangeEntry, 'seq'>): ChangeEntry {
    const last = this.#entries[this.#entries.length - 1];
    if (last !== undefined && entry.lastUpdatedMs < last.lastUpdatedMs) {
      throw new RangeError('change log entries must not go back in time');
    }
    const committed: ChangeEntry = { ...entry, seq: this.#entries.length + 1 };
    this.#entries.push(committed);
    return committed;
  }

  get length(): number {
    return this.#entries.length;
  }

  /** The entry with sequence number `seq` (1-based), if any. */
  bySeq(seq: number): ChangeEntry | undefined {
    return this.#entries[seq - 1];
  }

  /** The sequence number of the first entry at or after `ms` (length + 1 when none). */
  firstSeqAtOrAfter(ms: number): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#entries[mid]?.lastUpdatedMs ?? Infinity) < ms) low = mid + 1;
      else high = mid;
    }
    return low + 1;
  }

  /** Versions of one resource, oldest first. */
  versionsOf(resourceType: string, id: string): ChangeEntry[] {
    return this.#entries.filter((e) => e.id === id && e.resourceType === resourceType);
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
