/**
 * Importing a 5,000-resource FHIR Bundle into one chart (issue 15, point 3: "measured import time
 * for a 5,000-resource Bundle"), side by side with a baseline in the same process, against the
 * sandbox over HTTP, the real encrypted replica on fake-indexeddb (Node; Chromium's IndexedDB is
 * faster per row, see bench:replica):
 *
 *   import   — the file's text read and planned (parse, patient match, duplicates against the
 *              chart, ids and references rewritten, Provenance), then stored through the outbox
 *              (the importer the data worker runs), then pushed to the HIE by the sync;
 *   baseline — the same 5,001 planned resources saved as ordinary local edits (what any way of
 *              adding them must pay), then pushed.
 *
 * Each round starts from a reset sandbox and a fresh replica after a first sync; rounds alternate.
 *
 *   npm run bench:import [-- --resources 5000 --rounds 3]
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type * as ImporterModule from '../../renderer/data/document-import';
import type * as PlanModule from '../../shared/exchange/document-import';
import type * as ParseModule from '../../shared/exchange/document-parse';
import type * as SupportModule from '../integration/sync/support';

const { values } = parseArgs({ options: { resources: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' } } });
const size = Number(values.resources);
const rounds = Number(values.rounds);

// Inside the project, so that the bundle's external packages resolve from node_modules.
mkdirSync(join(process.cwd(), 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(process.cwd(), 'node_modules', '.cache', 'relais-import-bench-'));
const out = join(dir, 'bench.mjs');
await build({
  stdin: {
    contents: [
      "export * from './tests/integration/sync/support';",
      "export { createDocumentImporter } from './renderer/data/document-import';",
      "export { parseDocument } from './shared/exchange/document-parse';",
      "export { planImport } from './shared/exchange/document-import';",
    ].join('\n'),
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: out,
  logLevel: 'error',
});
type Bench = typeof SupportModule & typeof ImporterModule & typeof ParseModule & typeof PlanModule;
const m = (await import(pathToFileURL(out).href)) as Bench;
rmSync(dir, { recursive: true, force: true });

const { randomUUID } = await import('node:crypto');
const sandbox = await m.startTestSandbox({ patients: 2, resourcesPerPatient: 40, practitioners: 1 });
const [first] = await m.practitioners(sandbox);
if (first === undefined) throw new Error('no practitioner');
const me = first;
const patientRef = `Patient/${me.patients[0] as string}`;

/** A long stay's worth of records about the patient, as a hospital would send them (collection, urn:uuid). */
function bundleFor(patient: Record<string, unknown>): string {
  const patientUrl = `urn:uuid:${randomUUID()}`;
  const subject = { reference: patientUrl };
  const day = (i: number): string => new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toISOString();
  const entries: Record<string, unknown>[] = [];
  for (let i = 0; i < size; i += 1) {
    const kind = i % 20;
    let resource: Record<string, unknown>;
    if (kind < 12) {
      const [code, unit, base] = ([['29463-7', 'kg', 70], ['8867-4', '/min', 60], ['8480-6', 'mm[Hg]', 120], ['2339-0', 'mg/dL', 90]] as const)[i % 4] as readonly [string, string, number];
      resource = { resourceType: 'Observation', status: 'final', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: code === '2339-0' ? 'laboratory' : 'vital-signs' }] }], code: { coding: [{ system: 'http://loinc.org', code }] }, subject, effectiveDateTime: day(i), valueQuantity: { value: base + (i % 17), unit, system: 'http://unitsofmeasure.org', code: unit } };
    } else if (kind < 15) {
      resource = { resourceType: 'Condition', clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: String(100000 + i) }], text: `Épisode ${i}` }, subject, onsetDateTime: day(i) };
    } else if (kind < 18) {
      resource = { resourceType: 'MedicationStatement', status: 'completed', medicationCodeableConcept: { text: `Traitement ${i}` }, subject, effectiveDateTime: day(i), dosage: [{ text: '1 comprimé le matin' }] };
    } else if (kind < 19) {
      resource = { resourceType: 'Immunization', status: 'completed', vaccineCode: { text: `Vaccin ${i}` }, patient: subject, occurrenceDateTime: day(i) };
    } else {
      resource = { resourceType: 'Procedure', status: 'completed', code: { text: `Acte ${i}` }, subject, performedDateTime: day(i) };
    }
    entries.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource });
  }
  const { meta: _meta, ...identity } = patient;
  return JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: patientUrl, resource: identity }, ...entries] });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const times = { plan: [] as number[], store: [] as number[], importPush: [] as number[], baseStore: [] as number[], basePush: [] as number[] };

