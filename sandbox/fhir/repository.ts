/**
 * Medplum's MemoryRepository with what a real HIE adds around storage: server-assigned version
 * stamps that never go back in time, validation on write, access control for the caller of the
 * request, tombstones and past versions (so deletes and history survive), a change log, and
 * transactions that roll back. The router keeps doing the REST semantics (If-Match, conditional
 * writes, transaction bundles); every write it makes comes through `createResource` or
 * `deleteResource` here.
 */
import {
  OperationOutcomeError, allOk, badRequest, created, deepClone, forbidden, generateId, gone, multipleMatches, notFound,
  validateResource,
  type SearchRequest, type WithId,
} from '@medplum/core';
import {
  MemoryRepository, getExtraEntries,
  type CreateResourceOptions, type DeleteResourceOptions, type UpdateResourceOptions,
} from '@medplum/fhir-router';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { accessTagOf, referencedId, type AccessTag } from '../access/access-tag.ts';
import { canSee, canStore, currentPrincipal, hasScope, type Principal } from '../access/principal.ts';
import type { Permission } from '../access/smart-scopes.ts';
import { ChangeLog, type ChangeEntry, type ChangeOperation } from './change-log.ts';
import { Mutex } from './mutex.ts';
import { ResourceIndex, resourceKey } from './resource-index.ts';

export type CommittedChange = Readonly<{ entry: ChangeEntry; resource?: WithId<Resource> }>;
export type CommitListener = (changes: readonly CommittedChange[]) => void;

type PendingChange = {
  entry: Omit<ChangeEntry, 'seq'>;
  resource?: WithId<Resource>;
  /** The version this change replaced, restored on rollback. */
  previous?: WithId<Resource>;
  pastVersionKey?: string;
};

type Transaction = { instantMs: number; pending: PendingChange[] };

type KeyState = Readonly<{ exists: boolean; deleted: boolean; tag?: AccessTag; lastUpdatedMs?: number }>;

function fail(outcome: OperationOutcome): never {
  throw new OperationOutcomeError(outcome);
}

function versionKey(resourceType: string, id: string, versionId: string): string {
  return `${resourceType}/${id}/_history/${versionId}`;
}

/** The server owns versionId and lastUpdated; tags, profiles and security labels stay. */
function withoutServerMeta<T extends Resource>(resource: T): T {
  if (!resource.meta) return resource;
  const { versionId: _versionId, lastUpdated: _lastUpdated, ...meta } = resource.meta;
  return { ...resource, meta };
}

/** JSON with sorted keys: two writes of the same event compare equal whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The audit trail is append-only, as an HIE's must be: an AuditEvent, once stored, is neither
 * changed nor deleted by any client token. Sending the very same event again (an upload whose
 * answer was lost) is answered with the stored one, and writes no new version.
 */
const appendOnly: OperationOutcome = {
  resourceType: 'OperationOutcome',
  id: 'forbidden', // the router's status comes from the id: 403
  issue: [{ severity: 'error', code: 'forbidden', details: { text: 'AuditEvent is append-only: a stored event cannot be changed or deleted' } }],
};

/**
 * A message, a task or a request about a patient goes only to practitioners who may see that
 * patient (or to the patient's own care team): the HIE refuses it otherwise, so a thread or a
 * referral never shows a patient to someone outside their care, nor waits for someone who cannot see it.
 */
const recipientOutsideCare: OperationOutcome = {
  resourceType: 'OperationOutcome',
  id: 'forbidden',
  issue: [{ severity: 'error', code: 'forbidden', details: { text: 'Whom this is addressed to (a recipient, an owner or a performer) may not see the patient it is about' } }],
};

/** Who a message, task or request about a patient is addressed to: they must be able to see the patient. */
function addresseesOf(resource: Resource): string[] {
  const references = (values: readonly ({ reference?: string } | undefined)[] | undefined): string[] =>
    (values ?? []).map((v) => v?.reference).filter((r): r is string => typeof r === 'string');
  if (resource.resourceType === 'Communication') return references(resource.recipient);
  if (resource.resourceType === 'Task') return references([resource.owner]);
  if (resource.resourceType === 'ServiceRequest') return references(resource.performer);
  return [];
}

