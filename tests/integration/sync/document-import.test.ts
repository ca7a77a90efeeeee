/**
 * A document imported into a chart, through the engine, against the sandbox with the client's own
 * scopes (issue 15, point 3): the hospital's summary for one of my patients is previewed and
 * stored offline (the outbox, the rows), pushed as new resources in transactions with their
 * Provenance at the next sync, and another laptop of mine pulls them back with the Provenance
 * filed under the patient. A file about someone else, or an unconfirmed one, stores nothing; a
 * disk that fails in the middle leaves nothing half-imported, and the import can be done again.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../shared/fhir/resource';
import type { Sandbox } from '../../../sandbox/server.ts';
import { createDocumentImporter, type DocumentImporter, ImportRefusedError } from '../../../renderer/data/document-import';
import { hieActor, laptop, tokenFor, useTestSandbox, webcrypto, type Laptop, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

useTestSandbox({ patients: 6, resourcesPerPatient: 30, practitioners: 1 }, (started) => {
  ({ sandbox } = started);
  [me] = started.staff as [Practitioner];
});

function importerOf(l: Laptop): DocumentImporter {
  return createDocumentImporter({
    practitioner: l.practitioner,
    resourcesOfPatient: (p) => l.replica.resourcesOfPatient(p),
    getResource: (ref) => l.replica.getResource(ref),
    save: async (edits) => void (await l.replica.saveLocalCreates(edits)),
    discard: async (edit) => void (await l.replica.saveLocalEdit({ ...edit, op: 'delete' })),
    digest: (bytes) => webcrypto.subtle.digest('SHA-256', bytes),
    newId: randomUUID,
    now: () => new Date(),
  });
}

/** The hospital's IPS (tests/fixtures/import) made about this patient: their identity, the hospital's records. */
function hospitalSummaryFor(patient: FhirResource, extra: readonly Record<string, unknown>[] = []): string {
  const bundle = JSON.parse(readFileSync('tests/fixtures/import/ips-hospital-fr.json', 'utf8')) as { entry: { fullUrl: string; resource: Record<string, unknown> }[] };
  const entry = bundle.entry.find((e) => e.resource['resourceType'] === 'Patient');
  if (entry === undefined) throw new Error('no patient in the fixture');
  const { meta: _meta, ...identity } = patient as Record<string, unknown>;
  entry.resource = { ...identity, id: 'pat-chu-55120' };
  for (const resource of extra) bundle.entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: { ...resource, subject: { reference: entry.fullUrl } } });
  return JSON.stringify(bundle);
}

