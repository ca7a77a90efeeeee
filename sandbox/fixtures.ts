/**
 * `--fixtures DIR`: FHIR R4 Bundles loaded at start, the way a server takes a transaction (R4
 * §3.1.0.11.2): every `*.json` file in DIR, in name order, each a Bundle (transaction, batch,
 * collection or searchset). Ids: the resource's own, else the uuid of a `urn:uuid:` fullUrl, else
 * the last segment of an absolute fullUrl. References to an entry's fullUrl become `Type/id`;
 * conditional references (`Patient?identifier=system|value`) are resolved against what is loaded
 * and fail the start when they match nothing or several. A reference written `${FHIR_BASE}/…` is
 * served as an absolute reference to this server, so fixtures can carry the absolute references
 * some HIEs send. Every resource is validated against the R4 definitions; the patients join a
 * practitioner's panel (the first by default).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { validateResource, type WithId } from '@medplum/core';
import type { Group, Resource } from '@medplum/fhirtypes';
import type { SandboxRepository } from './fhir/repository.ts';
import { resourceKey } from './fhir/resource-index.ts';

export class FixtureError extends Error {
  constructor(file: string, reason: string) {
    super(`fixtures: ${file}: ${reason}`);
    this.name = 'FixtureError';
  }
}

type Entry = { fullUrl?: string; resource?: Resource };
type Loaded = { resource: Resource & { id: string }; file: string };
export type PreparedFixtures = readonly Loaded[];

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;
export const fhirBaseToken = '${FHIR_BASE}';

function readBundles(dir: string): { file: string; entries: Entry[] }[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new FixtureError(dir, 'no .json Bundle in this folder');
  return files.map((file) => {
    let bundle: unknown;
    try {
      bundle = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      throw new FixtureError(file, `not JSON (${(error as Error).message})`);
    }
    const b = bundle as { resourceType?: unknown; type?: unknown; entry?: unknown };
    if (b.resourceType !== 'Bundle' || !['transaction', 'batch', 'collection', 'searchset'].includes(String(b.type))) {
      throw new FixtureError(file, 'not a transaction, batch, collection or searchset Bundle');
    }
    return { file, entries: Array.isArray(b.entry) ? (b.entry as Entry[]) : [] };
  });
}

function idFor(entry: Entry, file: string, index: number): string {
  const own = entry.resource?.id;
  if (typeof own === 'string' && idPattern.test(own)) return own;
  const fullUrl = entry.fullUrl ?? '';
  const uuid = /^urn:uuid:([0-9a-f-]{36})$/i.exec(fullUrl)?.[1];
  if (uuid !== undefined) return uuid.toLowerCase();
  const last = fullUrl.split('/').pop() ?? '';
  if (/^https?:\/\//.test(fullUrl) && idPattern.test(last)) return last;
  return createHash('sha256').update(`${file}#${index}`).digest('hex').slice(0, 32);
}

function identifierMatches(resource: Resource, query: string): boolean {
  const params = new URLSearchParams(query);
  const wanted = params.get('identifier');
  if (wanted === null || [...params.keys()].some((k) => k !== 'identifier')) return false;
  const [system, value] = wanted.includes('|') ? (wanted.split('|', 2) as [string, string]) : [undefined, wanted];
  const identifiers = (resource as { identifier?: { system?: string; value?: string }[] }).identifier ?? [];
  return identifiers.some((i) => i.value === value && (system === undefined || system === '' || i.system === system));
}

function rewrite(value: unknown, resolveReference: (reference: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, resolveReference));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = key === 'reference' && typeof child === 'string' ? resolveReference(child) : rewrite(child, resolveReference);
  }
  return out;
}

export type FixtureOptions = Readonly<{ fhirBase: string; firstMs: number; panelGroupId: string | undefined }>;

export type FixtureLoad = Readonly<{ resources: number; patients: readonly string[] }>;

/** Reads, resolves and validates every bundle (nothing is stored if any of them is wrong). */
export function prepareFixtures(dir: string): PreparedFixtures {
  const loaded: Loaded[] = [];
  for (const { file, entries } of readBundles(dir)) {
    const byFullUrl = new Map<string, string>();
    const fresh: Loaded[] = [];
    entries.forEach((entry, index) => {
      if (entry.resource === undefined || typeof entry.resource.resourceType !== 'string') throw new FixtureError(file, `entry ${index} has no resource`);
      const id = idFor(entry, file, index);
      if (entry.fullUrl !== undefined) byFullUrl.set(entry.fullUrl, `${entry.resource.resourceType}/${id}`);
      fresh.push({ resource: { ...entry.resource, id } as Resource & { id: string }, file });
    });
    const all = [...loaded, ...fresh];
    const resolveReference = (reference: string): string => {
      const local = byFullUrl.get(reference);
      if (local !== undefined) return local;
      const conditional = /^([A-Z][A-Za-z]+)\?(.+)$/.exec(reference);
      if (conditional === null) return reference;
      const [, type, query] = conditional as unknown as [string, string, string];
      const matches = all.filter((l) => l.resource.resourceType === type && identifierMatches(l.resource, query));
      if (matches.length !== 1) throw new FixtureError(file, `the conditional reference ${reference} matches ${matches.length} resources`);
      return `${type}/${(matches[0] as Loaded).resource.id}`;
    };
    for (const item of fresh) {
      const resource = rewrite(item.resource, resolveReference) as Resource & { id: string };
      delete (resource as { meta?: unknown }).meta;
      try {
        validateResource(resource);
      } catch (error) {
        throw new FixtureError(file, `${resource.resourceType}/${resource.id} is not valid FHIR R4: ${(error as Error).message.slice(0, 400)}`);
      }
      loaded.push({ resource, file });
    }
  }
  const keys = new Set<string>();
  for (const { resource, file } of loaded) {
    const key = `${resource.resourceType}/${resource.id}`;
    if (keys.has(key)) throw new FixtureError(file, `${key} is defined twice`);
    keys.add(key);
  }
  return loaded;
}

