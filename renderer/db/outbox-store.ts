import type { RxCollection } from 'rxdb/plugins/core';
import type { OutboxEntry } from '../../shared/sync/ports';
import { bodyOfOutbox } from './bodies';
import { throwIfWriteErrors } from './errors';
import type { KeyRing } from './key-ring';
import type { OutboxDoc } from './schemas';
import type { UnsealedInstance } from './sealing-storage';
import { dropTombstones } from './tombstones';

/**
 * The outbox: the source of truth for unsent local edits, written with strict durability and
 * mirrored in memory (it is small: edits made offline), so metaOf() and saveLocalEdit() know a
 * ref's pending state without a read. Invariant: at most one entry per ref — a second edit
 * supersedes the first with a new entry id (see local-edits.ts).
 */
export type OutboxStore = Readonly<{
  load(): Promise<void>;
  entries(): readonly OutboxEntry[];
  get(id: string): OutboxEntry | undefined;
  forRef(ref: string): OutboxEntry | undefined;
  put(entry: OutboxEntry): Promise<void>;
  /** Several new entries in one write (a document import's group). */
  putMany(entries: readonly OutboxEntry[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
}>;

const byCreation = (a: OutboxEntry, b: OutboxEntry): number => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/** `onChange`: told after every change to the entries held (an entry decides what sync state a resource shows). */
export function createOutboxStore(collection: RxCollection<OutboxDoc>, unsealed: UnsealedInstance, keyRing: KeyRing, onChange: () => void = () => undefined): OutboxStore {
  const byId = new Map<string, OutboxEntry>();
  const idByRef = new Map<string, string>();

  const index = (entry: OutboxEntry): void => {
    byId.set(entry.id, entry);
    idByRef.set(entry.ref, entry.id);
  };

  async function remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    throwIfWriteErrors('outbox removal', await collection.bulkRemove([...ids]));
    await dropTombstones(unsealed, ids);
    for (const id of ids) {
      const known = byId.get(id);
      byId.delete(id);
      if (known && idByRef.get(known.ref) === id) idByRef.delete(known.ref);
    }
    onChange();
  }

  return {
    async load() {
      byId.clear();
      idByRef.clear();
      const docs = await collection.find().exec();
      const loaded: OutboxEntry[] = [];
      for (const doc of docs) {
        const body = bodyOfOutbox(doc.toJSON().body);
        if (body) loaded.push({ id: doc.id, ...body });
      }
      // A crash between writing a superseding entry and removing the one it replaced leaves two.
      loaded.sort(byCreation);
      const superseded: string[] = [];
      for (const entry of loaded) {
        const previous = idByRef.get(entry.ref);
        if (previous !== undefined) superseded.push(previous);
        index(entry);
      }
      await remove(superseded);
      onChange();
    },
    entries: () => [...byId.values()].sort(byCreation),
    get: (id) => byId.get(id),
    forRef(ref) {
      const id = idByRef.get(ref);
      return id === undefined ? undefined : byId.get(id);
    },
    async put(entry) {
      await keyRing.ensureKeys([entry.patient]);
      const patientKey = await keyRing.patientKeyOf(entry.patient);
      const { id, ...body } = entry;
      await collection.upsert({ id, patientKey, body });
      index(entry);
      onChange();
    },
    async putMany(entries) {
      if (entries.length === 0) return;
      await keyRing.ensureKeys([...new Set(entries.map((e) => e.patient))]);
      const docs = await Promise.all(
        entries.map(async (entry) => {
          const { id, ...body } = entry;
          return { id, patientKey: await keyRing.patientKeyOf(entry.patient), body };
        }),
      );
      const result = await collection.bulkUpsert(docs);
      // What was written is known before a partial failure is thrown, so that it can be taken back.
      const written = new Set(result.success.map((d) => d.primary));
      for (const entry of entries) if (written.has(entry.id)) index(entry);
      onChange();
      throwIfWriteErrors('outbox write', result);
    },
    remove,
  };
}