describe('a document imported into a chart', () => {
  it('is stored offline, reaches the HIE with its Provenance, and comes back to another laptop filed under the patient', async () => {
    const a = await laptop(sandbox, me.id);
    await a.sync();
    const patientRef = `Patient/${me.patients[0] as string}`;
    const patient = (await a.replica.getResource(patientRef))?.resource as FhirResource;
    // The hospital does not know the HIE's identifiers: the clinician must confirm it is the same person.
    const text = hospitalSummaryFor({ ...patient, identifier: undefined });
    const importer = importerOf(a);
    const preview = await importer.preview({ patient: patientRef, fileName: 'sortie-chu.json', data: new TextEncoder().encode(text).buffer, language: 'fr' });
    if (!preview.ok) throw new Error(preview.code);
    expect(preview.verdict).toBe('confirm');
    await expect(importer.commit(preview.id, false)).rejects.toBeInstanceOf(ImportRefusedError);
    expect(await a.replica.outbox()).toHaveLength(0);
    const { added, provenance } = await importer.commit(preview.id, true);
    expect(added).toBe(6);
    const outbox = await a.replica.outbox();
    expect(outbox.map((e) => e.resource.resourceType).sort()).toEqual(['AllergyIntolerance', 'Composition', 'Condition', 'Immunization', 'MedicationStatement', 'Observation', 'Provenance']);
    // Stored as pending, visible in the chart before any network.
    const chart = await a.replica.resourcesOfPatient(patientRef);
    expect(chart.filter((e) => e.syncState === 'pending')).toHaveLength(7);

    const report = await a.sync();
    expect(report.push.sent).toBe(7);
    expect(await a.replica.outbox()).toHaveLength(0);
    const hie = hieActor(sandbox, await tokenFor(sandbox, me.id));
    const onHie = (await hie.read(provenance)) as Record<string, unknown>;
    expect((onHie['target'] as unknown[]).length).toBe(6);
    for (const entry of outbox) expect(await hie.read(entry.ref), entry.ref).toMatchObject({ resourceType: entry.resource.resourceType });

    const b = await laptop(sandbox, me.id);
    await b.sync();
    const pulled = await b.replica.resourcesOfPatient(patientRef);
    const refs = new Set(pulled.map((e) => e.ref));
    for (const entry of outbox) expect(refs.has(entry.ref), entry.ref).toBe(true);
    expect(pulled.find((e) => e.ref === provenance)?.syncState).toBe('synced');
    await a.close();
    await b.close();
  });

  it('a C-CDA discharge summary, converted, is accepted by the HIE as it is written: nothing refused, nothing left in the outbox', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const patientRef = `Patient/${me.patients[3] as string}`;
    const patient = (await l.replica.getResource(patientRef))?.resource as Record<string, unknown>;
    const name = (patient['name'] as { family: string; given: string[] }[])[0] as { family: string; given: string[] };
    const gender = patient['gender'] === 'male' ? 'M' : 'F';
    // The hospital's CCD, made about this patient (their name, birth date and sex; no identifier in common).
    const xml = readFileSync('tests/fixtures/import/ccd-discharge-en.xml', 'utf8')
      .replace('<given>Margaret</given><given>Ann</given><family>Whitfield</family>', `<given>${name.given[0] ?? ''}</given><family>${name.family}</family>`)
      .replace('<birthTime value="19520314"/>', `<birthTime value="${String(patient['birthDate']).replace(/-/g, '')}"/>`)
      .replace('<administrativeGenderCode code="F"', `<administrativeGenderCode code="${gender}"`);
    const importer = importerOf(l);
    const preview = await importer.preview({ patient: patientRef, fileName: 'ccd.xml', data: new TextEncoder().encode(xml).buffer, language: 'en' });
    if (!preview.ok) throw new Error(preview.code);
    expect(preview.verdict).toBe('confirm');
    const { added } = await importer.commit(preview.id, true);
    expect(added).toBeGreaterThan(8);
    const report = await l.sync();
    expect(report.push.refused).toBe(0);
    expect(report.push.sent).toBe(added + 1);
    expect(await l.replica.outbox()).toHaveLength(0);
    expect(await l.replica.listConflicts()).toHaveLength(0);
    await l.close();
  });

  it('about someone else, stores nothing and cannot be forced', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const [first, second] = me.patients as [string, string];
    const other = (await l.replica.getResource(`Patient/${second}`))?.resource as FhirResource;
    const text = hospitalSummaryFor(other);
    const importer = importerOf(l);
    const preview = await importer.preview({ patient: `Patient/${first}`, fileName: 'x.json', data: new TextEncoder().encode(text).buffer, language: 'en' });
    if (!preview.ok) throw new Error(preview.code);
    expect(preview.verdict).toBe('mismatch');
    await expect(importer.commit(preview.id, true)).rejects.toMatchObject({ reason: 'mismatch' });
    expect(await l.replica.outbox()).toHaveLength(0);
    await l.close();
  });

  it('interrupted by a failing disk, leaves nothing half-imported, and can be done again', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const patientRef = `Patient/${me.patients[2] as string}`;
    const patient = (await l.replica.getResource(patientRef))?.resource as FhirResource;
    const text = hospitalSummaryFor(patient);
    let saved = 0;
    const failing = createDocumentImporter({
      practitioner: l.practitioner,
      resourcesOfPatient: (p) => l.replica.resourcesOfPatient(p),
      getResource: (ref) => l.replica.getResource(ref),
      async save(edits) {
        // The disk fills after three records were written.
        await l.replica.saveLocalCreates(edits.slice(0, 3));
        saved += 3;
        throw new DOMException('full', 'QuotaExceededError');
      },
      discard: async (edit) => void (await l.replica.saveLocalEdit({ ...edit, op: 'delete' })),
      digest: (bytes) => webcrypto.subtle.digest('SHA-256', bytes),
      newId: randomUUID,
      now: () => new Date(),
      groupSize: 3,
    });
    const first = await failing.preview({ patient: patientRef, fileName: 'x.json', data: new TextEncoder().encode(text).buffer, language: 'fr' });
    if (!first.ok) throw new Error(first.code);
    const before = (await l.replica.resourcesOfPatient(patientRef)).length;
    await expect(failing.commit(first.id, true)).rejects.toThrow('full');
    // What was saved before the failure was taken back: nothing without its Provenance.
    expect(saved).toBe(3);
    expect(await l.replica.outbox()).toHaveLength(0);
    expect(await l.replica.resourcesOfPatient(patientRef)).toHaveLength(before);
    const again = importerOf(l);
    const second = await again.preview({ patient: patientRef, fileName: 'x.json', data: new TextEncoder().encode(text).buffer, language: 'fr' });
    if (!second.ok) throw new Error(second.code);
    expect(second.duplicates).toBe(0);
    await again.commit(second.id, true);
    await l.sync();
    expect(await l.replica.outbox()).toHaveLength(0);
    const kinds = (await l.replica.resourcesOfPatient(patientRef)).map((e) => e.resource?.resourceType);
    expect(kinds.filter((k) => k === 'Immunization').length).toBeGreaterThan(0);
    expect(kinds.filter((k) => k === 'Provenance')).toHaveLength(1);
    await l.close();
  });
});
