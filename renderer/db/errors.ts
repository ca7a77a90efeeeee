/**
 * Why the replica refused a local edit. The UI turns the reason into a sentence; nothing here
 * carries patient data (refs are server ids, never names).
 */
export type EditRefusal =
  | 'malformed' // the ref does not name the resource given
  | 'exists' // create on a resource already in the replica
  | 'missing' // update or delete of a resource not in the replica
  | 'deleted' // edit of a resource deleted locally and not yet sent
  | 'conflict-open' // the resource has a conflict: resolve it first
  | 'unreadable'; // the stored version failed its integrity check: wait for the next sync

export class LocalEditRefusedError extends Error {
  readonly reason: EditRefusal;
  constructor(reason: EditRefusal) {
    super(`local edit refused: ${reason}`);
    this.name = 'LocalEditRefusedError';
    this.reason = reason;
  }
}

export class ConflictNotOpenError extends Error {
  constructor() {
    super('This conflict is not open (already resolved, or unknown).');
    this.name = 'ConflictNotOpenError';
  }
}

/** An RxDB bulk write reported per-document errors. Only counts and statuses: no document data. */
export class ReplicaWriteError extends Error {
  readonly statuses: readonly number[];
  constructor(what: string, statuses: readonly number[]) {
    super(`${what}: ${statuses.length} document(s) not written (status ${[...new Set(statuses)].join(', ')})`);
    this.name = 'ReplicaWriteError';
    this.statuses = statuses;
  }
}

export function throwIfWriteErrors(what: string, result: Readonly<{ error: readonly Readonly<{ status: number }>[] }>): void {
  if (result.error.length > 0) throw new ReplicaWriteError(what, result.error.map((e) => e.status));
}

/**
 * The replica was written by a newer Relais (replica-format.ts): this release cannot read it and
 * changes nothing in it. `format`: the newer format, when known.
 */
export class ReplicaTooNewError extends Error {
  constructor(readonly format: number | null) {
    super('This replica was written by a newer version of Relais; this version cannot open it.');
    this.name = 'ReplicaTooNewError';
  }
}

/** The replica's keys do not open with this vault: it was made under another one. Nothing is overwritten. */
export class VaultMismatchError extends Error {
  constructor() {
    super('This replica was encrypted under another vault; it cannot be opened with this one.');
    this.name = 'VaultMismatchError';
  }
}