export type RepositoryOptions = Readonly<{ validateWrites?: boolean }>;

export class SandboxRepository extends MemoryRepository {
  readonly log = new ChangeLog();
  readonly index = new ResourceIndex();
  readonly mutex = new Mutex();
  readonly #pastVersions = new Map<string, WithId<Resource>>();
  readonly #listeners: CommitListener[] = [];
  readonly #validateWrites: boolean;
  #lastInstantMs = 0;
  #transaction: Transaction | undefined;

  constructor(options: RepositoryOptions = {}) {
    super();
    this.#validateWrites = options.validateWrites ?? true;
  }

  onCommit(listener: CommitListener): void {
    this.#listeners.push(listener);
  }

  /** The latest instant stamped so far; the next stamp is never earlier. */
  get lastInstantMs(): number {
    return this.#lastInstantMs;
  }

  // ---- state, stamps, commit ----------------------------------------------------------------

  #stateOf(key: string): KeyState {
    const pending = this.#transaction?.pending;
    if (pending) {
      for (let i = pending.length - 1; i >= 0; i--) {
        const change = pending[i];
        if (change && resourceKey(change.entry.resourceType, change.entry.id) === key) {
          const deleted = change.entry.operation === 'delete';
          return { exists: !deleted, deleted, tag: change.entry.tag, lastUpdatedMs: change.entry.lastUpdatedMs };
        }
      }
    }
    const current = this.index.current(key);
    if (current) return { exists: true, deleted: false, tag: current.tag, lastUpdatedMs: current.lastUpdatedMs };
    const tombstone = this.index.tombstone(key);
    if (tombstone) return { exists: false, deleted: true, tag: tombstone.tag, lastUpdatedMs: tombstone.lastUpdatedMs };
    return { exists: false, deleted: false };
  }

  /** Visible access tag of a current resource, including uncommitted writes of this transaction. */
  tagOf(resourceType: string, id: string): AccessTag | undefined {
    const state = this.#stateOf(resourceKey(resourceType, id));
    return state.exists ? state.tag : undefined;
  }

  #stamp(previousMs: number | undefined): number {
    let ms = this.#transaction ? this.#transaction.instantMs : Math.max(Date.now(), this.#lastInstantMs);
    // A resource's versions are strictly ordered in time, even within one millisecond.
    if (previousMs !== undefined && ms <= previousMs) ms = previousMs + 1;
    this.#lastInstantMs = Math.max(this.#lastInstantMs, ms);
    return ms;
  }

  #record(change: PendingChange): void {
    if (this.#transaction) {
      this.#transaction.pending.push(change);
      return;
    }
    this.#commit([change]);
  }

  #commit(changes: readonly PendingChange[]): void {
    // Entries of one transaction share an instant except where a resource had to move forward.
    const ordered = [...changes].sort((a, b) => a.entry.lastUpdatedMs - b.entry.lastUpdatedMs);
    const committed: CommittedChange[] = ordered.map((change) => {
      const entry = this.log.append(change.entry);
      this.index.apply(entry);
      return change.resource ? { entry, resource: change.resource } : { entry };
    });
    for (const listener of this.#listeners) listener(committed);
  }

  async #rollback(changes: readonly PendingChange[]): Promise<void> {
    for (const change of [...changes].reverse()) {
      const { resourceType, id } = change.entry;
      if (change.previous) {
        const previous = change.previous;
        await this.withSeeding(() => super.createResource(previous, undefined, true));
      } else {
        await super.deleteResource(resourceType, id).catch(() => undefined);
      }
      if (change.pastVersionKey) this.#pastVersions.delete(change.pastVersionKey);
    }
  }

  override async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    if (this.#transaction) return callback(this);
    const transaction: Transaction = { instantMs: Math.max(Date.now(), this.#lastInstantMs), pending: [] };
    this.#lastInstantMs = transaction.instantMs;
    this.#transaction = transaction;
    let result: TResult;
    try {
      result = await callback(this);
    } catch (error) {
      this.#transaction = undefined;
      await this.#rollback(transaction.pending);
      throw error;
    }
    this.#transaction = undefined;
    this.#commit(transaction.pending);
    return result;
  }

  // ---- access checks -------------------------------------------------------------------------

  #requireScope(principal: Principal, resourceType: string, permission: Permission): void {
    if (!hasScope(principal, resourceType, permission)) fail(forbidden);
  }

  /** Writes to something the caller cannot see are refused, not hidden (403, not 404). */
  #requireWritable(principal: Principal, resourceType: string, state: KeyState): void {
    if (state.tag && !canSee(principal, state.tag, resourceType)) fail(forbidden);
  }

  canSeeResource(principal: Principal, resource: Resource): boolean {
    const tag = (resource.id ? this.tagOf(resource.resourceType, resource.id) : undefined) ?? accessTagOf(resource);
    return canSee(principal, tag, resource.resourceType);
  }

  // ---- writes --------------------------------------------------------------------------------

  override async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions, update = false): Promise<WithId<T>> {
    const principal = currentPrincipal();
    const id = resource.id ?? this.generateId();
    const key = resourceKey(resource.resourceType, id);
    const state = this.#stateOf(key);
    this.#requireScope(principal, resource.resourceType, state.exists ? 'u' : 'c');
    this.#requireWritable(principal, resource.resourceType, state);
    const candidate = withoutServerMeta({ ...resource, id });
    if (resource.resourceType === 'AuditEvent' && principal.kind !== 'system' && (state.exists || state.deleted)) {
      if (!state.exists) fail(appendOnly);
      const stored = await super.readResource<WithId<T>>(resource.resourceType, id);
      const { meta: _storedMeta, ...storedBody } = withoutServerMeta(stored);
      const { meta: _candidateMeta, ...candidateBody } = candidate;
      if (stableJson(storedBody) !== stableJson(candidateBody)) fail(appendOnly);
      return stored;
    }
    if (this.#validateWrites && principal.kind !== 'system') validateResource(candidate);
    const tag = accessTagOf(candidate);
    if (!canStore(principal, tag, candidate.resourceType)) fail(forbidden);
    if (principal.kind !== 'system' && tag.patients.length > 0) {
      for (const reference of addresseesOf(candidate)) {
        // Relative, versioned or absolute: a practitioner must be able to see the patient; a care team must be this patient's.
        const practitioner = referencedId(reference, 'Practitioner');
        const team = referencedId(reference, 'CareTeam');
        if (practitioner === undefined && team === undefined) continue;
        const theirs = practitioner !== undefined ? this.index.patientsOf(practitioner) : new Set(this.index.current(resourceKey('CareTeam', team ?? ''))?.tag.patients ?? []);
        if (!tag.patients.every((patient) => theirs.has(patient))) fail(recipientOutsideCare);
      }
    }
    return this.#writeVersion(candidate, tag, state, generateId(), undefined, options, update);
  }

  async #writeVersion<T extends Resource>(
    candidate: WithId<T>,
    tag: AccessTag,
    state: KeyState,
    versionId: string,
    lastUpdatedMs: number | undefined,
    options: CreateResourceOptions | undefined,
    update: boolean,
  ): Promise<WithId<T>> {
    const previous = state.exists ? await super.readResource<WithId<Resource>>(candidate.resourceType, candidate.id) : undefined;
    const ms = lastUpdatedMs ?? this.#stamp(state.lastUpdatedMs);
    const stamped = { ...candidate, meta: { ...candidate.meta, versionId, lastUpdated: new Date(ms).toISOString() } };
    const stored = await this.withSeeding(() => super.createResource(stamped, options, update));
    const operation: ChangeOperation = state.exists || state.deleted ? 'update' : 'create';
    const pastVersionKey = previous?.meta?.versionId ? versionKey(previous.resourceType, previous.id, previous.meta.versionId) : undefined;
    if (previous && pastVersionKey) this.#pastVersions.set(pastVersionKey, previous);
    this.#record({
      entry: { operation, resourceType: stored.resourceType, id: stored.id, versionId, lastUpdatedMs: ms, tag },
      resource: stored,
      ...(previous ? { previous } : {}),
      ...(pastVersionKey ? { pastVersionKey } : {}),
    });
    return stored;
  }

  override async updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    // Refuse writes outside the caller's scope before If-Match can reveal anything (403, not 412).
    if (resource.id) {
      const principal = currentPrincipal();
      this.#requireWritable(principal, resource.resourceType, this.#stateOf(resourceKey(resource.resourceType, resource.id)));
    }
    return super.updateResource(resource, options);
  }

  override async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    const principal = currentPrincipal();
    const key = resourceKey(resourceType, id);
    const state = this.#stateOf(key);
    this.#requireScope(principal, resourceType, 'd');
    if (resourceType === 'AuditEvent' && principal.kind !== 'system') fail(appendOnly);
    if (state.deleted) {
      // Deleting again succeeds (a retry after a lost response must not fail), when visible.
      if (state.tag && !canSee(principal, state.tag, resourceType)) fail(notFound);
      return;
    }
    if (!state.exists || !state.tag) fail(notFound);
    this.#requireWritable(principal, resourceType, state);
    const previous = await super.readResource<WithId<Resource>>(resourceType, id);
    await super.deleteResource(resourceType, id, options);
    const ms = this.#stamp(state.lastUpdatedMs);
    const pastVersionKey = previous.meta?.versionId ? versionKey(resourceType, id, previous.meta.versionId) : undefined;
    if (pastVersionKey) this.#pastVersions.set(pastVersionKey, previous);
    this.#record({
      entry: { operation: 'delete', resourceType, id, versionId: generateId(), lastUpdatedMs: ms, tag: state.tag },
      previous,
      ...(pastVersionKey ? { pastVersionKey } : {}),
    });
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    // MemoryRepository's own version writes around createResource (no stamps, no log): redo it
    // the way the base FhirRepository does (https://hl7.org/fhir/R4/http.html#ccreate).
    // The match is part of the create interaction: a `c` scope is enough (no `s`), and only what the
    // caller may see can match. A caller without `r` learns that the match exists, not its content.
    const principal = currentPrincipal();
    this.#requireScope(principal, resource.resourceType, 'c');
    return this.withTransaction(async () => {
      const matches = (await this.searchUnchecked({ ...search, sortRules: undefined })).filter((r) => this.canSeeResource(principal, r));
      const existing = matches[0];
      if (matches.length > 1) fail(multipleMatches);
      if (existing) {
        if (!options?.assignedId && resource.id && resource.id !== existing.id) fail(badRequest('Resource ID did not match resolved ID'));
        const shown = hasScope(principal, existing.resourceType, 'r') ? existing : ({ resourceType: existing.resourceType, id: existing.id, meta: existing.meta } as WithId<T>);
        return { resource: shown, outcome: allOk };
      }
      return { resource: await this.createResource(resource, options), outcome: created };
    });
  }

  override async expungeResources(): Promise<void> {
    fail(forbidden);
  }

  // ---- system writes: seeding and journal replay ---------------------------------------------

  /** Stores a version with the stamps it already carries (seed data, persisted journal). */
  async restoreVersion(resource: WithId<Resource>): Promise<void> {
    const versionId = resource.meta?.versionId;
    const lastUpdated = resource.meta?.lastUpdated;
    if (!versionId || !lastUpdated) throw new RangeError('a restored version needs versionId and lastUpdated');
    const ms = Date.parse(lastUpdated);
    this.#lastInstantMs = Math.max(this.#lastInstantMs, ms);
    const state = this.#stateOf(resourceKey(resource.resourceType, resource.id));
    await this.#writeVersion(resource, accessTagOf(resource), state, versionId, ms, undefined, true);
  }

  /** Replays a deletion with the stamps it was committed with. */
  async restoreDeletion(resourceType: string, id: string, versionId: string, lastUpdatedMs: number): Promise<void> {
    const state = this.#stateOf(resourceKey(resourceType, id));
    if (!state.exists || !state.tag) return;
    const previous = await super.readResource<WithId<Resource>>(resourceType, id);
    await super.deleteResource(resourceType, id);
    this.#lastInstantMs = Math.max(this.#lastInstantMs, lastUpdatedMs);
    const pastVersionKey = previous.meta?.versionId ? versionKey(resourceType, id, previous.meta.versionId) : undefined;
    if (pastVersionKey) this.#pastVersions.set(pastVersionKey, previous);
    this.#record({ entry: { operation: 'delete', resourceType, id, versionId, lastUpdatedMs, tag: state.tag }, previous });
  }

  reset(): void {
    super.clear();
    this.log.clear();
    this.index.clear();
    this.#pastVersions.clear();
    this.#lastInstantMs = 0;
  }

  // ---- reads ---------------------------------------------------------------------------------

  override async readResource<T extends Resource>(resourceType: string, id: string): Promise<T> {
    const principal = currentPrincipal();
    this.#requireScope(principal, resourceType, 'r');
    const state = this.#stateOf(resourceKey(resourceType, id));
    if (state.tag && !canSee(principal, state.tag, resourceType)) fail(notFound);
    if (state.deleted) fail(gone);
    return super.readResource<T>(resourceType, id);
  }

  /** A read with no access check: for the adapter's own handlers, which check tags first. */
  readUnchecked<T extends Resource>(resourceType: string, id: string): Promise<T> {
    return super.readResource<T>(resourceType, id);
  }

  /** Every match of the filters (sorted by `sortRules` if given), unfiltered by access. */
  async searchUnchecked<T extends Resource>(request: SearchRequest<T>): Promise<WithId<T>[]> {
    const { count: _count, offset: _offset, include: _include, revInclude: _revInclude, total: _total, ...rest } = request;
    const bundle = await super.search(rest);
    return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
  }

  /** The content of a version from the log (current, superseded or the last before a delete). */
  async versionContent(entry: ChangeEntry): Promise<WithId<Resource> | undefined> {
    if (entry.operation === 'delete') return undefined;
    const current = this.index.current(resourceKey(entry.resourceType, entry.id));
    if (current?.versionId === entry.versionId) return this.readUnchecked<WithId<Resource>>(entry.resourceType, entry.id);
    const past = this.#pastVersions.get(versionKey(entry.resourceType, entry.id, entry.versionId));
    return past ? deepClone(past) : undefined;
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    // The router's search (batch entries, includes): access-filtered, then paged.
    const principal = currentPrincipal();
    this.#requireScope(principal, request.resourceType, 's');
    const matches = (await this.searchUnchecked(request)).filter((r) => this.canSeeResource(principal, r));
    const offset = request.offset ?? 0;
    const page = request.count === undefined ? matches.slice(offset) : matches.slice(offset, offset + request.count);
    const entry: BundleEntry<WithId<T>>[] = page.map((resource) => ({ search: { mode: 'match' }, resource }));
    if ((request.include || request.revInclude) && page.length > 0) {
      const entries = entry as BundleEntry[];
      await getExtraEntries(this, request, page, entries);
    }
    return { resourceType: 'Bundle', type: 'searchset', total: matches.length, ...(entry.length ? { entry } : {}) };
  }

  override async readHistory<T extends Resource>(resourceType: string, id: string): Promise<Bundle<T>> {
    const principal = currentPrincipal();
    this.#requireScope(principal, resourceType, 'r');
    const versions = this.log.versionsOf(resourceType, id).filter((e) => canSee(principal, e.tag, resourceType));
    if (versions.length === 0) fail(notFound);
    const entry: BundleEntry<T>[] = [];
    for (const version of versions.reverse()) {
      const content = await this.versionContent(version);
      entry.push(content
        ? { resource: content as T, request: { method: 'PUT', url: `${resourceType}/${id}` } }
        : { request: { method: 'DELETE', url: `${resourceType}/${id}` } });
    }
    return { resourceType: 'Bundle', type: 'history', entry };
  }

  override async readVersion<T extends Resource>(resourceType: string, id: string, versionId: string): Promise<T> {
    const principal = currentPrincipal();
    this.#requireScope(principal, resourceType, 'r');
    const version = this.log.versionsOf(resourceType, id).find((e) => e.versionId === versionId);
    if (!version || !canSee(principal, version.tag, resourceType)) fail(notFound);
    const content = await this.versionContent(version);
    if (!content) fail(gone);
    return content as T;
  }
}
