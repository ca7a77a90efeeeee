import { records, stringOf, type Record_ } from '../fhir/fhir-text';
import type { FhirResource } from '../fhir/resource';
import { compareIdentity, type IdentityRow } from './identity-match';
import { addToIndex, disagreementsIn, indexChart, sameFactIn } from './same-fact';

/**
 * Several sources, one chart (issue 15, point 1): how the records of one patient held by several
 * FHIR sources (the primary HIE and others the policy names) are linked and shown together. Pure;
 * each source's records stay in that source's own store, and nothing here writes or deletes.
 *
 * - Patients are linked only by a shared business identifier of a system the policy names (INS-NIR,
 *   NHS number…), never by name: two patients of different sources carrying the same value of one
 *   such system are one person. What would make that unsafe is shown, not guessed, and then they
 *   are not linked: one of them carries another value of a named system than the other (two INS for
 *   one person), or one source holds two patients with the identifier. Linked patients whose name,
 *   birth date or sex differ stay linked (the identifier decides) with the differences listed.
 * - The merged chart keeps every record with its source. A record another source already has (the
 *   same business identifier, or the same code, time and value: same-fact.ts) is shown once, naming
 *   every source that has it; records of the same thing at the same time with different values are
 *   both shown, each naming the other as disagreeing.
 */
export type SourceRecord = Readonly<{ source: string; resource: FhirResource }>;

export type PatientLink = Readonly<{
  /** The identifier that links them, `system|value`. */
  by: string;
  /** One patient per source, in the order the sources were given. */
  members: readonly SourceRecord[];
  /** Name, birth date, sex: what differs between the first member and each other one. */
  differences: readonly Readonly<{ source: string; rows: readonly IdentityRow[] }>[];
}>;

export type LinkProblem = Readonly<{
  /** `disagree`: a named system's values differ among patients sharing another identifier; `several`: one source holds several patients with the identifier. */
  kind: 'disagree' | 'several';
  /** The identifier they share, `system|value`. */
  by: string;
  /** For `disagree`: the system whose values differ. */
  system: string | null;
  patients: readonly SourceRecord[];
}>;

export type PatientLinks = Readonly<{
  links: readonly PatientLink[];
  /** Patients in one source only (or not linked because of a problem). */
  alone: readonly SourceRecord[];
  problems: readonly LinkProblem[];
}>;

/** The values of each named system a patient carries (an `old` identifier is not a current one). */
export function namedIdentifiers(patient: Record_, systems: ReadonlySet<string>): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const identifier of records(patient['identifier'])) {
    const system = stringOf(identifier['system']);
    const value = stringOf(identifier['value'])?.replace(/\s+/g, '');
    if (system === null || value === undefined || value === null || value === '' || !systems.has(system) || identifier['use'] === 'old') continue;
    found.set(system, new Set([...(found.get(system) ?? []), value]));
  }
  return found;
}

/** A patient's named identifiers as `system|value` keys (what links patients, linkPatients). */
export function identifierKeys(patient: Record_, systems: readonly string[]): string[] {
  return [...namedIdentifiers(patient, new Set(systems))].flatMap(([system, values]) => [...values].map((value) => `${system}|${value}`));
}

/**
 * Links the patients of several sources by the named identifier systems (in the policy's order).
 * `patients` are in source order; a source's patients come with that source's name.
 */
