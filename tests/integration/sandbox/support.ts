/**
 * Helpers for the sandbox's integration tests: start an in-process sandbox in test mode, get
 * tokens from its control API, and call its FHIR API over real HTTP.
 */
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { setLogThreshold } from '../../../sandbox/log.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/server.ts';

setLogThreshold('warn');

export type Practitioner = { id: string; name: string; username: string; patients: string[] };

export const referenceDate = '2026-11-28';

export async function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ patients: 12, resourcesPerPatient: 30, practitioners: 3, testMode: true, referenceDate, ...options });
}

/**
 * Two independent HIEs with overlapping patients (issue 15): the HIE (seed 101), and a hospital
 * started as its twin (the shared patients under the same INS or NHS number, other ids, some
 * records missing or differing).
 */
export async function startTwinSandboxes(options: SandboxOptions = {}): Promise<Readonly<{ hie: Sandbox; hospital: Sandbox }>> {
  const hie = await startTestSandbox({ ...options, seed: 101 });
  return { hie, hospital: await startTestSandbox({ ...options, seed: 202, twinOf: 101 }) };
}

export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export async function control<T = unknown>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: T | undefined }> {
  const response = await fetch(`${sandbox.url}/_test/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as T) : undefined };
}

export async function practitioners(sandbox: Sandbox): Promise<Practitioner[]> {
  const reply = await control<Practitioner[]>(sandbox, 'GET', 'practitioners');
  if (!reply.body) throw new Error('no practitioners');
  return reply.body;
}

export async function tokenFor(sandbox: Sandbox, practitioner: string, scope?: string): Promise<string> {
  const reply = await control<{ access_token: string }>(sandbox, 'POST', 'token', { practitioner, ...(scope ? { scope } : {}) });
  if (reply.status !== 200 || !reply.body) throw new Error(`token: ${reply.status}`);
  return reply.body.access_token;
}

/** The first practitioner of a sandbox: a FHIR client on their token, and their first patient's id. */
export async function asFirstPractitioner(sandbox: Sandbox): Promise<{ fhir: FhirClient; patientId: string; practitioner: Practitioner }> {
  const [first] = await practitioners(sandbox);
  if (!first?.patients[0]) throw new Error('no practitioner with a patient');
  return { fhir: fhirClient(sandbox, await tokenFor(sandbox, first.id)), patientId: first.patients[0], practitioner: first };
}

export type FhirClient = {
  request(method: string, path: string, options?: { body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  get<T = Resource>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
  /** Follows `next` links from `path`; returns every page. */
  pages(path: string, limit?: number): Promise<Bundle[]>;
};

export function fhirClient(sandbox: Sandbox, token: string): FhirClient {
  const url = (path: string): string => (path.startsWith('http') ? path : `${sandbox.fhirBase}/${path}`);
  const client: FhirClient = {
    request(method, path, options = {}) {
      return fetch(url(path), {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(options.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) } : {}),
      });
    },
    async get<T>(path: string) {
      const response = await client.request('GET', path);
      return { status: response.status, body: await json<T>(response), headers: response.headers };
    },
    async pages(path, limit = 10_000) {
      const bundles: Bundle[] = [];
      let next: string | undefined = path;
      while (next && bundles.length < limit) {
        const reply: { status: number; body: Bundle } = await client.get<Bundle>(next);
        if (reply.status !== 200) throw new Error(`page ${next}: ${reply.status} ${JSON.stringify(reply.body)}`);
        bundles.push(reply.body);
        next = reply.body.link?.find((l) => l.relation === 'next')?.url;
      }
      return bundles;
    },
  };
  return client;
}

export function matches(bundles: readonly Bundle[]): Resource[] {
  return bundles.flatMap((b) => (b.entry ?? []).filter((e: BundleEntry) => e.search?.mode !== 'include').flatMap((e) => (e.resource ? [e.resource] : [])));
}

export function idsOf(resources: readonly Resource[]): string[] {
  return resources.map((r) => `${r.resourceType}/${r.id ?? ''}`);
}

/**
 * Waits until the clock has moved past this instant (default: now), so that the next write's
 * lastUpdated is strictly later than anything written before: a condition on the clock, not a
 * fixed pause.
 */
export async function clockPast(instantMs: number = Date.now()): Promise<void> {
  while (Date.now() <= instantMs) await new Promise((resolve) => setImmediate(resolve));
}
