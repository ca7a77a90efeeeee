/**
 * `metadata` and the SMART configuration: public, and true to what the server does.
 */
import type { Bundle, CapabilityStatement } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { fhirClient, json, practitioners, startTestSandbox, tokenFor, type FhirClient } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let capability: CapabilityStatement;

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 4, resourcesPerPatient: 20 });
  const [first] = await practitioners(sandbox);
  fhir = fhirClient(sandbox, await tokenFor(sandbox, first?.id ?? ''));
  const response = await fetch(`${sandbox.fhirBase}/metadata`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/fhir+json');
  capability = await json<CapabilityStatement>(response);
});

afterAll(async () => {
  await sandbox.close();
});

describe('CORS', () => {
  it('answers preflights from loopback origins (the web host) and not from others', async () => {
    const preflight = (origin: string): Promise<Response> => fetch(`${sandbox.fhirBase}/Patient`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    const loopback = await preflight('http://127.0.0.1:5173');
    expect(loopback.status).toBe(204);
    expect(loopback.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(loopback.headers.get('access-control-allow-headers')).toContain('Authorization');
    const foreign = await preflight('https://attacker.example');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const read = await fhir.request('GET', 'Patient?_count=1', { headers: { origin: 'http://localhost:4173' } });
    expect(read.headers.get('access-control-allow-origin')).toBe('http://localhost:4173');
    expect(read.headers.get('access-control-expose-headers')).toContain('ETag');
  });
});

describe('CapabilityStatement', () => {
  it('is an R4 server statement served without a token', () => {
    expect(capability.resourceType).toBe('CapabilityStatement');
    expect(capability.fhirVersion).toBe('4.0.1');
    expect(capability.kind).toBe('instance');
    expect(capability.format).toContain('application/fhir+json');
  });

  it('declares transactions, batches and system history, and no system search', () => {
    const codes = capability.rest?.[0]?.interaction?.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['transaction', 'batch', 'history-system']));
    expect(codes).not.toContain('search-system');
  });

  it('declares versioned read, vread, history, update-as-create and Patient $everything', () => {
    const patient = capability.rest?.[0]?.resource?.find((r) => r.type === 'Patient');
    expect(patient?.versioning).toBe('versioned');
    expect(patient?.updateCreate).toBe(true);
    expect(patient?.interaction?.map((i) => i.code)).toEqual(expect.arrayContaining(['read', 'vread', 'update', 'delete', 'history-instance', 'history-type', 'create', 'search-type']));
    expect(patient?.operation?.map((o) => o.name)).toEqual(['everything']);
    expect(capability.rest?.[0]?.resource?.some((r) => r.type === 'Binary')).toBe(false);
  });

  it('lists no composite search parameter (the engine cannot evaluate them)', () => {
    const observation = capability.rest?.[0]?.resource?.find((r) => r.type === 'Observation');
    expect(observation?.searchParam?.some((p) => p.type === 'composite')).toBe(false);
    expect(observation?.searchParam?.map((p) => p.name)).toEqual(expect.arrayContaining(['patient', 'code', 'date', 'category']));
  });

  it('accepts every declared Observation search parameter and rejects an undeclared one', async () => {
    const observation = capability.rest?.[0]?.resource?.find((r) => r.type === 'Observation');
    const sample: Record<string, string> = { date: 'ge2020-01-01', token: 'x', reference: 'Patient/x', string: 'x', quantity: '5', uri: 'http://x', number: '1' };
    for (const parameter of observation?.searchParam ?? []) {
      const value = sample[parameter.type] ?? 'x';
      const reply = await fhir.get<Bundle>(`Observation?${parameter.name}=${encodeURIComponent(value)}&_summary=count`);
      expect(reply.status, parameter.name).toBe(200);
    }
    expect((await fhir.get('Observation?not-a-parameter=1')).status).toBe(400);
  });

  it('accepts every declared common parameter on any type', async () => {
    const values: Record<string, string> = { _id: 'x', _lastUpdated: 'ge2020-01-01', _tag: 'x', _profile: 'http://x', _security: 'x', _source: 'http://x' };
    const common = capability.rest?.[0]?.searchParam ?? [];
    expect(common.map((p) => p.name)).toEqual(expect.arrayContaining(['_id', '_lastUpdated']));
    for (const parameter of common) {
      const reply = await fhir.get(`Condition?${parameter.name}=${encodeURIComponent(values[parameter.name] ?? 'x')}&_summary=count`);
      expect(reply.status, parameter.name).toBe(200);
    }
  });

  it('points at the same SMART endpoints as the SMART configuration', async () => {
    const smart = await json<Record<string, unknown>>(await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`));
    const uris = capability.rest?.[0]?.security?.extension?.[0]?.extension ?? [];
    const uri = (name: string): string | undefined => uris.find((e) => e.url === name)?.valueUri;
    expect(uri('authorize')).toBe(smart['authorization_endpoint']);
    expect(uri('token')).toBe(smart['token_endpoint']);
    expect(uri('revoke')).toBe(smart['revocation_endpoint']);
    expect(smart['code_challenge_methods_supported']).toEqual(['S256']);
    expect(smart['issuer']).toBe(sandbox.issuer);
    expect(smart['capabilities']).toEqual(expect.arrayContaining(['launch-standalone', 'client-public', 'permission-offline', 'permission-v2']));
  });
});
