// The whole suite, in the order a failure is cheapest to read: types, lint, build, vitest
// (unit + integration), Playwright (browser). Each runner's own summary is printed as it runs;
// at the end one plain line gives the true totals across all of them: `N passed, N failed`.
// Type-check, lint and build count as one check each per project/step.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const reports = '.cache/test-reports';
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

const run = (command, args, env = {}) =>
  spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;

function check(name, ok) {
  if (ok) passed += 1;
  else {
    failed += 1;
    failures.push(name);
  }
  console.log(`\n== ${name}: ${ok ? 'ok' : 'FAILED'}\n`);
}

for (const project of ['tsconfig.json', 'shared/tsconfig.json', 'renderer/tsconfig.json', 'electron/tsconfig.json', 'sandbox/tsconfig.json', 'tests/tsconfig.json']) {
  if (existsSync(project)) check(`typecheck ${project}`, run('tsc', ['-p', project, '--noEmit']));
}
check('lint (with process boundaries)', run('eslint', ['--max-warnings', '0', '.']));
check('build main + preload', run('node', ['build/bundle-main.mjs']));
check('build renderer (electron)', run('vite', ['build', '--mode', 'electron', '--logLevel', 'warn']));
check('build renderer (web host)', run('vite', ['build', '--mode', 'web', '--logLevel', 'warn']));

// vitest: unit and integration projects.
const vitestJson = `${reports}/vitest.json`;
const vitestOk = run('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  // A file that failed to load has no failed test but must not pass silently.
  const brokenFiles = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  failed += brokenFiles.length;
  for (const f of brokenFiles) failures.push(`vitest file failed to run: ${f.name}`);
  for (const f of r.testResults)
    for (const a of f.assertionResults) if (a.status === 'failed') failures.push(`vitest: ${a.fullName}`);
} else {
  check('vitest produced a report', false);
}
if (!vitestOk && failed === 0) check('vitest exit code', false);

// Playwright: browser tests in Debian's Chromium.
const pwJson = `${reports}/playwright.json`;
const pwOk = run('playwright', ['test'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
if (existsSync(pwJson)) {
  const r = JSON.parse(readFileSync(pwJson, 'utf8'));
  passed += r.stats.expected + r.stats.flaky;
  failed += r.stats.unexpected;
  skipped += r.stats.skipped;
  if (r.errors?.length) {
    failed += r.errors.length;
    failures.push(...r.errors.map((e) => `playwright: ${String(e.message).split('\n')[0]}`));
  }
} else {
  check('playwright produced a report', false);
}
if (!pwOk && failed === 0) check('playwright exit code', false);

if (failures.length) console.log(`\nFailures:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 && skipped === 0 ? 0 : 1);
