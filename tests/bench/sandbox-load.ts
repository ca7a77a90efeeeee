/**
 * Benchmark of the HIE sandbox at the design point (2,500 patients × 200 resources = 500k),
 * with baselines measured in the same run:
 *   - load: raw MemoryRepository.createResource (the engine alone) vs the sandbox's seed load
 *     (stamps, access tags, indexes, change log) vs writes through HTTP (transaction bundles of
 *     1,000 and single PUTs, validated and access-checked);
 *   - serving: `_lastUpdated` pages of 1,000 through the adapter (keyset over the index) vs the
 *     engine's own search (scan, sort, offset) for the same pages; `_history?_since` pages.
 * The sandbox runs in a child process (the CLI), so client and server use separate cores and the
 * child's peak RSS (VmHWM) is its own.
 *
 *   node --experimental-strip-types --disable-warning=ExperimentalWarning --expose-gc \
 *     --max-old-space-size=8192 tests/bench/sandbox-load.ts [--patients 2500] [--resources-per-patient 200]
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { parseSearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Observation } from '@medplum/fhirtypes';
import { createPopulation, type PopulationOptions } from '../../sandbox/data/population.ts';
import { loadFhirDefinitions } from '../../sandbox/fhir/definitions.ts';

const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '2500' },
    'resources-per-patient': { type: 'string', default: '200' },
    'max-pages': { type: 'string', default: '100000' },
  },
});
const population: PopulationOptions = {
  seed: 20261128,
  patients: Number(values.patients),
  resourcesPerPatient: Number(values['resources-per-patient']),
  practitioners: 1,
  adversarial: false,
  referenceDate: '2026-11-28',
};
const maxPages = Number(values['max-pages']);

type Figure = { label: string; value: string };
const figures: Figure[] = [];
function report(label: string, value: string): void {
  figures.push({ label, value });
  console.log(`${label.padEnd(58)} ${value}`);
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rate = (count: number, ms: number): number => (count * 1000) / ms;
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

function memorySampler(): { stop(): { rss: number; heap: number } } {
  let rss = 0;
  let heap = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  };
  const timer = setInterval(sample, 100);
  return { stop() { clearInterval(timer); sample(); return { rss, heap }; } };
}

function childPeakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? '0');
  return kb * 1024;
}

async function rawEngine(): Promise<{ loadRate: number; pageRate: number }> {
  loadFhirDefinitions();
  const sampler = memorySampler();
  const repo = new MemoryRepository();
  const started = performance.now();
  let count = 0;
  for (const resource of createPopulation(population).resources()) {
    await repo.createResource(resource);
    count++;
  }
  const ms = performance.now() - started;
  const memory = sampler.stop();
  const loadRate = rate(count, ms);
  report('raw MemoryRepository.createResource: resources', String(count));
  report('raw MemoryRepository.createResource: time', `${(ms / 1000).toFixed(1)} s`);
  report('raw MemoryRepository.createResource: resources/s', loadRate.toFixed(0));
  report('raw MemoryRepository: peak heap / RSS (this process)', `${mb(memory.heap)} / ${mb(memory.rss)}`);

  // The engine serving the sync query alone: scan, sort, offset (what the router would do).
  const pagesToTime = 3;
  const pageStarted = performance.now();
  for (let page = 0; page < pagesToTime; page++) {
    const request = parseSearchRequest('Observation', { _lastUpdated: 'ge1970-01-01T00:00:00Z', _sort: '_lastUpdated', _count: '1000', _offset: String(page * 1000) });
    const bundle = await repo.search(request);
    if ((bundle.entry?.length ?? 0) !== 1000) throw new Error('raw search returned a short page');
  }
  const pageRate = rate(pagesToTime, performance.now() - pageStarted);
  report('raw MemoryRepository.search, _lastUpdated pages of 1000: pages/s', pageRate.toFixed(3));
  repo.clear();
  return { loadRate, pageRate };
}

async function startChild(): Promise<{ child: ChildProcessWithoutNullStreams; url: string; loadMs: number; resources: number }> {
  const child = spawn(process.execPath, [
    '--experimental-strip-types', '--disable-warning=ExperimentalWarning', '--max-old-space-size=8192',
    'sandbox/cli.ts', '--port', '0', '--test-mode', '--practitioners', '1',
    '--patients', String(population.patients), '--resources-per-patient', String(population.resourcesPerPatient),
    '--reference-date', population.referenceDate, '--seed', String(population.seed),
  ], { cwd: process.cwd(), env: { ...process.env, RELAIS_SANDBOX_LOG: 'info' } });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (!stdout.includes('Ctrl-C to stop.')) return;
      const url = /FHIR base\s+(http:\/\/\S+)\/fhir/.exec(stdout)?.[1] ?? '';
      const loadMs = Number(/ms=(\d+)/.exec(stderr)?.[1] ?? 'NaN');
      const resources = Number(/resources=(\d+)/.exec(stderr)?.[1] ?? 'NaN');
      resolve({ child, url, loadMs, resources });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${stderr}`)));
  });
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

async function pullPages(first: string, token: string, limit: number): Promise<{ pages: number; resources: number; ms: number }> {
  let next: string | undefined = first;
  let pages = 0;
  let resources = 0;
  const started = performance.now();
  while (next && pages < limit) {
    const bundle: Bundle = await getJson<Bundle>(next, token);
    pages++;
    resources += bundle.entry?.length ?? 0;
    next = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return { pages, resources, ms: performance.now() - started };
}

function heartRate(id: string, patient: string, value: number): Observation {
  return {
    resourceType: 'Observation', id, status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patient}` }, effectiveDateTime: '2026-11-27T10:00:00Z',
    valueQuantity: { value, unit: 'beats/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

async function main(): Promise<void> {
  console.log(`Sandbox benchmark: ${population.patients} patients × ${population.resourcesPerPatient} resources, heap limit ${mb(getHeapStatistics().heap_size_limit)}, node ${process.version}\n`);

  let started = performance.now();
  let generated = 0;
  for (const resource of createPopulation(population).resources()) generated += resource.id ? 1 : 0;
  report('generator alone: resources/s', rate(generated, performance.now() - started).toFixed(0));

  const raw = await rawEngine();
  gc();

  const { child, url, loadMs, resources } = await startChild();
  try {
    const loadRate = rate(resources, loadMs);
    report('sandbox seed load (child): resources', String(resources));
    report('sandbox seed load (child): time', `${(loadMs / 1000).toFixed(1)} s`);
    report('sandbox seed load (child): resources/s', loadRate.toFixed(0));
    report('sandbox peak RSS after load (child VmHWM)', mb(childPeakRss(child.pid ?? 0)));
    report('ratio: sandbox seed load / raw createResource', (loadRate / raw.loadRate).toFixed(2));

    const practitioners = await (await fetch(`${url}/_test/practitioners`)).json() as { id: string; patients: string[] }[];
    const doctor = practitioners[0];
    if (!doctor) throw new Error('no practitioner');
    const token = ((await (await fetch(`${url}/_test/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ practitioner: doctor.id }) })).json()) as { access_token: string }).access_token;
    report('panel of the benchmark clinician: patients', String(doctor.patients.length));

    const sync = await pullPages(`${url}/fhir/Observation?_lastUpdated=ge1970-01-01T00:00:00Z&_sort=_lastUpdated&_count=1000`, token, maxPages);
    const pageRate = rate(sync.pages, sync.ms);
    report('HTTP _lastUpdated pages of 1000 (Observation): pages', String(sync.pages));
    report('HTTP _lastUpdated pages of 1000: pages/s', pageRate.toFixed(1));
    report('HTTP _lastUpdated pages of 1000: resources/s', rate(sync.resources, sync.ms).toFixed(0));
    report('ratio: adapter pages/s / raw engine search pages/s', (pageRate / raw.pageRate).toFixed(0));

    const since = new Date(Date.now() - 3600_000).toISOString();
    const history = await pullPages(`${url}/fhir/_history?_since=${encodeURIComponent(since)}&_count=1000`, token, Math.min(maxPages, 100));
    report('HTTP _history?_since pages of 1000: pages/s', rate(history.pages, history.ms).toFixed(1));

    started = performance.now();
    const everything = await pullPages(`${url}/fhir/Patient/${doctor.patients[0]}/$everything`, token, 10);
    report('HTTP Patient/$everything (one chart): ms', `${(performance.now() - started).toFixed(0)} (${everything.resources} resources)`);

    const patients = doctor.patients;
    const transaction = async (entry: BundleEntry[]): Promise<void> => {
      const response = await fetch(`${url}/fhir`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry }) });
      if (response.status !== 200) throw new Error(`transaction: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
    };
    // Creates (POST) are unlimited per transaction; Medplum's processor allows 50 updates (PUT).
    const creates = 20;
    started = performance.now();
    for (let t = 0; t < creates; t++) {
      await transaction(Array.from({ length: 1000 }, (_, i) => {
        const { id: _id, ...resource } = heartRate('x', patients[(t * 1000 + i) % patients.length] ?? '', 60 + (i % 40));
        return { resource, request: { method: 'POST', url: 'Observation' } };
      }));
    }
    const transactionRate = rate(creates * 1000, performance.now() - started);
    report('HTTP transactions of 1000 POST (validated): resources/s', transactionRate.toFixed(0));
    report('ratio: HTTP transaction creates / raw createResource', (transactionRate / raw.loadRate).toFixed(3));
    const upserts = 100;
    started = performance.now();
    for (let t = 0; t < upserts; t++) {
      await transaction(Array.from({ length: 50 }, (_, i) => {
        const id = crypto.randomUUID();
        return { resource: heartRate(id, patients[(t * 50 + i) % patients.length] ?? '', 60 + (i % 40)), request: { method: 'PUT', url: `Observation/${id}` } };
      }));
    }
    const upsertRate = rate(upserts * 50, performance.now() - started);
    report('HTTP transactions of 50 PUT (client ids): resources/s', upsertRate.toFixed(0));

    const puts = 1000;
    started = performance.now();
    for (let i = 0; i < puts; i++) {
      const id = crypto.randomUUID();
      const response = await fetch(`${url}/fhir/Observation/${id}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/fhir+json' }, body: JSON.stringify(heartRate(id, patients[i % patients.length] ?? '', 70)) });
      if (response.status !== 201) throw new Error(`PUT: ${response.status}`);
      await response.arrayBuffer();
    }
    const putRate = rate(puts, performance.now() - started);
    report('HTTP single PUT (update-as-create): requests/s', putRate.toFixed(0));
    report('ratio: HTTP single PUT / raw createResource', (putRate / raw.loadRate).toFixed(4));
    report('sandbox peak RSS at the end (child VmHWM)', mb(childPeakRss(child.pid ?? 0)));
  } finally {
    child.kill('SIGTERM');
  }
  console.log('\nJSON:', JSON.stringify(Object.fromEntries(figures.map((f) => [f.label, f.value]))));
}

await main();
