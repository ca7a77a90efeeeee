/**
 * `GET /fhir/Patient/<id>/$everything`: the patient's compartment plus the shared resources it
 * references (practitioners, organisation), optionally since an instant (`_since`) and for some
 * types (`_type`), paged in (lastUpdated, resource) order like a search.
 * See https://hl7.org/fhir/R4/operation-patient-everything.html
 */
import type { WithId } from '@medplum/core';
import type { BundleEntry, Resource } from '@medplum/fhirtypes';
import { canSee, currentPrincipal, hasScope } from '../access/principal.ts';
import { fullUrl, pageBundle, type PageShaping } from './bundle.ts';
import { compareVersions, type IndexedVersion } from './last-updated-index.ts';
import { decodeCursor, expectCursor, pageSize } from './paging.ts';
import { FhirRequestError, badRequest, type FhirCall, type FhirReply } from './reply.ts';
import type { SandboxRepository } from './repository.ts';
import { resourceKey } from './resource-index.ts';
import { toPeriod } from '@medplum/core';

const everythingParameters = new Set(['_since', '_count', '_cursor', '_type', '_format', '_pretty']);

function collectReferenceKeys(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectReferenceKeys(item, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(child)) out.add(child);
    else if (typeof child === 'object') collectReferenceKeys(child, out);
  }
}

function splitKey(key: string): { resourceType: string; id: string } {
  const slash = key.indexOf('/');
  return { resourceType: key.slice(0, slash), id: key.slice(slash + 1) };
}

export async function patientEverything(repo: SandboxRepository, call: FhirCall, patientId: string, shaping: PageShaping): Promise<FhirReply> {
  const principal = currentPrincipal();
  for (const key of call.query.keys()) {
    if (!everythingParameters.has(key)) throw badRequest(`Unsupported $everything parameter: ${key}`);
  }
  if (!hasScope(principal, 'Patient', 'r')) throw new FhirRequestError(403, 'forbidden', 'The token does not allow reading Patient');
  const patientKey = resourceKey('Patient', patientId);
  const patient = repo.index.current(patientKey);
  const tombstone = repo.index.tombstone(patientKey);
  if (!patient) {
    if (tombstone && canSee(principal, tombstone.tag, 'Patient')) throw new FhirRequestError(410, 'deleted', `Patient/${patientId} was deleted`);
    throw new FhirRequestError(404, 'not-found', `Patient/${patientId} not found`);
  }
  if (!canSee(principal, patient.tag, 'Patient')) throw new FhirRequestError(404, 'not-found', `Patient/${patientId} not found`);

  const sinceValue = call.query.get('_since');
  const sinceStart = sinceValue === null ? undefined : toPeriod(sinceValue)?.start;
  const since = sinceStart === undefined ? undefined : Date.parse(sinceStart);
  if (sinceValue !== null && (since === undefined || Number.isNaN(since))) throw badRequest(`Invalid _since: ${sinceValue}`);
  const typeFilter = call.query.get('_type')?.split(',').filter(Boolean);
  const count = pageSize(call.query, 1000);
  const cursor = expectCursor(decodeCursor(call.query.get('_cursor')), 'k');

  const included = (key: string): IndexedVersion | undefined => {
    const { resourceType } = splitKey(key);
    const current = repo.index.current(key);
    if (!current || !canSee(principal, current.tag, resourceType) || !hasScope(principal, resourceType, 'r')) return undefined;
    if (typeFilter && !typeFilter.includes(resourceType)) return undefined;
    if (since !== undefined && current.lastUpdatedMs < since) return undefined;
    return { ms: current.lastUpdatedMs, id: key };
  };

  // The compartment, then what it references that belongs to no patient (practitioners...).
  const compartment = [...repo.index.compartment(patientId)];
  const referenced = new Set<string>();
  for (const key of compartment) {
    const { resourceType, id } = splitKey(key);
    collectReferenceKeys(await repo.readUnchecked<Resource>(resourceType, id), referenced);
  }
  const keys = new Set(compartment);
  for (const key of referenced) if (repo.index.current(key)?.tag.kind === 'shared') keys.add(key);

  const ordered = [...keys].flatMap((key) => {
    const version = included(key);
    return version ? [version] : [];
  }).sort(compareVersions);
  const start = cursor === undefined ? 0 : ordered.findIndex((v) => compareVersions(v, { ms: cursor.ms, id: cursor.id }) > 0);
  const picked = start < 0 ? [] : ordered.slice(start, start + count + 1);
  const page = picked.slice(0, count);
  const resumeAt = shaping.duplicatePages && page.length > 1 ? page[page.length - 2] : page[page.length - 1];

  const entries: BundleEntry[] = [];
  for (const version of page) {
    const { resourceType, id } = splitKey(version.id);
    const resource = await repo.readUnchecked<WithId<Resource>>(resourceType, id);
    entries.push({ fullUrl: fullUrl(call.base, resourceType, id), resource, search: { mode: 'match' } });
  }
  const next = picked.length > count && resumeAt ? { m: 'k' as const, ms: resumeAt.ms, id: resumeAt.id } : undefined;
  const total = cursor === undefined && next === undefined ? entries.length : ordered.length;
  return { status: 200, body: pageBundle('searchset', call, entries, next, shaping, total) };
}
