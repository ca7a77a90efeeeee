import { fromUtf8 } from '../../shared/crypto/bytes';
import type { UnlockedVault } from '../../shared/crypto/key-hierarchy';
import { newInboxKeys, openBox, openInboxKey, type InboxKeys } from '../../shared/crypto/sealed-box';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { foldOp, inboxOpSchema, type FoldStore } from '../../shared/sync/locked-pull';
import type { Inbox } from '../db/inbox';

/**
 * The inbox's key pair and the fold-in: at unlock, the boxes the locked sync sealed are opened in
 * the order they were appended and applied to the replica as the pull would have (foldOp), a batch
 * at a time, each batch removed once applied. Applying an op twice changes nothing, so a fold-in
 * cut short (a kill, a lock) simply starts again at the next unlock.
 */
export const inboxKeyStream = '_inbox-key';
/** Set when a box could not be read, until a fold-in reaches the end: no checkpoint moves meanwhile. */
const damagedStream = '_inbox-damaged';

type KeyStore = Pick<FoldStore, 'readCheckpoint' | 'writeCheckpoint'>;

const isInboxKeys = (value: unknown): value is InboxKeys =>
  typeof value === 'object' && value !== null && typeof (value as InboxKeys).publicKey === 'string' && typeof (value as InboxKeys).wrappedPrivateKey === 'string';

/** The replica's inbox pair, made at the first unlock (kept sealed in the replica like a checkpoint). */
export async function ensureInboxKeys(crypto: WebCrypto, vault: UnlockedVault, store: KeyStore): Promise<InboxKeys> {
  const held = await store.readCheckpoint(inboxKeyStream);
  if (isInboxKeys(held)) return held;
  const keys = await newInboxKeys(crypto, vault.replicaKey);
  await store.writeCheckpoint(inboxKeyStream, keys);
  return keys;
}

export type FoldResult = Readonly<{
  /** Boxes opened and applied. */
  applied: number;
  /** Resources stored in the replica. */
  stored: number;
  /** Boxes that did not open or did not parse: dropped, and no checkpoint after them was applied. */
  unreadable: number;
  /** Stopped before the end (the session closed): the rest waits for the next unlock. */
  interrupted: boolean;
}>;

export type FoldDeps = Readonly<{
  crypto: WebCrypto;
  vault: UnlockedVault;
  keys: InboxKeys;
  store: FoldStore;
  inbox: Inbox;
  /** The replica's name: a box opens only in the replica it was sealed for. */
  context: string;
  batchSize?: number;
  /** After each batch: boxes opened so far, of the total at start, and resources stored. */
  onProgress?(progress: Readonly<{ boxes: number; total: number; stored: number }>): void;
  stopped?(): boolean;
}>;

export async function foldInInbox(deps: FoldDeps): Promise<FoldResult> {
  const total = await deps.inbox.count();
  if (total === 0) {
    if ((await deps.store.readCheckpoint(damagedStream)) === true) await deps.store.writeCheckpoint(damagedStream, false);
    return { applied: 0, stored: 0, unreadable: 0, interrupted: false };
  }
  const privateKey = await openInboxKey(deps.crypto, deps.keys, deps.vault.replicaKey);
  let after = -1;
  let applied = 0;
  let stored = 0;
  let unreadable = 0;
  // A fold-in cut short after a damaged box: the boxes after it still move no checkpoint.
  let damaged = (await deps.store.readCheckpoint(damagedStream)) === true;
  for (;;) {
    if (deps.stopped?.() === true) return { applied, stored, unreadable, interrupted: true };
    const batch = await deps.inbox.batch(after, deps.batchSize ?? 50);
    if (batch.length === 0) break;
    for (const entry of batch) {
      let op;
      try {
        op = inboxOpSchema.parse(JSON.parse(fromUtf8(await openBox(deps.crypto, privateKey, entry.box, deps.context))));
      } catch {
        unreadable += 1;
        if (!damaged) await deps.store.writeCheckpoint(damagedStream, true);
        damaged = true;
        continue;
      }
      // After a box that could not be read, no checkpoint moves: what it held is fetched again by the next sync.
      if (op.kind === 'checkpoint' && damaged) continue;
      stored += await foldOp(deps.store, op);
      applied += 1;
    }
    after = (batch[batch.length - 1] as { key: number }).key;
    await deps.inbox.removeThrough(after);
    deps.onProgress?.({ boxes: applied + unreadable, total, stored });
  }
  if (damaged) await deps.store.writeCheckpoint(damagedStream, false);
  return { applied, stored, unreadable, interrupted: false };
}
