/**
 * What the adapter knows about the current state without reading resources: each current
 * resource's access tag and lastUpdated, each patient's compartment, the panel resources
 * (Group, CareTeam) and the tombstones of deleted resources. Updated on commit only.
 */
import type { AccessTag } from '../access/access-tag.ts';
import type { ChangeEntry } from './change-log.ts';
import { LastUpdatedIndex } from './last-updated-index.ts';

export type Tombstone = Readonly<{ versionId: string; lastUpdatedMs: number; tag: AccessTag }>;

type Current = Readonly<{ tag: AccessTag; lastUpdatedMs: number; versionId: string }>;

export function resourceKey(resourceType: string, id: string): string {
  return `${resourceType}/${id}`;
}

export class ResourceIndex {
  readonly lastUpdated = new LastUpdatedIndex();
  readonly #current = new Map<string, Current>();
  readonly #compartments = new Map<string, Set<string>>();
  readonly #panels = new Set<string>();
  readonly #tombstones = new Map<string, Tombstone>();

  current(key: string): Current | undefined {
    return this.#current.get(key);
  }

  tombstone(key: string): Tombstone | undefined {
    return this.#tombstones.get(key);
  }

  /** Keys of the current resources in a patient's compartment (the Patient included). */
  compartment(patientId: string): ReadonlySet<string> {
    return this.#compartments.get(patientId) ?? new Set();
  }

  panelKeys(): ReadonlySet<string> {
    return this.#panels;
  }

  /** Patients a practitioner may see: members of the Groups they manage, subjects of their CareTeams. */
  patientsOf(practitionerId: string): Set<string> {
    const patients = new Set<string>();
    for (const key of this.#panels) {
      const tag = this.#current.get(key)?.tag;
      if (tag?.practitioners.includes(practitionerId)) for (const id of tag.patients) patients.add(id);
    }
    return patients;
  }

  #unlink(key: string, resourceType: string, id: string, before: Current): void {
    this.lastUpdated.remove(resourceType, { ms: before.lastUpdatedMs, id });
    for (const patient of before.tag.patients) {
      const members = this.#compartments.get(patient);
      members?.delete(key);
      if (members?.size === 0) this.#compartments.delete(patient);
    }
    this.#panels.delete(key);
  }

  apply(entry: ChangeEntry): void {
    const key = resourceKey(entry.resourceType, entry.id);
    const before = this.#current.get(key);
    if (before) this.#unlink(key, entry.resourceType, entry.id, before);
    if (entry.operation === 'delete') {
      this.#current.delete(key);
      this.#tombstones.set(key, { versionId: entry.versionId, lastUpdatedMs: entry.lastUpdatedMs, tag: entry.tag });
      return;
    }
    this.#tombstones.delete(key);
    this.#current.set(key, { tag: entry.tag, lastUpdatedMs: entry.lastUpdatedMs, versionId: entry.versionId });
    this.lastUpdated.insert(entry.resourceType, { ms: entry.lastUpdatedMs, id: entry.id });
    for (const patient of entry.tag.patients) {
      let members = this.#compartments.get(patient);
      if (!members) {
        members = new Set();
        this.#compartments.set(patient, members);
      }
      members.add(key);
    }
    if (entry.tag.kind === 'panel') this.#panels.add(key);
  }

  get size(): number {
    return this.#current.size;
  }

  clear(): void {
    this.lastUpdated.clear();
    this.#current.clear();
    this.#compartments.clear();
    this.#panels.clear();
    this.#tombstones.clear();
  }
}