async function freshLaptop() {
  await m.control(sandbox, 'POST', 'reset');
  const l = await m.laptop(sandbox, me.id);
  await l.sync();
  return l;
}

let bytes = 0;
for (let round = 0; round < rounds; round += 1) {
  // ── import ──
  const a = await freshLaptop();
  const patient = (await a.replica.getResource(patientRef))?.resource as Record<string, unknown>;
  const text = bundleFor(patient);
  bytes = text.length;
  const importer = m.createDocumentImporter({
    practitioner: a.practitioner,
    resourcesOfPatient: (p) => a.replica.resourcesOfPatient(p),
    getResource: (ref) => a.replica.getResource(ref),
    save: async (edits) => void (await a.replica.saveLocalCreates(edits)),
    discard: async (edit) => void (await a.replica.saveLocalEdit({ ...edit, op: 'delete' })),
    digest: (b) => globalThis.crypto.subtle.digest('SHA-256', b),
    newId: randomUUID,
    now: () => new Date(),
  });
  const t0 = performance.now();
  const preview = await importer.preview({ patient: patientRef, fileName: 'stay.json', data: new TextEncoder().encode(text).buffer, language: 'fr' });
  if (!preview.ok) throw new Error(preview.code);
  const t1 = performance.now();
  await importer.commit(preview.id, true);
  const t2 = performance.now();
  const report = await a.sync();
  const t3 = performance.now();
  if (report.push.sent !== size + 1) throw new Error(`pushed ${report.push.sent}`);
  times.plan.push(t1 - t0);
  times.store.push(t2 - t1);
  times.importPush.push(t3 - t2);
  await a.close();

  // ── baseline: the same resources as ordinary edits ──
  const b = await freshLaptop();
  const parsed = m.parseDocument(text, text.length);
  if (!parsed.ok) throw new Error(parsed.code);
  const plan = m.planImport(parsed.value, { patient, chart: [patient], practitioner: { reference: b.practitioner }, fileName: 'stay.json', fileDigest: '00', now: new Date(), language: 'fr', uuid: randomUUID });
  const s0 = performance.now();
  for (const resource of plan.resources) await b.replica.saveLocalEdit({ ref: `${resource.resourceType}/${String(resource.id)}`, op: 'create', resource, patient: patientRef });
  const s1 = performance.now();
  const baseReport = await b.sync();
  const s2 = performance.now();
  if (baseReport.push.sent !== size + 1) throw new Error(`pushed ${baseReport.push.sent}`);
  times.baseStore.push(s1 - s0);
  times.basePush.push(s2 - s1);
  await b.close();
  console.log(`round ${round + 1}: read+plan ${(t1 - t0).toFixed(0)} ms, store ${(t2 - t1).toFixed(0)} ms, push ${(t3 - t2).toFixed(0)} ms | baseline store ${(s1 - s0).toFixed(0)} ms, push ${(s2 - s1).toFixed(0)} ms`);
}
await sandbox.close();

const importTotal = median(times.plan) + median(times.store);
console.log(`\n${size}-resource FHIR Bundle (${(bytes / 1024 / 1024).toFixed(1)} MB), medians of ${rounds} rounds:`);
console.log(`  read + plan (parse, match, duplicates, rewrite, Provenance): ${median(times.plan).toFixed(0)} ms`);
console.log(`  stored through the outbox:                                 ${median(times.store).toFixed(0)} ms   baseline (plain edits): ${median(times.baseStore).toFixed(0)} ms   ratio ${(median(times.store) / median(times.baseStore)).toFixed(2)}`);
console.log(`  preview → stored, in all:                                  ${importTotal.toFixed(0)} ms   vs baseline store: ${(importTotal / median(times.baseStore)).toFixed(2)} ×`);
console.log(`  pushed to the HIE (transactions of 250):                   ${median(times.importPush).toFixed(0)} ms   baseline push (one transaction per edit): ${median(times.basePush).toFixed(0)} ms   ratio ${(median(times.importPush) / median(times.basePush)).toFixed(2)}`);
