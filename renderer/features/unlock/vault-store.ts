import { z } from 'zod';
import type { VaultRecord } from '../../../shared/crypto/key-hierarchy';

/**
 * Where this device keeps its vault: the wrapped replica key (key-hierarchy.ts), whose clinician
 * it belongs to, and the name of the replica database. Wrapped key material opens nothing without
 * both the device secret and the passphrase, so it is not secret; it is still precious (lose it and
 * the replica cannot be opened), so it lives in its own small IndexedDB database and every write is
 * a strict-durability transaction (a relaxed one may be lost on power cut after being reported).
 * Nothing here identifies a patient.
 */
export type VaultEntry = Readonly<{
  format: 1;
  record: VaultRecord;
  /** `Practitioner/<id>` whose panel the replica holds, and the FHIR base it comes from. */
  owner: Readonly<{ practitioner: string; fhirBase: string }>;
  /** The replica's database name: random, so it names nobody. */
  replicaName: string;
  createdAt: string;
  /** The last sync that reached the HIE, shown offline after a restart. */
  lastSyncAt: string | null;
  /** The first complete sync has finished (until then the progress panel shows). */
  initialSyncDone: boolean;
  /**
   * The other FHIR sources signed in to on this device (issue 15), each in its own replica under
   * the same vault keys: one source's purge or wipe order erases its replica only. Absent before.
   */
  sources?: readonly SourceReplica[];
}>;

export type SourceReplica = Readonly<{
  /** The policy's id of the source. */
  id: string;
  /** `Practitioner/<id>` as that source knows the clinician, and its FHIR base. */
  owner: Readonly<{ practitioner: string; fhirBase: string }>;
  replicaName: string;
  lastSyncAt: string | null;
  initialSyncDone: boolean;
}>;

const vaultRecordSchema = z.object({
  format: z.literal(1),
  kdf: z.literal('PBKDF2-SHA256+HKDF-SHA256'),
  iterations: z.number().int().positive(),
  salt: z.string().min(1),
  wrappedReplicaKey: z.string().min(1),
  wrappedIndexKey: z.string().min(1),
});

const replicaNamePattern = /^relais-[a-z0-9-]{8,64}$/;

const sourceReplicaSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/),
  owner: z.object({ practitioner: z.string().min(1), fhirBase: z.string().min(1) }),
  replicaName: z.string().regex(replicaNamePattern),
  lastSyncAt: z.string().nullable(),
  initialSyncDone: z.boolean(),
});

const vaultEntrySchema = z.object({
  format: z.literal(1),
  record: vaultRecordSchema,
  owner: z.object({ practitioner: z.string().min(1), fhirBase: z.string().min(1) }),
  replicaName: z.string().regex(replicaNamePattern),
  createdAt: z.string(),
  lastSyncAt: z.string().nullable(),
  initialSyncDone: z.boolean(),
  sources: z.array(sourceReplicaSchema).max(8).optional(),
});

export type VaultStore = Readonly<{
  read(): Promise<VaultEntry | null>;
  write(entry: VaultEntry): Promise<void>;
  update(patch: Partial<Pick<VaultEntry, 'lastSyncAt' | 'initialSyncDone' | 'record'>>): Promise<void>;
  /** Adds, changes (by id) or, with null, forgets another source's replica entry. */
  updateSource(id: string, source: SourceReplica | ((current: SourceReplica) => SourceReplica) | null): Promise<void>;
  /** After a wipe order: the wrapped replica key goes too. */
  remove(): Promise<void>;
}>;

const databaseName = 'relais-vault';
const storeName = 'vault';
const entryId = 'current';

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

export function createVaultStore(idb: IDBFactory): VaultStore {
  const open = (): Promise<IDBDatabase> => {
    const request = idb.open(databaseName, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    return done(request);
  };
  const withDatabase = async <T,>(use: (db: IDBDatabase) => Promise<T>): Promise<T> => {
    const db = await open();
    try {
      return await use(db);
    } finally {
      db.close();
    }
  };
  const read = (): Promise<VaultEntry | null> =>
    withDatabase(async (db) => {
      const value: unknown = await done(db.transaction(storeName, 'readonly').objectStore(storeName).get(entryId));
      const parsed = vaultEntrySchema.safeParse(value);
      return parsed.success ? parsed.data : null;
    });
  const write = (entry: VaultEntry): Promise<void> =>
    withDatabase(async (db) => {
      const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
      tx.objectStore(storeName).put(vaultEntrySchema.parse(entry), entryId);
      await committed(tx);
    });
  // Updates are read-modify-write: run them one after another, or two at once lose one's change.
  let queue: Promise<void> = Promise.resolve();
  return {
    read,
    write,
    remove: () =>
      withDatabase(async (db) => {
        const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
        tx.objectStore(storeName).delete(entryId);
        await committed(tx);
      }),
    update(patch) {
      const run = queue.then(async () => {
        const current = await read();
        if (current) await write({ ...current, ...patch });
      });
      queue = run.catch(() => undefined);
      return run;
    },
    updateSource(id, source) {
      const run = queue.then(async () => {
        const current = await read();
        if (!current) return;
        const others = (current.sources ?? []).filter((s) => s.id !== id);
        const known = (current.sources ?? []).find((s) => s.id === id);
        const next = typeof source === 'function' ? (known === undefined ? null : source(known)) : source;
        await write({ ...current, sources: next === null ? others : [...others, next] });
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

/** A database name that names nobody: `relais-` and 16 random hex digits. */
export function newReplicaName(crypto: Pick<Crypto, 'getRandomValues'>): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `relais-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
