/**
 * Ingest and read benchmark of the encrypted replica in real Chromium, against its baselines,
 * side by side (tests/bench/README.md). Not part of the test suite: figures are ratios measured
 * in one run, for each size every variant runs once per round, rounds repeated, medians taken.
 *
 *   npx node --experimental-strip-types --disable-warning=ExperimentalWarning \
 *     tests/bench/replica-ingest.ts [--sizes 10000,50000,100000] [--repeat 3] [--variants a,b] [--json out.json]
 */
import { writeFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { bundleForBrowser } from '../browser/bundle.ts';
import { familyOf, patientCount, resourcesPerPatient, samplePatients } from './replica-data.ts';
import { type SizeResults, sizeReport } from './replica-report.ts';
import { runOnce, type RunResult } from './replica-run.ts';
import { defaultVariants, isVariantName, scriptsFor, type VariantName, variantNames } from './replica-variants.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,50000,100000' },
    repeat: { type: 'string', default: '3' },
    variants: { type: 'string', default: defaultVariants.join(',') },
    'page-size': { type: 'string', default: '1000' },
    order: { type: 'string', default: 'interleaved' },
    charts: { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});

const sizes = (values.sizes ?? '').split(',').map(Number);
const repeat = Number(values.repeat);
const pageSize = Number(values['page-size']);
const variants: VariantName[] = (values.variants ?? '').split(',').map((name) => {
  if (!isVariantName(name)) throw new Error(`unknown variant ${name}; one of ${variantNames.join(', ')}`);
  return name;
});
const order = values.order;
if (order !== 'interleaved' && order !== 'grouped') throw new Error('--order is interleaved or grouped');
if (sizes.some((s) => !Number.isInteger(s) || s < resourcesPerPatient * 2 || s % resourcesPerPatient !== 0)) {
  throw new Error(`sizes must be multiples of ${resourcesPerPatient} (at least two patients)`);
}

// Only routed URLs are used: nothing listens here, and each run has a fresh profile.
const origin = 'http://127.0.0.1:47193';
// The family names of the charted patients, typed as a clinician would (no accents, lower case).
const typed = (name: string): string => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const started = Date.now();
const loadAtStart = loadavg();
const scripts = await scriptsFor(variants, (replace) => bundleForBrowser('tests/bench/replica-page.ts', replace ? { replace } : {}));
const allResults: SizeResults[] = [];
let userAgent = '';

const log = (text: string): void => {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${text}\n`);
};

for (const size of sizes) {
  const patients = patientCount(size);
  const chartPatients = samplePatients(patients, Number(values.charts));
  const warmUpPatient = [...Array(patients).keys()].find((p) => !chartPatients.includes(p)) ?? 0;
  const searchTexts = chartPatients.map((p) => typed(familyOf(p)));
  const rounds: RunResult[][] = [];
  for (let round = 0; round < repeat; round += 1) {
    // Rotate the order each round, so no variant always runs first (warm caches, other load).
    const sequence = variants.map((_, i) => variants[(i + round) % variants.length] as VariantName);
    const results: RunResult[] = [];
    for (const variant of sequence) {
      const t0 = Date.now();
      const run = await runOnce(variant, size, {
        script: scripts.get(variant) ?? '',
        origin,
        pageSize,
        order,
        chartPatients,
        warmUpPatient,
        searchTexts,
        onProgress: (done, total) => {
          if (done % 100 === 0 && done < total) log(`  ${variant} ${size}: ${done}/${total} pages`);
        },
      });
      userAgent = run.userAgent;
      const ms = run.pageMs.reduce((a, b) => a + b, 0);
      log(`size ${size} round ${round + 1}/${repeat} ${variant}: ${Math.round((size / ms) * 1000)} docs/s (${((Date.now() - t0) / 1000).toFixed(0)} s wall, load ${loadavg()[0]?.toFixed(2)})`);
      results.push(run);
    }
    rounds.push(results);
  }
  const sizeResults: SizeResults = { size, rounds };
  allResults.push(sizeResults);
  console.log(sizeReport(sizeResults, { pageSize, order }));
  // Saved after every size: a long run that stops later keeps what it measured.
  if (values.json !== undefined) await writeFile(values.json, JSON.stringify({ userAgent, pageSize, order, results: allResults }, null, 1));
}

const cpu = cpus();
console.log(
  [
    '',
    `machine: ${cpu.length} cores (${cpu[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} free at end), ` +
      `load avg ${loadAtStart.map((l) => l.toFixed(2)).join('/')} at start, ${loadavg().map((l) => l.toFixed(2)).join('/')} at end (shared with other builds)`,
    `browser: ${userAgent}; Node ${process.version}; total ${((Date.now() - started) / 60000).toFixed(1)} min`,
  ].join('\n'),
);

if (values.json !== undefined) log(`raw results written to ${values.json} (print them again: tests/bench/replica-tables.ts)`);
