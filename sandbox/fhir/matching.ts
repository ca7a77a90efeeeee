/**
 * Finding the resources that match a search, before access control and paging. `_lastUpdated`
 * is evaluated here on the server's own stamps (so the fast path and this one agree); searches
 * on a patient reference or `_id` read only candidate resources instead of scanning a type.
 */
import { Operator, evalFhirPath, getSearchParameter, matchesSearchRequest, toPeriod, type Filter, type SearchRequest, type SortRule, type WithId } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { badRequest } from './reply.ts';
import type { SandboxRepository } from './repository.ts';

/** Inclusive bounds on lastUpdated (ms). */
export type InstantBounds = Readonly<{ min: number; max: number }>;

const unbounded: InstantBounds = { min: -Infinity, max: Infinity };

function periodMs(value: string): { start: number; end: number } {
  const period = toPeriod(value);
  const start = period?.start ? Date.parse(period.start) : NaN;
  const end = period?.end ? Date.parse(period.end) : NaN;
  if (Number.isNaN(start) || Number.isNaN(end)) throw badRequest(`Invalid date: ${value}`);
  return { start, end };
}

/**
 * `_lastUpdated` filters as bounds, with FHIR's precision semantics (a day means the whole day):
 * ge/gt/le/lt/eq/sa/eb. Returns undefined for operators that are not a single range (ne, ap).
 */
export function lastUpdatedBounds(filters: readonly Filter[]): InstantBounds | undefined {
  let bounds = unbounded;
  for (const filter of filters) {
    if (filter.code !== '_lastUpdated') continue;
    if (filter.value.includes(',')) return undefined;
    const { start, end } = periodMs(filter.value);
    const { min, max } = bounds;
    const operator = filter.operator;
    if (operator === Operator.EQUALS) bounds = { min: Math.max(min, start), max: Math.min(max, end) };
    else if (operator === Operator.GREATER_THAN_OR_EQUALS) bounds = { min: Math.max(min, start), max };
    else if (operator === Operator.GREATER_THAN || operator === Operator.STARTS_AFTER) bounds = { min: Math.max(min, end + 1), max };
    else if (operator === Operator.LESS_THAN_OR_EQUALS) bounds = { min, max: Math.min(max, end) };
    else if (operator === Operator.LESS_THAN || operator === Operator.ENDS_BEFORE) bounds = { min, max: Math.min(max, start - 1) };
    else return undefined;
  }
  return bounds;
}

export function withinBounds(ms: number, bounds: InstantBounds): boolean {
  return ms >= bounds.min && ms <= bounds.max;
}

const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** Patient ids named by a plain reference filter (`patient=123`, `subject=Patient/123`). */
function patientIdsOf(resourceType: string, filter: Filter): string[] | undefined {
  if (filter.operator !== Operator.EQUALS) return undefined;
  const parameter = getSearchParameter(resourceType, filter.code);
  if (parameter?.type !== 'reference') return undefined;
  const ids: string[] = [];
  for (const value of filter.value.split(',')) {
    if (value.startsWith('Patient/') && idPattern.test(value.slice(8))) ids.push(value.slice(8));
    else if (filter.code === 'patient' && idPattern.test(value)) ids.push(value);
    else return undefined;
  }
  return ids;
}

function candidateKeys(repo: SandboxRepository, request: SearchRequest): string[] | undefined {
  for (const filter of request.filters ?? []) {
    if (filter.code === '_id' && filter.operator === Operator.EQUALS) {
      return filter.value.split(',').map((id) => `${request.resourceType}/${id}`);
    }
    const patients = patientIdsOf(request.resourceType, filter);
    if (patients) {
      const prefix = `${request.resourceType}/`;
      const keys = new Set<string>();
      for (const patient of patients) {
        for (const key of repo.index.compartment(patient)) if (key.startsWith(prefix)) keys.add(key);
      }
      return [...keys];
    }
  }
  return undefined;
}

export type MatchOptions = Readonly<{ bounds: InstantBounds }>;

/** Matching resources, unfiltered by access, in no particular order. */
export async function findMatches(repo: SandboxRepository, request: SearchRequest, options: MatchOptions): Promise<WithId<Resource>[]> {
  const filters = (request.filters ?? []).filter((f) => f.code !== '_lastUpdated');
  const narrowed = candidateKeys(repo, request);
  let matches: WithId<Resource>[];
  if (narrowed) {
    matches = [];
    const plain: SearchRequest = { resourceType: request.resourceType, filters };
    for (const key of narrowed) {
      const id = key.slice(key.indexOf('/') + 1);
      if (!repo.index.current(key)) continue;
      const resource = await repo.readUnchecked<WithId<Resource>>(request.resourceType, id);
      if (matchesSearchRequest(resource, plain)) matches.push(resource);
    }
  } else {
    matches = await repo.searchUnchecked({ resourceType: request.resourceType, filters });
  }
  if (options.bounds.min === -Infinity && options.bounds.max === Infinity) return matches;
  return matches.filter((r) => withinBounds(Date.parse(r.meta?.lastUpdated ?? ''), options.bounds));
}

/**
 * Sorts by `_sort` rules with the engine's own key (the JSON of the parameter's FHIRPath value,
 * compared with localeCompare, as MemoryRepository does), evaluated once per resource rather
 * than once per comparison; ties fall back to (lastUpdated, id).
 */
export function sortBySearchRules(resources: readonly WithId<Resource>[], rules: readonly SortRule[]): WithId<Resource>[] {
  const decorated = resources.map((resource) => ({
    resource,
    keys: rules.map((rule) => {
      const expression = getSearchParameter(resource.resourceType, rule.code)?.expression;
      if (!expression) throw badRequest(`Cannot sort ${resource.resourceType} by ${rule.code}`);
      return JSON.stringify(evalFhirPath(expression, resource));
    }),
    lastUpdated: resource.meta?.lastUpdated ?? '',
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < rules.length; i++) {
      const order = (a.keys[i] ?? '').localeCompare(b.keys[i] ?? '') * (rules[i]?.descending ? -1 : 1);
      if (order !== 0) return order;
    }
    return a.lastUpdated < b.lastUpdated ? -1 : a.lastUpdated > b.lastUpdated ? 1 : a.resource.id < b.resource.id ? -1 : a.resource.id > b.resource.id ? 1 : 0;
  });
  return decorated.map((d) => d.resource);
}
