/**
 * The FHIR side refuses requests without a valid access token (401) and enforces SMART scopes
 * (403): no token, garbage, a forged or tampered signature, an expired or a revoked token.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, fhirClient, practitioners, startTestSandbox, tokenFor, type Practitioner } from './support.ts';

let sandbox: Sandbox;
let doctor: Practitioner;

async function status(token: string | undefined, path = 'Patient'): Promise<Response> {
  return fetch(`${sandbox.fhirBase}/${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 6, resourcesPerPatient: 20 });
  doctor = (await practitioners(sandbox))[0] as Practitioner;
});

afterAll(async () => {
  await sandbox.close();
});

describe('access tokens', () => {
  it('issues JWT access tokens with fhirUser, SMART scopes and the FHIR audience', async () => {
    const reply = await control<{ access_token: string; token_type: string; expires_in: number; fhirUser: string }>(sandbox, 'POST', 'token', { practitioner: doctor.id });
    expect(reply.status).toBe(200);
    expect(reply.body?.token_type).toBe('Bearer');
    expect(reply.body?.fhirUser).toBe(`Practitioner/${doctor.id}`);
    expect(reply.body?.expires_in).toBeGreaterThan(0);
    const token = reply.body?.access_token ?? '';
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({ fhirUser: `Practitioner/${doctor.id}`, scope: 'user/*.cruds', aud: sandbox.fhirBase, iss: sandbox.issuer, sub: doctor.id });
    expect((await status(token)).status).toBe(200);
  });

  it('answers 401 with a Bearer challenge when there is no token', async () => {
    const response = await status(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await response.json() as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('answers 401 to a token that is not a JWT', async () => {
    const response = await status('not-a-token');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('answers 401 to a token signed by another key, even with the same claims', async () => {
    const genuine = decodeJwt(await tokenFor(sandbox, doctor.id));
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = decodeProtectedHeader(await tokenFor(sandbox, doctor.id)).kid ?? '';
    expect((await exportJWK(publicKey)).kty).toBe('EC');
    const forged = await new SignJWT(genuine).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid }).sign(privateKey);
    expect((await status(forged)).status).toBe(401);
  });

  it('answers 401 to a token whose payload was altered after signing', async () => {
    const [header, payload, signature] = (await tokenFor(sandbox, doctor.id)).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const other = (await practitioners(sandbox))[1] as Practitioner;
    const altered = Buffer.from(JSON.stringify({ ...claims, fhirUser: `Practitioner/${other.id}` })).toString('base64url');
    expect((await status(`${header}.${altered}.${signature}`)).status).toBe(401);
  });

  it('answers 401 to an expired token', async () => {
    const reply = await control<{ access_token: string }>(sandbox, 'POST', 'token', { practitioner: doctor.id, expiresIn: 1 });
    const token = reply.body?.access_token ?? '';
    expect((await status(token)).status).toBe(200);
    // A one-second token: from the second after it was issued, the same request is refused.
    const refused = await vi.waitUntil(async () => {
      const response = await status(token);
      return response.status === 401 ? response : false;
    }, { timeout: 10_000, interval: 100 });
    expect(refused.headers.get('www-authenticate')).toContain('expired');
  });

  it('answers 401 to a revoked token from the next request on', async () => {
    const token = await tokenFor(sandbox, doctor.id);
    expect((await status(token)).status).toBe(200);
    expect((await control(sandbox, 'POST', 'revoke', { token })).status).toBe(204);
    const response = await status(token);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('revoked');
    expect((await status(await tokenFor(sandbox, doctor.id))).status).toBe(200);
  });

  it('refuses to mint a token for an unknown practitioner or an unknown scope', async () => {
    expect((await control(sandbox, 'POST', 'token', { practitioner: 'nobody' })).status).toBe(404);
    expect((await control(sandbox, 'POST', 'token', { practitioner: doctor.id, scope: 'admin' })).status).toBe(400);
  });
});

describe('SMART scopes', () => {
  it('lets a user/Patient.rs token read patients but not search observations (403)', async () => {
    const fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id, 'user/Patient.rs'));
    expect((await fhir.get(`Patient/${doctor.patients[0]}`)).status).toBe(200);
    expect((await fhir.get('Observation')).status).toBe(403);
  });

  it('lets a read-only token (user/*.rs) read but not write (403)', async () => {
    const fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id, 'user/*.rs'));
    const patients = await fhir.get<Bundle>('Patient');
    expect(patients.status).toBe(200);
    const id = crypto.randomUUID();
    const write = await fhir.request('PUT', `Observation/${id}`, { body: { resourceType: 'Observation', id, status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${doctor.patients[0]}` } } });
    expect(write.status).toBe(403);
  });

  it('accepts SMART v1 scopes (user/*.read)', async () => {
    const fhir = fhirClient(sandbox, await tokenFor(sandbox, doctor.id, 'user/*.read'));
    expect((await fhir.get('Observation?_count=1')).status).toBe(200);
    expect((await fhir.request('DELETE', `Patient/${doctor.patients[0]}`)).status).toBe(403);
  });
});
