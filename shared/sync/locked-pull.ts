import { z } from 'zod';
import { syncedResourceSchema } from '../fhir/resource';
import type { FhirTransport } from '../hie/transport';
import { laterCheckpoint, pullCheckpointSchema, readPullCheckpoint, type PullCheckpoint } from './checkpoint';
import type { ReplicaStore, ServerRow, StoredMeta } from './ports';
import { historyClock, startHistoryIfNeeded } from './history';
import { freshRows, pullType, type PullStore } from './pull';
import { offeredTypes, typesToSync } from './resource-types';
import { readScope } from './scope';

/**
 * The sync while the screen is locked (docs/ARCHITECTURE.md, "Sync while locked"). The locked
 * app holds no key that opens the replica, so it cannot read what it holds; it pulls each type
 * from the checkpoints the closing session handed over, scope-filtered as ever, and what a pull
 * would have written becomes an op appended to the inbox, sealed to the inbox's public key. At
 * the next unlock the ops are folded into the replica in order (`foldOp`), with the same rules
 * as a pull: never over a local edit, never an older version over a newer one, a checkpoint
 * never backwards. Pushing, purging, deletions and backfills wait for that unlock: each needs
 * the replica.
 */
export type InboxOp =
  | Readonly<{ kind: 'rows'; rows: readonly ServerRow[] }>
  | Readonly<{ kind: 'withdraw'; refs: readonly string[] }>
  | Readonly<{ kind: 'checkpoint'; type: string; value: PullCheckpoint }>
  /** The HIE's clock when a pass read the scope, for a history stream no run has started yet. */
  | Readonly<{ kind: 'history'; serverDate: string }>;

const typeName = z.string().regex(/^[A-Z][A-Za-z]+$/).max(64);

export const inboxOpSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rows'), rows: z.array(z.object({ resource: syncedResourceSchema, patient: z.string().nullable() })) }),
  z.object({ kind: z.literal('withdraw'), refs: z.array(z.string()) }),
  z.object({ kind: z.literal('checkpoint'), type: typeName, value: pullCheckpointSchema }),
  z.object({ kind: z.literal('history'), serverDate: z.string().max(64) }),
]);

/**
 * What the closing session hands to the locked sync: no key that opens anything, no record. The
 * inbox's public key (shared/crypto/sealed-box.ts, a raw P-256 point in base64url), and each
 * pulled type's position at the moment of locking.
 */
export const lockedHandoverSchema = z
  .object({
    inboxPublicKey: z.string().regex(/^[A-Za-z0-9_-]{87}$/),
    checkpoints: z.array(z.tuple([typeName, pullCheckpointSchema])).max(200),
    /** Whether a run has started the HIE's history stream (deletions); if not, the locked pass starts it. */
    historyStarted: z.boolean(),
  })
  .strict();
export type LockedHandover = z.infer<typeof lockedHandoverSchema>;

/** The locked app knows nothing of what the replica holds: everything is "held, version unknown", so refusals are passed on as withdrawals and the fold-in decides. */
const unknownMeta = (ref: string): StoredMeta => ({ ref, versionId: null, lastUpdated: null, syncState: 'synced' });

/** A pull store whose writes become inbox ops (appended in the order a pull makes them). */
export function inboxPullStore(checkpoints: Map<string, PullCheckpoint>, append: (op: InboxOp) => Promise<void>): PullStore {
  return {
    readCheckpoint: async (stream) => checkpoints.get(stream) ?? null,
    async writeCheckpoint(stream, value) {
      const checkpoint = readPullCheckpoint(value);
      if (checkpoint === null) throw new Error(`not a pull checkpoint: ${stream}`);
      await append({ kind: 'checkpoint', type: stream, value: checkpoint });
      checkpoints.set(stream, checkpoint);
    },
    metaOf: async (refs) => new Map(refs.map((ref) => [ref, unknownMeta(ref)])),
    putServerResources: (rows) => append({ kind: 'rows', rows }),
    removeResources: (refs) => append({ kind: 'withdraw', refs }),
  };
}

export type LockedPassDeps = Readonly<{
  transport: FhirTransport;
  practitioner: string;
  fhirBase?: string;
  /** Updated as the pass goes: the next pass starts where this one stopped. */
  checkpoints: Map<string, PullCheckpoint>;
  /** Whether the history stream has a start (set once a pass has sealed one). */
  history: { started: boolean };
  append(op: InboxOp): Promise<void>;
  pageSize?: number;
  /** After each page: resources received in this pass so far. */
  onPage?(received: number): void;
  /** Checked between types: a lock that ends stops the pass. */
  stopped?(): boolean;
}>;

/** One pass over every type: the scope read fresh from the HIE, each type pulled from its checkpoint to the end. Returns the resources received. */
export async function lockedPass(deps: LockedPassDeps): Promise<number> {
  const context = deps.fhirBase === undefined ? {} : { fhirBase: deps.fhirBase };
  const scope = await readScope(deps.transport, deps.practitioner, context);
  // Before the first pull, as in a run: a deletion made while these pages come is not missed.
  if (!deps.history.started) {
    // The HIE's clock now (its Date header, else its newest change), sealed like the rest: the fold-in starts the stream from it.
    const clock = await historyClock(scope.serverDate, deps.transport);
    if (clock !== null) {
      await deps.append({ kind: 'history', serverDate: clock });
      deps.history.started = true;
    }
  }
  const types = typesToSync(await offeredTypes(deps.transport));
  const store = inboxPullStore(deps.checkpoints, deps.append);
  let received = 0;
  for (const type of types) {
    if (deps.stopped?.() === true) break;
    const counts = await pullType(
      { transport: deps.transport, store, scope: scope.patients, pageSize: deps.pageSize ?? 500, ...context, onPage: (_type, c) => deps.onPage?.(received + c.received) },
      type,
    );
    received += counts.received;
  }
  return received;
}

export type FoldStore = Pick<ReplicaStore, 'readCheckpoint' | 'writeCheckpoint' | 'metaOf' | 'putServerResources' | 'removeResources'>;

/** Applies one op to the replica, as the pull would have. Returns the resources stored. */
export async function foldOp(store: FoldStore, op: InboxOp): Promise<number> {
  switch (op.kind) {
    case 'rows': {
      const fresh = await freshRows(store, op.rows);
      if (fresh.length > 0) await store.putServerResources(fresh);
      return fresh.length;
    }
    case 'withdraw': {
      // Only a copy that is plainly the server's: a local edit waiting on it stays.
      const held = await store.metaOf(op.refs);
      const withdraw = op.refs.filter((ref) => held.get(ref)?.syncState === 'synced');
      if (withdraw.length > 0) await store.removeResources(withdraw);
      return 0;
    }
    case 'checkpoint': {
      const held = readPullCheckpoint(await store.readCheckpoint(op.type));
      const next = laterCheckpoint(held, op.value);
      if (next !== held) await store.writeCheckpoint(op.type, next);
      return 0;
    }
    case 'history':
      await startHistoryIfNeeded(store, op.serverDate);
      return 0;
  }
}
