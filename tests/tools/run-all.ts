// The whole suite, in the order a failure is cheapest to read: static checks (type-check, lint,
// build), vitest unit, vitest integration, Playwright (browser), one stage after the other, so the
// browser tests never share the machine with another stage. Running the static checks in two
// lanes at once was measured slower on two cores (67 s against 57 s: tsc and ESLint each already
// keep more than one core busy), and the test stages are CPU-bound too, so nothing runs side by side.
// At the end: each stage's time, the five slowest tests, the limits nearest their durations, and
// one plain line with the true totals across every runner: `N passed, N failed`.
// Type-check, lint and build count as one check each per project/step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadTimings, line, seconds, short, slowest, tightest } from './timings/summary.ts';
import { reportsDirectory } from './timings/timing.ts';
import { readInstallTime } from './stage-times.ts';
import { e2eSources } from '../e2e/support/sources.ts';

// The browser tests' web build names a second FHIR source (a twin sandbox): the build and the tests read the same list.
process.env['VITE_RELAIS_SOURCES'] = JSON.stringify(e2eSources());

const reports = reportsDirectory();
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
const stageTimes: [string, number][] = [];

type Step = Readonly<{ name: string; command: string; args: readonly string[]; env?: Record<string, string> }>;

function check(name: string, ok: boolean): void {
  if (ok) passed += 1;
  else {
    failed += 1;
    failures.push(name);
  }
  console.log(`\n== ${name}: ${ok ? 'ok' : 'FAILED'}\n`);
}

const runInherited = (command: string, args: readonly string[], env: Record<string, string> = {}): boolean =>
  spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;

function runSteps(steps: readonly Step[]): void {
  for (const step of steps) {
    const started = performance.now();
    const ok = runInherited(step.command, step.args, step.env);
    console.log(`(${step.name}: ${seconds(performance.now() - started)})`);
    check(step.name, ok);
  }
}

async function stage(name: string, body: () => void | Promise<void>): Promise<void> {
  console.log(`\n######## ${name}\n`);
  const started = performance.now();
  await body();
  stageTimes.push([name, performance.now() - started]);
}

const staticChecks: Step[] = ['tsconfig.json', 'shared/tsconfig.json', 'renderer/tsconfig.json', 'electron/tsconfig.json', 'sandbox/tsconfig.json', 'tests/tsconfig.json']
  .filter((p) => existsSync(p))
  .map((p): Step => ({ name: `typecheck ${p}`, command: 'tsc', args: ['-p', p, '--noEmit'] }));
staticChecks.push(
  { name: 'lint (with process boundaries)', command: 'eslint', args: ['--max-warnings', '0', '.'] },
  { name: 'build main + preload', command: 'node', args: ['build/bundle-main.mjs'] },
  { name: 'build renderer (electron)', command: 'vite', args: ['build', '--mode', 'electron', '--logLevel', 'warn'] },
  // The browser tests' web host names an image viewer (policy imagingViewerUrl in Electron), so the chart's viewer link is walked.
  { name: 'build renderer (web host)', command: 'vite', args: ['build', '--mode', 'web', '--logLevel', 'warn'], env: { VITE_RELAIS_IMAGING_VIEWER: process.env['VITE_RELAIS_IMAGING_VIEWER'] ?? 'https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}' } },
);

function vitest(project: 'unit' | 'integration'): void {
  const json = `${reports}/vitest-${project}.json`;
  const ok = runInherited('vitest', ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${json}`, '--reporter=./tests/tools/timings/vitest-reporter.ts']);
  const before = failed;
  if (existsSync(json)) {
    const r = JSON.parse(readFileSync(json, 'utf8')) as VitestJson;
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    // A file that failed to load has no failed test but must not pass silently.
    const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
    failed += brokenFiles.length;
    for (const f of brokenFiles) failures.push(`vitest file failed to run: ${f.name}`);
    for (const f of r.testResults) for (const a of f.assertionResults) if (a.status === 'failed') failures.push(`vitest: ${a.fullName}`);
  } else {
    check(`vitest ${project} produced a report`, false);
  }
  if (!ok && failed === before) check(`vitest ${project} exit code`, false);
}

type VitestJson = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; assertionResults: { status: string; fullName: string }[] }[];
};

type PlaywrightSuite = { title: string; specs?: { title: string; tests: { status: string }[] }[]; suites?: PlaywrightSuite[] };

/** The titles of the tests whose outcome was not the expected one. */
function failedPlaywrightTests(suites: readonly PlaywrightSuite[], path: readonly string[] = []): string[] {
  return suites.flatMap((suite) => [
    ...(suite.specs ?? []).filter((spec) => spec.tests.some((t) => t.status === 'unexpected')).map((spec) => [...path, suite.title, spec.title].filter((p) => p !== '').join(' › ')),
    ...failedPlaywrightTests(suite.suites ?? [], [...path, suite.title]),
  ]);
}

function playwright(): void {
  const json = `${reports}/playwright.json`;
  const ok = runInherited('playwright', ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: json });
  const before = failed;
  if (existsSync(json)) {
    const r = JSON.parse(readFileSync(json, 'utf8')) as { stats: { expected: number; flaky: number; unexpected: number; skipped: number }; errors?: { message: string }[]; suites?: PlaywrightSuite[] };
    passed += r.stats.expected + r.stats.flaky;
    failed += r.stats.unexpected;
    skipped += r.stats.skipped;
    failures.push(...failedPlaywrightTests(r.suites ?? []).map((name) => `playwright: ${name}`));
    if (r.errors?.length) {
      failed += r.errors.length;
      failures.push(...r.errors.map((e) => `playwright: ${String(e.message).split('\n')[0]}`));
    }
  } else {
    check('playwright produced a report', false);
  }
  if (!ok && failed === before) check('playwright exit code', false);
}

const started = performance.now();
await stage('static checks (type-check, lint, build)', () => runSteps(staticChecks));
await stage('unit (vitest)', () => vitest('unit'));
await stage('integration (vitest: sandbox, keyring, Chromium, packager)', () => vitest('integration'));
await stage('browser (Playwright)', playwright);
const total = performance.now() - started;

const timings = loadTimings(reports);
console.log('\n######## where the time went\n');
const install = readInstallTime();
if (install !== null) console.log(`${'install (npm run setup)'.padEnd(62)} ${seconds(install.ms).padStart(9)}   (${install.when})`);
for (const [name, ms] of stageTimes) console.log(`${name.padEnd(62)} ${seconds(ms).padStart(9)}`);
console.log(`${'all checks and tests'.padEnd(62)} ${seconds(total).padStart(9)}`);
console.log('\nThe five slowest tests (duration of limit):');
for (const t of slowest(timings, 5)) console.log(`  ${line(t)}`);
console.log('\nThe limits nearest their durations (tests, hooks and single waits):');
for (const t of tightest(timings, 5)) console.log(`  ${line(t)}`);
const tight = short(timings);
if (tight.length > 0) console.log(`\n${tight.length} limit(s) below three times the measured duration: give them room (tests/README.md, "Time limits").`);

if (failures.length) console.log(`\nFailures:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && skipped === 0 ? 0 : 1);
