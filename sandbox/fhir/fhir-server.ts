/**
 * The HTTP face of the FHIR server at `/fhir`: parses the request, applies test-mode faults,
 * authenticates the Bearer token, then runs the interaction as that practitioner, one request at
 * a time. Writes and transaction bundles go through Medplum's router; reads, searches, history
 * and $everything through the adapter's handlers. Adds ETag, Last-Modified and Location.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OperationOutcomeError, getStatus, isResourceType } from '@medplum/core';
import type { FhirRouter, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { runAs, type Principal } from '../access/principal.ts';
import { BodyTooLargeError, mediaType, readBody, sendJson } from '../http-io.ts';
import { createLogger } from '../log.ts';
import { normalPaging, type PageShaping } from './bundle.ts';
import { patientEverything } from './everything-handler.ts';
import type { ChangeOperation } from './change-log.ts';
import { etagOf, historyOf } from './history-handler.ts';
import type { SnapshotCache } from './paging.ts';
import { FhirRequestError, errorReply, replyForError, type FhirCall, type FhirReply } from './reply.ts';
import type { SandboxRepository } from './repository.ts';
import { searchType } from './search-handler.ts';

const log = createLogger('fhir');
const bodyLimit = 64 * 1024 * 1024;
const fhirJson = 'application/fhir+json; charset=utf-8';

/** What test-mode faults decide for one request. */
export type FaultDecision = Readonly<{
  latencyMs: number;
  status?: 429 | 503;
  retryAfterSeconds?: number;
  dropAfterCommit: boolean;
  shaping: PageShaping;
}>;

export type FaultSource = Readonly<{ next(method: string): FaultDecision | undefined }>;

export type Authentication =
  | Readonly<{ ok: true; principal: Principal }>
  | Readonly<{ ok: false; description: string; wipe?: boolean }>;

/**
 * The signal an HIE sends when a user or device is revoked and the laptop must crypto-shred its
 * replica (Relais reads it from any 401/403 OperationOutcome: issue.details.coding; the client's
 * side is shared/hie/wipe-order.ts, and tests/integration/sync/wipe.test.ts checks they agree).
 */
export const wipeSignal = { system: 'https://relais.example.org/fhir/CodeSystem/relais-security', code: 'wipe', display: 'Revoked: erase the local replica' } as const;

export type FhirServerOptions = Readonly<{
  base: string;
  repo: SandboxRepository;
  router: FhirRouter;
  snapshots: SnapshotCache;
  authenticate: (authorization: string | undefined) => Promise<Authentication>;
  capability: () => Resource;
  /** `POST Patient/$break-the-glass`: emergency access to a patient outside the panel. */
  breakTheGlass?: (body: unknown) => Promise<Resource>;
  smartConfiguration: () => unknown;
  faults?: FaultSource;
}>;

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** For the log: the error's kind and a short message, never a resource or a full path (ids). */
function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 200);
}

function httpDate(iso: string | undefined): string | undefined {
  return iso ? new Date(iso).toUTCString() : undefined;
}

function versionHeaders(resource: Resource | undefined): Record<string, string> {
  const versionId = resource?.meta?.versionId;
  const lastModified = httpDate(resource?.meta?.lastUpdated);
  return {
    ...(versionId ? { ETag: etagOf(versionId) } : {}),
    ...(lastModified ? { 'Last-Modified': lastModified } : {}),
  };
}

function decodeSegments(pathname: string): string[] {
  return pathname.split('/').filter((s) => s.length > 0).map((s) => decodeURIComponent(s));
}

function parseBody(request: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = mediaType(request);
  if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(raw.toString('utf8'));
  if (type !== 'application/fhir+json' && type !== 'application/json' && type !== 'application/json-patch+json') {
    throw new FhirRequestError(415, 'not-supported', `Unsupported Content-Type: ${type || '(none)'}; send application/fhir+json`);
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new FhirRequestError(400, 'structure', 'The body is not valid JSON');
  }
}

/**
 * Transaction and batch responses: versioned locations, ETags and Last-Modified per entry, and
 * 201 for entries that created their resource (the router says 200 for a PUT that creates).
 */
