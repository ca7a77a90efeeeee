/**
 * Per resource type, the current resources in (lastUpdated, id) order: the order clients page
 * through when they sync with `_lastUpdated=ge...&_sort=_lastUpdated`, ties at the same
 * millisecond broken by id so a cursor can resume exactly.
 */
export type IndexedVersion = Readonly<{ ms: number; id: string }>;

export function compareVersions(a: IndexedVersion, b: IndexedVersion): number {
  return a.ms - b.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class LastUpdatedIndex {
  readonly #byType = new Map<string, IndexedVersion[]>();

  #list(resourceType: string): IndexedVersion[] {
    let list = this.#byType.get(resourceType);
    if (!list) {
      list = [];
      this.#byType.set(resourceType, list);
    }
    return list;
  }

  /** First position whose entry is not before `probe`. */
  static lowerBound(list: readonly IndexedVersion[], probe: IndexedVersion): number {
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const entry = list[mid];
      if (entry !== undefined && compareVersions(entry, probe) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  insert(resourceType: string, entry: IndexedVersion): void {
    const list = this.#list(resourceType);
    const last = list[list.length - 1];
    // Writes arrive in time order, so this is almost always an append.
    if (last === undefined || compareVersions(last, entry) < 0) {
      list.push(entry);
      return;
    }
    list.splice(LastUpdatedIndex.lowerBound(list, entry), 0, entry);
  }

  remove(resourceType: string, entry: IndexedVersion): void {
    const list = this.#byType.get(resourceType);
    if (!list) return;
    const at = LastUpdatedIndex.lowerBound(list, entry);
    const found = list[at];
    if (found !== undefined && found.ms === entry.ms && found.id === entry.id) list.splice(at, 1);
  }

  entries(resourceType: string): readonly IndexedVersion[] {
    return this.#byType.get(resourceType) ?? [];
  }

  types(): string[] {
    return [...this.#byType.keys()];
  }

  clear(): void {
    this.#byType.clear();
  }
}
