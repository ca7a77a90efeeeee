// `npm run release:check`: a release an auditor can check (issue 16, point 5). It
//   1. builds Relais and packages the unpacked Linux app with the stand-in Electron (build/pack-dir.mjs),
//   2. lists the npm packages the app ships (build/release-audit.mjs) and checks each licence
//      against build/licences.json: one that is not allowed for distribution fails the check,
//   3. writes a CycloneDX 1.6 SBOM of them (validated against the specification's schema) and a
//      licence report,
//   4. writes SHA256SUMS of every file of the unpacked app, the SBOM and the report
//      (`sha256sum -c SHA256SUMS` in the output folder checks them).
// The signed installers per platform are made as build/SIGNING.md says; this is what is checked first.
//
//   node build/release-check.mjs [--output <dir>]    (default: release/)
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { licenceVerdict, sbomOf, shippedComponents, shippedKeys } from './release-audit.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { output: { type: 'string' } } });
const output = resolve(root, values.output ?? 'release');

const run = (args) =>
  new Promise((resolvePromise) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => resolvePromise(code ?? 1));
  });

async function filesUnder(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

const sha256 = (path) =>
  new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolvePromise(hash.digest('hex')))
      .on('error', reject);
  });

if ((await run(['build/pack-dir.mjs', '--output', output])) !== 0) {
  console.error('release:check: building or packaging the app failed (above).');
  process.exit(1);
}

const app = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const lists = ['main', 'preload', 'renderer', 'renderer-workers'].map((name) => JSON.parse(readFileSync(join(root, '.cache', 'shipped', `${name}.json`), 'utf8')));
// Electron itself is shipped too (its own notices list Chromium's and Node's licences: LICENSES.chromium.html in the app).
const components = shippedComponents(root, [...new Set([...shippedKeys(lists, lock), 'node_modules/electron'])].sort(), lock);
const policy = JSON.parse(readFileSync(join(root, 'build', 'licences.json'), 'utf8'));
const verdicts = components.map((c) => ({ ...c, verdict: licenceVerdict(c.name, c.licence, policy) }));
const refused = verdicts.filter((c) => !c.verdict.ok);

const report = [
  `Relais ${app.version}: ${components.length} npm packages shipped (bundled into main, preload, page or workers, or copied as production dependencies).`,
  `Licences checked against build/licences.json.`,
  '',
  ...verdicts.map((c) => `${c.verdict.ok ? 'ok     ' : 'REFUSED'} ${c.name}@${c.version}  ${c.licence ?? '(none stated)'}${c.verdict.ok && c.verdict.why.startsWith('exception') ? `  [${c.verdict.why}]` : ''}${c.verdict.ok ? '' : `  — ${c.verdict.why}`}`),
  '',
].join('\n');
const reportName = `relais-${app.version}-licences.txt`;
await writeFile(join(output, reportName), report);

const sbomName = `relais-${app.version}.cdx.json`;
await writeFile(join(output, sbomName), await sbomOf({ name: app.name, version: app.version }, components, new Date()));

const unpacked = (await readdir(output)).filter((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name)).map((name) => join(output, name));
const files = [...(await Promise.all(unpacked.map(filesUnder))).flat(), join(output, sbomName), join(output, reportName)].sort();
const sums = [];
for (const file of files) sums.push(`${await sha256(file)}  ${relative(output, file).split('\\').join('/')}`);
await writeFile(join(output, 'SHA256SUMS'), `${sums.join('\n')}\n`);

if (refused.length > 0) {
  console.error(`release:check: ${refused.length} shipped package(s) under a licence not allowed for distribution:`);
  for (const c of refused) console.error(`  ${c.name}@${c.version}: ${c.verdict.why}`);
  console.error('Replace the package, or, after legal review, name it in build/licences.json "exceptions" with the reason.');
  process.exit(1);
}
console.log(`release:check: ${components.length} packages shipped, every licence allowed; SBOM ${sbomName}; licences ${reportName}; ${sums.length} checksums in SHA256SUMS (${output}).`);