function decorateBatchResponse(bundle: Bundle, operations: ReadonlyMap<string, ChangeOperation>): Bundle {
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    const versionId = resource?.meta?.versionId;
    if (!entry.response || !resource?.id || !versionId) continue;
    if (operations.get(versionId) === 'create') entry.response.status = '201';
    entry.response.etag = etagOf(versionId);
    if (resource.meta?.lastUpdated) entry.response.lastModified = resource.meta.lastUpdated;
    if (entry.response.location) entry.response.location = `${resource.resourceType}/${resource.id}/_history/${versionId}`;
  }
  return bundle;
}

export function createFhirServer(options: FhirServerOptions): (request: IncomingMessage, response: ServerResponse, pathname: string, search: string) => Promise<void> {
  const { base, repo, router } = options;
  // What the current request committed (requests run one at a time), to tell creates apart.
  const committed = new Map<string, ChangeOperation>();
  repo.onCommit((changes) => {
    for (const change of changes) committed.set(change.entry.versionId, change.entry.operation);
  });

  async function routeWrite(call: FhirCall, method: HttpMethod): Promise<FhirReply> {
    const relative = call.segments.map(encodeURIComponent).join('/');
    const query = call.query.toString();
    committed.clear();
    const [outcome, resource] = await router.handleRequest({
      method,
      url: query ? `${relative}?${query}` : relative,
      pathname: '',
      body: call.body,
      params: {},
      query: {},
      headers: call.headers,
      config: { transactions: true },
    }, repo);
    let status = getStatus(outcome);
    if (status >= 400) return { status, body: outcome };
    if (method === 'POST' && call.segments.length === 0 && resource?.resourceType === 'Bundle') {
      return { status: 200, body: decorateBatchResponse(resource, committed) };
    }
    if (!resource || method === 'DELETE') return { status, body: outcome };
    // PUT to an id that did not exist is an update-as-create: 201 (R4 http.html#upsert).
    const versionId = resource.meta?.versionId;
    if (method === 'PUT' && versionId !== undefined && committed.get(versionId) === 'create') status = 201;
    const headers = versionHeaders(resource);
    if (status === 201 && resource.id && resource.meta?.versionId) {
      headers['Location'] = `${base}/${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
    }
    return { status, body: resource, headers };
  }

  async function read(call: FhirCall, resourceType: string, id: string): Promise<FhirReply> {
    const resource = await repo.readResource(resourceType, id);
    const headers = versionHeaders(resource);
    const ifNoneMatch = call.headers['if-none-match'];
    if (typeof ifNoneMatch === 'string' && headers.ETag && ifNoneMatch.replace(/^W\//, '') === headers.ETag.replace(/^W\//, '')) {
      return { status: 304, headers };
    }
    return { status: 200, body: resource, headers };
  }

  async function route(call: FhirCall, shaping: PageShaping): Promise<FhirReply> {
    const [type, id, operation, versionId, ...rest] = call.segments;
    const method = call.method as HttpMethod;
    if (type === undefined) {
      if (method === 'POST') return routeWrite(call, method);
      return errorReply(400, 'not-supported', 'System-level search is not supported; search one resource type');
    }
    if (type === '_history' && id === undefined && method === 'GET') return historyOf(repo, call, { level: 'system' }, shaping);
    if (!isResourceType(type)) return errorReply(404, 'not-supported', `Unknown resource type: ${type}`);
    if (rest.length > 0) return errorReply(404, 'not-found', 'Unknown path');
    if (type === 'Patient' && id === '$break-the-glass' && operation === undefined && method === 'POST' && options.breakTheGlass) {
      return { status: 200, body: await options.breakTheGlass(call.body) };
    }
    if (id === undefined) {
      if (method === 'GET') return searchType({ repo, snapshots: options.snapshots, shaping }, call, type);
      if (method === 'POST' || method === 'PUT' || method === 'DELETE' || method === 'PATCH') return routeWrite(call, method);
    } else if (id === '_search' && operation === undefined && method === 'POST') {
      const form = call.body instanceof URLSearchParams ? call.body : new URLSearchParams();
      const merged = new URLSearchParams([...call.query, ...form]);
      return searchType({ repo, snapshots: options.snapshots, shaping }, { ...call, query: merged, url: `${base}/${type}?${merged.toString()}` }, type);
    } else if (id === '_history' && operation === undefined && method === 'GET') {
      return historyOf(repo, call, { level: 'type', resourceType: type }, shaping);
    } else if (operation === undefined) {
      if (method === 'GET') return read(call, type, id);
      if (method === 'PUT' || method === 'DELETE' || method === 'PATCH') return routeWrite(call, method);
    } else if (operation === '_history' && method === 'GET') {
      if (versionId === undefined) return historyOf(repo, call, { level: 'instance', resourceType: type, id }, shaping);
      const resource = await repo.readVersion(type, id, versionId);
      return { status: 200, body: resource, headers: versionHeaders(resource) };
    } else if (operation === '$everything' && type === 'Patient' && versionId === undefined && method === 'GET') {
      return patientEverything(repo, call, id, shaping);
    }
    return errorReply(405, 'not-supported', `${method} is not supported on this path`);
  }

  return async function handleFhir(request, response, pathname, search) {
    const method = request.method ?? 'GET';
    const segments = decodeSegments(pathname);
    const query = new URLSearchParams(search);
    const url = `${base}${pathname}${search ? `?${query.toString()}` : ''}`;
    const fault = options.faults?.next(method);
    if (fault && fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    if (fault?.status) {
      const retry: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) retry['Retry-After'] = String(fault.retryAfterSeconds);
      const text = fault.status === 429 ? 'Too many requests (injected fault)' : 'Service unavailable (injected fault)';
      const reply = errorReply(fault.status, fault.status === 429 ? 'throttled' : 'transient', text, retry);
      sendJson(response, reply.status, reply.body, reply.headers, fhirJson);
      return;
    }

    // Public, as SMART requires: the capability statement and the SMART configuration.
    if (method === 'GET' && segments.length === 1 && segments[0] === 'metadata') {
      sendJson(response, 200, options.capability(), {}, fhirJson);
      return;
    }
    if (method === 'GET' && segments.length === 2 && segments[0] === '.well-known' && segments[1] === 'smart-configuration') {
      sendJson(response, 200, options.smartConfiguration(), {}, 'application/json; charset=utf-8');
      return;
    }

    let reply: FhirReply;
    try {
      const authorization = request.headers.authorization;
      const authentication = await options.authenticate(authorization);
      if (!authentication.ok) {
        const challenge = authorization
          ? `Bearer realm="relais-sandbox", error="invalid_token", error_description="${authentication.description}"`
          : 'Bearer realm="relais-sandbox"';
        reply = authentication.wipe === true
          ? {
              status: 401,
              body: { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'security', details: { coding: [{ ...wipeSignal }], text: authentication.description } }] },
              headers: { 'WWW-Authenticate': challenge },
            }
          : errorReply(401, 'login', authentication.description, { 'WWW-Authenticate': challenge });
      } else {
        const ifMatch = request.headers['if-match'];
        // The router would silently ignore an unquoted If-Match and update unconditionally.
        if (ifMatch !== undefined && !/^(W\/)?"[^"]+"$/.test(ifMatch.trim())) {
          throw new FhirRequestError(400, 'invalid', 'If-Match must be an entity tag: W/"<versionId>"');
        }
        const body = writeMethods.has(method) ? parseBody(request, await readBody(request, bodyLimit)) : undefined;
        const call: FhirCall = { method, segments, query, headers: request.headers, body, base, url };
        reply = await repo.mutex.exclusive(() => runAs(authentication.principal, async () => {
          try {
            return await route(call, fault?.shaping ?? normalPaging);
          } catch (error) {
            if (error instanceof FhirRequestError) return errorReply(error.status, error.code, error.message);
            if (!(error instanceof OperationOutcomeError)) log.error('request failed', { method, type: segments[0] ?? '/', error: describeError(error) });
            return replyForError(error);
          }
        }));
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) reply = errorReply(413, 'too-costly', error.message);
      else if (error instanceof FhirRequestError) reply = errorReply(error.status, error.code, error.message);
      else {
        log.error('request failed', { method, type: segments[0] ?? '/', error: describeError(error) });
        reply = replyForError(error);
      }
    }

    if (fault?.dropAfterCommit && writeMethods.has(method) && reply.status < 400) {
      // The write is committed; the client never hears back and must retry safely.
      log.debug('dropping response after commit (fault)', { method, type: segments[0] ?? '/' });
      request.socket.destroy();
      return;
    }
    sendJson(response, reply.status, reply.body, reply.headers, fhirJson);
  };
}
