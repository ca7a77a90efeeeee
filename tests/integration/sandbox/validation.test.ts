/**
 * Resources are validated on write against the R4 structure definitions: errors are 400 with an
 * OperationOutcome that says where; malformed requests are refused before reaching the engine.
 */
import type { OperationOutcome, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { asFirstPractitioner, type FhirClient, json, startTestSandbox } from './support.ts';

let sandbox: Sandbox;
let fhir: FhirClient;
let patientId: string;

async function expectOutcome(response: Response, status: number): Promise<OperationOutcome> {
  expect(response.status).toBe(status);
  const outcome = await json<OperationOutcome>(response);
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue?.[0]?.severity).toBe('error');
  return outcome;
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 4, resourcesPerPatient: 20 });
  ({ fhir, patientId } = await asFirstPractitioner(sandbox));
});

afterAll(async () => {
  await sandbox.close();
});

describe('validation on write', () => {
  it('refuses a resource missing a required element, naming it', async () => {
    const outcome = await expectOutcome(await fhir.request('POST', 'Observation', { body: { resourceType: 'Observation', status: 'final', subject: { reference: `Patient/${patientId}` } } }), 400);
    expect(outcome.issue?.[0]?.expression).toEqual(['Observation.code']);
  });

  it('refuses an element of the wrong type', async () => {
    const outcome = await expectOutcome(await fhir.request('POST', 'Observation', {
      body: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patientId}` }, valueQuantity: { value: 'seventy' } },
    }), 400);
    expect(outcome.issue?.[0]?.expression?.[0]).toMatch(/^Observation\.value/);
  });

  it('refuses an unknown element', async () => {
    await expectOutcome(await fhir.request('POST', 'Observation', {
      body: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${patientId}` }, favouriteColour: 'blue' },
    }), 400);
  });

  it('refuses an update whose body id differs from the URL', async () => {
    const current = await json<Patient>(await fhir.request('GET', `Patient/${patientId}`));
    await expectOutcome(await fhir.request('PUT', `Patient/${patientId}`, { body: { ...current, id: 'someone-else' } }), 400);
  });

  it('refuses a body whose type differs from the URL', async () => {
    await expectOutcome(await fhir.request('POST', 'Observation', { body: { resourceType: 'Condition', subject: { reference: `Patient/${patientId}` } } }), 400);
  });

  it('refuses malformed JSON (400) and a non-FHIR content type (415)', async () => {
    await expectOutcome(await fhir.request('POST', 'Observation', { body: '{"resourceType": "Observation",' }), 400);
    await expectOutcome(await fhir.request('POST', 'Observation', { body: '<Observation/>', headers: { 'content-type': 'application/xml' } }), 415);
  });

  it('answers 404 for an unknown resource type', async () => {
    await expectOutcome(await fhir.request('GET', 'Unicorn/1'), 404);
  });

  it('stores nothing when validation fails', async () => {
    const id = crypto.randomUUID();
    await expectOutcome(await fhir.request('PUT', `Observation/${id}`, { body: { resourceType: 'Observation', id, status: 'not-a-status-code-with-spaces and more', subject: { reference: `Patient/${patientId}` } } }), 400);
    expect((await fhir.get(`Observation/${id}`)).status).toBe(404);
  });
});
