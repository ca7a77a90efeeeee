// `npm run test:stress [-- --runs 3] [-- --only unit,integration,browser]`
//
// The test suite on a busy machine: one CPU hog per core (a Node process spinning for ever) for
// the whole run, then the vitest unit and integration projects (the sandbox, the keyring, real
// Chromium) and the Playwright browser tests, as many times as asked. No retry: a test that fails
// once under load is reported as failed. At the end, for every test, hook and single wait, its
// slowest time over the runs against its limit; every limit under three times that time is listed,
// and the command fails if there is any, or any failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { headroomWanted, line, loadTimings, ratioOf, seconds, short, slowest, tightest, worstOfRuns } from './timings/summary.ts';
import type { Timing } from './timings/timing.ts';

type Part = 'unit' | 'integration' | 'browser';
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, hogs: { type: 'string' }, only: { type: 'string', default: 'unit,integration,browser' } },
});
const runs = Number(values.runs);
const hogCount = values.hogs === undefined ? availableParallelism() : Number(values.hogs);
const parts = values.only.split(',').map((p) => p.trim()) as Part[];
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(hogCount) || hogCount < 0 || parts.some((p) => !['unit', 'integration', 'browser'].includes(p))) {
  console.error('usage: npm run test:stress -- [--runs N] [--hogs N] [--only unit,integration,browser]');
  process.exit(2);
}

const root = '.cache/stress';
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });

// The browser tests run against the built web host: build it before the hogs start.
// With an image viewer named, as npm test builds it (tests/tools/run-all.ts).
const viewer = process.env['VITE_RELAIS_IMAGING_VIEWER'] ?? 'https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}';
if (parts.includes('browser') && spawnSync('vite', ['build', '--mode', 'web', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, VITE_RELAIS_IMAGING_VIEWER: viewer } }).status !== 0) {
  console.error('stress: the web build failed');
  process.exit(1);
}

const hogs: ChildProcess[] = [];
const stopHogs = (): void => {
  for (const hog of hogs) hog.kill('SIGKILL');
};
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
for (let i = 0; i < hogCount; i += 1) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
console.log(`stress: ${hogCount} CPU hog(s) running (one per core), ${runs} run(s) of ${parts.join(', ')}`);

type RunOutcome = { timings: Timing[]; failed: string[]; passed: number; wallMs: number };

function runOnce(index: number): RunOutcome {
  const dir = `${root}/run-${index}`;
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, RELAIS_REPORTS_DIR: dir };
  const failedTests: string[] = [];
  let passedTests = 0;
  const started = performance.now();
  for (const part of parts) {
    const partStarted = performance.now();
    if (part === 'browser') {
      const json = `${dir}/playwright.json`;
      spawnSync('playwright', ['test'], { stdio: 'inherit', env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: json } });
      if (!existsSync(json)) failedTests.push('playwright: no report');
      else {
        const r = JSON.parse(readFileSync(json, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number }; errors?: { message: string }[] };
        passedTests += r.stats.expected + r.stats.flaky;
        // Each failed test is named below, from the timings.
        for (const e of r.errors ?? []) failedTests.push(`playwright: ${String(e.message).split('\n')[0]}`);
      }
    } else {
      const json = `${dir}/vitest-${part}.json`;
      spawnSync('vitest', ['run', '--project', part, '--reporter=dot', '--reporter=json', `--outputFile.json=${json}`, '--reporter=./tests/tools/timings/vitest-reporter.ts'], { stdio: 'inherit', env });
      if (!existsSync(json)) failedTests.push(`vitest ${part}: no report`);
      else {
        const r = JSON.parse(readFileSync(json, 'utf8')) as { numPassedTests: number; testResults: { name: string; status: string; assertionResults: { status: string; fullName: string }[] }[] };
        passedTests += r.numPassedTests;
        for (const f of r.testResults) {
          if (f.status === 'failed' && f.assertionResults.length === 0) failedTests.push(`vitest: ${f.name} failed to run`);
        }
      }
    }
    console.log(`stress run ${index}: ${part} took ${seconds(performance.now() - partStarted)}`);
  }
  const timings = loadTimings(dir);
  // Every failed test is named from the timings (a file that could not load, from its report above).
  for (const t of timings) if (t.kind === 'test' && t.status !== 'passed' && t.status !== 'skipped') failedTests.push(`${t.runner}: ${t.file} › ${t.name} (${t.status})`);
  return { timings, failed: [...new Set(failedTests)], passed: passedTests, wallMs: performance.now() - started };
}

const outcomes: RunOutcome[] = [];
for (let i = 1; i <= runs; i += 1) {
  const outcome = runOnce(i);
  outcomes.push(outcome);
  console.log(`\nstress run ${i}: ${outcome.passed} passed, ${outcome.failed.length} failed, in ${seconds(outcome.wallMs)} (with ${hogCount} hog(s))\n`);
}
stopHogs();

const worst = worstOfRuns(outcomes.map((o) => o.timings));
const tooShort = short(worst).sort((a, b) => ratioOf(b) - ratioOf(a));
console.log(`\n######## stress summary: ${runs} run(s), ${hogCount} CPU hog(s), slowest time of each over the runs\n`);
for (const [i, o] of outcomes.entries()) console.log(`run ${i + 1}: ${o.passed} passed, ${o.failed.length} failed, ${seconds(o.wallMs)}`);
console.log('\nThe five slowest tests:');
for (const t of slowest(worst, 5)) console.log(`  ${line(t)}`);
console.log('\nThe fifteen limits nearest their durations:');
for (const t of tightest(worst, 15)) console.log(`  ${line(t)}`);
const worstRatio = tightest(worst, 1)[0];
console.log(`\nWorst ratio of duration to limit: ${worstRatio ? `${(ratioOf(worstRatio) * 100).toFixed(0)} % (${line(worstRatio).trim()})` : 'none measured'}`);
writeFileSync(`${root}/summary.json`, JSON.stringify({ runs: outcomes.map((o) => ({ passed: o.passed, failed: o.failed, wallMs: Math.round(o.wallMs) })), worst }, null, 1));
const failures = outcomes.flatMap((o, i) => o.failed.map((f) => `run ${i + 1}: ${f}`));
if (failures.length) console.log(`\nFailures:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
if (tooShort.length) console.log(`\n${tooShort.length} limit(s) under ${headroomWanted} × the slowest time seen:\n${tooShort.map((t) => `  ${line(t)}`).join('\n')}`);
console.log(`\nstress: ${failures.length === 0 && tooShort.length === 0 ? 'every test passed every run, each with at least three times its slowest time as its limit' : 'NOT reliable under load (see above)'}`);
process.exit(failures.length === 0 && tooShort.length === 0 ? 0 : 1);
