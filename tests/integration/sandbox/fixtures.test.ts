import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, Condition, MedicationRequest, Observation, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { fhirClient, practitioners, startTestSandbox, tokenFor, type FhirClient } from './support.ts';

/**
 * `--fixtures DIR`: third-party-shaped Bundles loaded at start, references resolved as a server
 * resolves a transaction, every resource validated, the patients given to a practitioner's panel.
 */
const corpus = 'tests/fixtures/fhir';
let sandbox: Sandbox;
let fhir: FhirClient;

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 2, fixtures: corpus, fixturesPanel: 2 });
  const second = (await practitioners(sandbox))[1];
  if (second === undefined) throw new Error('no second practitioner');
  fhir = fhirClient(sandbox, await tokenFor(sandbox, second.id));
});

afterAll(async () => {
  await sandbox?.close();
});

const entries = async <T>(query: string): Promise<T[]> => ((await fhir.get<Bundle>(query)).body.entry ?? []).map((e) => e.resource as T);

describe('fixtures', () => {
  it('gives the fixture patients to the chosen practitioner, and to no one else', async () => {
    const [first, second, third] = await practitioners(sandbox);
    const fixtureFamilies = ['Kling921', 'Anderson', 'Garcia', 'Whitfield', 'BERNARD', 'Tanaka'];
    const fixturePatients = (await entries<Patient>('Patient?_count=100')).filter((p) => fixtureFamilies.includes(p.name?.[0]?.family ?? ''));
    expect(fixturePatients.map((p) => p.name?.[0]?.family).sort()).toEqual([...fixtureFamilies].sort());
    for (const patient of fixturePatients) {
      expect(second?.patients).toContain(patient.id);
      expect(first?.patients).not.toContain(patient.id);
      expect(third?.patients).not.toContain(patient.id);
    }
  });

  it('resolves conditional and urn:uuid references to the loaded resources', async () => {
    const kling = (await entries<Patient>('Patient?family=Kling921'))[0];
    const requests = await entries<MedicationRequest>(`MedicationRequest?subject=Patient/${kling?.id ?? ''}`);
    expect(requests.length).toBe(3);
    for (const request of requests) {
      expect(request.subject?.reference).toBe(`Patient/${kling?.id ?? ''}`);
      expect(request.requester?.reference).toMatch(/^Practitioner\/[0-9a-f-]{36}$/);
      expect((await fhir.get(request.requester?.reference ?? '')).status).toBe(200);
    }
  });

  it('serves ${FHIR_BASE} references as absolute references to this server, and keeps versioned ones', async () => {
    const garcia = (await entries<Patient>('Patient?family=Garcia'))[0];
    const conditions = await entries<Condition>('Condition?_count=1000');
    const references = conditions.filter((c) => ['Hypertension', 'Prediabetes'].includes(c.code?.text ?? '')).map((c) => c.subject.reference);
    expect(references).toContain(`${sandbox.fhirBase}/Patient/${garcia?.id ?? ''}`);
    expect(references).toContain(`Patient/${garcia?.id ?? ''}/_history/1`);
  });

  it('keeps each value as the source sent it: offsets, comparators, codes, no category', async () => {
    const anderson = (await entries<Patient>('Patient?family=Anderson'))[0];
    const results = await entries<Observation>(`Observation?subject=Patient/${anderson?.id ?? ''}&code=20447-9&_count=50`);
    expect(results.map((o) => o.effectiveDateTime).sort()).toEqual(['2023-11-20T08:05:00+11:00', '2024-04-08T00:30:00+10:00']);
    expect(results.every((o) => o.category === undefined)).toBe(true);
    expect(results.find((o) => o.valueQuantity?.comparator === '<')?.valueQuantity?.value).toBe(40);
  });

  it('refuses at start a folder with an invalid resource, naming the file and the reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-bad-fixtures-'));
    writeFileSync(join(dir, '01-bad.json'), JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Observation', code: { text: 'no status' } } }] }));
    await expect(startTestSandbox({ patients: 1, fixtures: dir })).rejects.toThrow(/01-bad\.json: Observation\/[0-9a-f]+ is not valid FHIR R4: Missing required property \(Observation\.status\)/);
  });

  it('refuses a conditional reference that matches nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-bad-fixtures-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [{ fullUrl: 'urn:uuid:0b4c7a5e-1111-4000-8000-000000000001', resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, performer: [{ reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|0000000000' }] }, request: { method: 'POST', url: 'Observation' } }] }));
    await expect(startTestSandbox({ patients: 1, fixtures: dir })).rejects.toThrow(/a\.json: the conditional reference Practitioner\?identifier=.* matches 0 resources/);
  });
});
