import { defaultWebFhirBase } from '../../../renderer/host/web-defaults';
import { setLogThreshold } from '../../../sandbox/log.ts';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/server.ts';

/**
 * The HIE sandbox for browser tests, in this process and in test mode, on the port the web build
 * was made for (VITE_RELAIS_FHIR_BASE, default the sandbox CLI's 8787), plus the calls the tests
 * make to it directly: its control API and its FHIR API with a practitioner's token.
 */
setLogThreshold('warn');

export const fhirBaseOfBuild = process.env['VITE_RELAIS_FHIR_BASE'] ?? defaultWebFhirBase;

export type TestPractitioner = Readonly<{ id: string; name: string; username: string; password: string; patients: readonly string[] }>;

export async function startHie(options: SandboxOptions = {}): Promise<Sandbox> {
  const port = Number(new URL(fhirBaseOfBuild).port);
  return startSandbox({ port, testMode: true, patients: 24, resourcesPerPatient: 60, practitioners: 2, ...options });
}

export async function control(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.url}/_test/${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`control ${method} ${path}: ${response.status}`);
  const text = await response.text();
  return text === '' ? null : (JSON.parse(text) as unknown);
}

export type FhirResource = { resourceType: string; id?: string; meta?: { versionId?: string; lastUpdated?: string } } & Record<string, unknown>;
export type Bundle = { resourceType: 'Bundle'; total?: number; entry?: { resource?: FhirResource }[]; link?: { relation: string; url: string }[] };

export type Fhir = Readonly<{
  read(ref: string): Promise<FhirResource>;
  search(query: string): Promise<FhirResource[]>;
  put(resource: FhirResource): Promise<FhirResource>;
  create(resource: FhirResource): Promise<FhirResource>;
}>;

/** The HIE's FHIR API as a practitioner sees it (token from the control API), outside the browser. */
export async function fhirAs(sandbox: Sandbox, practitioner: string): Promise<Fhir> {
  const token = ((await control(sandbox, 'POST', 'token', { practitioner })) as { access_token: string }).access_token;
  const call = async (method: string, path: string, body?: unknown): Promise<FhirResource> => {
    const response = await fetch(path.startsWith('http') ? path : `${sandbox.fhirBase}/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`FHIR ${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as FhirResource;
  };
  return {
    read: (ref) => call('GET', ref),
    async search(query) {
      const out: FhirResource[] = [];
      let next: string | undefined = query;
      while (next !== undefined) {
        const bundle = (await call('GET', next)) as unknown as Bundle;
        out.push(...(bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])));
        next = bundle.link?.find((l) => l.relation === 'next')?.url;
      }
      return out;
    },
    put: (resource) => call('PUT', `${resource.resourceType}/${resource.id ?? ''}`, resource),
    create: (resource) => call('POST', resource.resourceType, resource),
  };
}

export async function practitioners(sandbox: Sandbox): Promise<TestPractitioner[]> {
  const listed = (await control(sandbox, 'GET', 'practitioners')) as { id: string; name: string; username: string; patients: string[] }[];
  return listed.map((p) => ({ ...p, password: sandbox.practitioners.find((d) => d.id === p.id)?.password ?? '' }));
}

/** "Hélène" → "helene": what a clinician types without accents. */
export const folded = (text: string): string => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