export function linkPatients(patients: readonly SourceRecord[], systems: readonly string[]): PatientLinks {
  const named = new Set(systems);
  const ids = patients.map((p) => namedIdentifiers(p.resource as Record_, named));
  // Union–find over patients sharing any named identifier value.
  const parent = patients.map((_, i) => i);
  const root = (i: number): number => {
    let at = i;
    while (parent[at] !== at) at = parent[at] as number;
    parent[i] = at;
    return at;
  };
  const firstWith = new Map<string, number>();
  ids.forEach((byId, i) => {
    for (const [system, values] of byId) {
      for (const value of values) {
        const key = `${system}|${value}`;
        const seen = firstWith.get(key);
        if (seen === undefined) firstWith.set(key, i);
        else parent[root(i)] = root(seen);
      }
    }
  });
  const groups = new Map<number, number[]>();
  patients.forEach((_, i) => groups.set(root(i), [...(groups.get(root(i)) ?? []), i]));

  const links: PatientLink[] = [];
  const alone: SourceRecord[] = [];
  const problems: LinkProblem[] = [];
  for (const members of groups.values()) {
    const records_ = members.map((i) => patients[i] as SourceRecord);
    if (members.length === 1) {
      alone.push(...records_);
      continue;
    }
    const by = sharedKey(members.map((i) => ids[i] as Map<string, Set<string>>), systems);
    const sources = records_.map((r) => r.source);
    if (new Set(sources).size < sources.length) {
      problems.push({ kind: 'several', by, system: null, patients: records_ });
      alone.push(...records_);
      continue;
    }
    const disagreeing = systems.find((system) => {
      const sets = members.map((i) => ids[i]?.get(system)).filter((s): s is Set<string> => s !== undefined);
      return sets.some((a) => sets.some((b) => ![...a].some((v) => b.has(v))));
    });
    if (disagreeing !== undefined) {
      problems.push({ kind: 'disagree', by, system: disagreeing, patients: records_ });
      alone.push(...records_);
      continue;
    }
    const [first, ...others] = records_ as [SourceRecord, ...SourceRecord[]];
    const differences = others.flatMap((other) => {
      const rows = compareIdentity(other.resource as Record_, first.resource as Record_).rows.filter((row) => row.trait !== 'identifier' && row.verdict === 'different');
      return rows.length === 0 ? [] : [{ source: other.source, rows }];
    });
    links.push({ by, members: records_, differences });
  }
  return { links, alone, problems };
}

/** The first named identifier (policy order) all members share, else the first any two share. */
function sharedKey(members: readonly Map<string, Set<string>>[], systems: readonly string[]): string {
  for (const system of systems) {
    const sets = members.map((m) => m.get(system));
    const first = sets[0];
    if (first === undefined || sets.some((s) => s === undefined)) continue;
    const common = [...first].find((v) => sets.every((s) => s?.has(v)));
    if (common !== undefined) return `${system}|${common}`;
  }
  for (const system of systems) {
    const counts = new Map<string, number>();
    for (const m of members) for (const v of m.get(system) ?? []) counts.set(v, (counts.get(v) ?? 0) + 1);
    const shared = [...counts].find(([, n]) => n > 1);
    if (shared !== undefined) return `${system}|${shared[0]}`;
  }
  return '';
}

export type MergedRecord = Readonly<{
  source: string;
  resource: FhirResource;
  /** Other sources holding the same fact (shown once, here). */
  alsoIn: readonly SourceRecord[];
  /** Records of other sources of the same thing at the same time with another value. */
  disagreesWith: readonly SourceRecord[];
}>;

const keyOf = (source: string, resource: Record_): string => `${source}\u0000${String(resource['resourceType'])}/${String(resource['id'])}`;

/**
 * One patient's records from several sources (in source order, the primary first), as one list:
 * each fact once, with every source that holds it; disagreements on both sides. The Patient
 * resources themselves are left to linkPatients.
 */
export function mergeRecords(sources: readonly Readonly<{ source: string; resources: readonly FhirResource[] }>[]): MergedRecord[] {
  const index = indexChart([]);
  const merged = new Map<string, { source: string; resource: FhirResource; alsoIn: SourceRecord[]; disagreesWith: SourceRecord[] }>();
  for (const { source, resources } of sources) {
    // Within one source nothing is merged: the same fact twice in one source is that source's to fix, and shown so.
    const added: Array<[string, FhirResource]> = [];
    for (const resource of resources) {
      if (resource.resourceType === 'Patient') continue;
      const record = resource as Record_;
      const same = sameFactIn(record, index);
      const holder = same === null ? undefined : merged.get(same);
      if (holder !== undefined && holder.source !== source) {
        holder.alsoIn.push({ source, resource });
        continue;
      }
      const key = keyOf(source, record);
      const item = { source, resource, alsoIn: [] as SourceRecord[], disagreesWith: [] as SourceRecord[] };
      for (const other of disagreementsIn(record, index)) {
        const them = merged.get(other);
        if (them === undefined || them.source === source) continue;
        them.disagreesWith.push({ source, resource });
        item.disagreesWith.push({ source: them.source, resource: them.resource });
      }
      merged.set(key, item);
      added.push([key, resource]);
    }
    for (const [key, resource] of added) addToIndex(index, resource as Record_, key);
  }
  return [...merged.values()];
}
