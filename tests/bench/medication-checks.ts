/**
 * The medication checks' cost (issue 13: "a check over a 40-drug medication list runs in under
 * 5 ms"), side by side with a baseline in the same process: the order-time check of one new
 * order against 40 current medications and 2 allergies, and the chart-open review of the 40
 * (780 pairs), against a bare loop that only compares the 40 lists' ingredient ids pairwise (the
 * least any pairwise check does). Medians over many rounds, after warm-up.
 *
 *   npm run bench:medication [-- --rounds 2000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import type * as ChecksModule from '../../shared/medication/checks';
import type * as KnowledgeModule from '../../shared/medication/knowledge';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '2000' } } });
const rounds = Number(values.rounds);

const dir = mkdtempSync(join(tmpdir(), 'relais-med-bench-'));
const out = join(dir, 'checks.mjs');
await build({
  stdin: {
    contents: "export * from './shared/medication/checks'; export * from './shared/medication/knowledge';",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'error',
});
type Checks = typeof ChecksModule & typeof KnowledgeModule;
const checks = (await import(pathToFileURL(out).href)) as Checks;
rmSync(dir, { recursive: true, force: true });

const loadStart = performance.now();
const { base } = checks.medicationKnowledge();
const loadMs = performance.now() - loadStart;

// A 40-drug list: the dictionary's first 40 ingredients of distinct ATC level-4 groups (a list with
// no duplication), then an order for a class member that meets some of them.
const seen = new Set<string>();
const list = base.dictionary.ingredients
  .filter((i) => {
    const group = (i.atc[0] ?? '').slice(0, 5);
    if (seen.has(group)) return false;
    seen.add(group);
    return true;
  })
  .slice(0, 40)
  .map((i, n) => ({ key: `MedicationRequest/m${n}`, label: i.name.en, ingredients: [i.id], origin: 'current' as const }));
const order = { key: 'MedicationRequest/new', label: 'new', ingredients: [[...base.classes.values()][0]?.members[0] ?? 'warfarin'], origin: 'new' as const };
const allergies = [
  { key: 'AllergyIntolerance/a1', label: 'Penicillin', ingredients: [], groups: ['penicillins'] },
  { key: 'AllergyIntolerance/a2', label: 'Aspirin', ingredients: ['aspirin'], groups: [] },
];

function baseline(): number {
  let same = 0;
  for (let i = 0; i < list.length; i += 1) {
    for (let j = i + 1; j < list.length; j += 1) {
      for (const a of list[i]!.ingredients) if (list[j]!.ingredients.includes(a)) same += 1;
    }
  }
  return same;
}

function median(run: () => unknown): number {
  const times: number[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

for (let w = 0; w < 200; w += 1) {
  checks.checkOrder(base, order, list, allergies);
  checks.reviewMedications(base, list, allergies);
  baseline();
}
const results: Array<[string, number]> = [];
for (let round = 0; round < 3; round += 1) {
  results.push(['baseline', median(baseline)], ['order', median(() => checks.checkOrder(base, order, list, allergies))], ['review', median(() => checks.reviewMedications(base, list, allergies))]);
}
const med = (name: string): number => {
  const xs = results.filter(([n]) => n === name).map(([, t]) => t).sort((a, b) => a - b);
  return xs[1] as number;
};
const b = med('baseline');
console.log(`# Medication checks — ${new Date().toISOString()}, ${rounds} rounds × 3, medians`);
console.log(`knowledge loaded and checked once: ${loadMs.toFixed(1)} ms (${base.dictionary.ingredients.length} ingredients, ${base.interactions.length} interactions)`);
console.log(`baseline (40 lists' ids compared pairwise): ${(b * 1000).toFixed(1)} µs`);
console.log(`order check, 1 order × 40 medications + 2 allergies: ${(med('order') * 1000).toFixed(1)} µs = ${(med('order') / b).toFixed(1)} × baseline (target < 5 ms)`);
console.log(`review, 40 medications (780 pairs) + 2 allergies: ${(med('review') * 1000).toFixed(1)} µs = ${(med('review') / b).toFixed(1)} × baseline (target < 5 ms)`);
console.log(`alerts in this list: order ${checks.checkOrder(base, order, list, allergies).length}, review ${checks.reviewMedications(base, list, allergies).length}`);