/** How many milliseconds of stamps the fixtures take (four resources per millisecond, then the panel). */
export const fixtureSpanMs = (fixtures: PreparedFixtures): number => Math.ceil(fixtures.length / 4) + 1;

/**
 * Stores the fixtures, stamped from `firstMs` on, four per millisecond (after the generated data:
 * the change log never goes back in time), with `${FHIR_BASE}` made this server's base, and adds
 * their patients to the panel.
 */
export async function loadFixtures(repo: SandboxRepository, fixtures: PreparedFixtures, options: FixtureOptions): Promise<FixtureLoad> {
  const toBase = (reference: string): string => (reference.startsWith(fhirBaseToken) ? `${options.fhirBase}${reference.slice(fhirBaseToken.length)}` : reference);
  let index = 0;
  for (const { resource } of fixtures) {
    const ms = options.firstMs + Math.floor(index / 4);
    index += 1;
    const stamped = { ...(rewrite(resource, toBase) as Resource), meta: { versionId: createHash('sha256').update(`${resource.resourceType}/${resource.id}`).digest('hex').slice(0, 32), lastUpdated: new Date(ms).toISOString() } };
    await repo.restoreVersion(stamped as WithId<Resource>);
  }
  const loaded = fixtures;
  const patients = loaded.filter((l) => l.resource.resourceType === 'Patient').map((l) => l.resource.id);
  if (options.panelGroupId !== undefined && patients.length > 0) {
    const current = repo.index.current(resourceKey('Group', options.panelGroupId));
    if (current === undefined) throw new FixtureError('--fixtures', `no panel Group/${options.panelGroupId} to add the fixture patients to`);
    const group = await repo.readResource<Group>('Group', options.panelGroupId);
    const member = [...(group.member ?? []), ...patients.map((id) => ({ entity: { reference: `Patient/${id}` } }))];
    const updated = { ...group, member, quantity: member.length, meta: { versionId: createHash('sha256').update(`fixtures-panel-${options.panelGroupId}`).digest('hex').slice(0, 32), lastUpdated: new Date(options.firstMs + fixtureSpanMs(fixtures) - 1).toISOString() } };
    await repo.restoreVersion(updated as WithId<Group>);
  }
  return { resources: loaded.length, patients };
}
