// `npm run pack:dir`: builds Relais and packages it as an unpacked Linux folder with
// electron-builder (`--linux dir`), on machines where the Electron binary cannot be downloaded.
//
// In place of Electron it packages a stand-in: a small shell script that carries Electron 45's fuse
// wire, so electron-builder's fuse step finds it and flips the fuses of electron-builder.yml as it
// would in the real binary. The result has the real app.asar (main, preload, renderer, keytar
// unpacked) but does not run. Give a real unpacked Electron with --electron-dist for a runnable one.
//
//   node build/pack-dir.mjs [--output <dir>] [--electron-dist <dir>] [--no-build]
//
// --output         where electron-builder writes (default: directories.output of electron-builder.yml)
// --electron-dist  an unpacked Electron for Linux to package instead of the stand-in
// --no-build       package dist/ as it is, without `npm run build` first
//
// The stand-in is left in <output>/electron-stand-in/, so what was packaged can be compared with it.
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Buffer } from 'node:buffer';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const requireFromRoot = createRequire(join(root, 'package.json'));

// Electron's fuse wire, as electron/build/fuses/build.py compiles it into the binary: this sentinel,
// then the wire version and the number of fuses as raw bytes, then one ASCII '0' or '1' per fuse.
// Order and defaults are those of electron/build/fuses/fuses.json5 in Electron 45.
const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const fuseWireVersion = 1;
const electron45FuseDefaults = [
  ['run_as_node', '1'],
  ['cookie_encryption', '0'],
  ['node_options', '1'],
  ['node_cli_inspect', '1'],
  ['embedded_asar_integrity_validation', '0'],
  ['only_load_app_from_asar', '0'],
  ['load_browser_process_specific_v8_snapshot', '0'],
  ['grant_file_protocol_extra_privileges', '1'],
  ['wasm_trap_handlers', '1'],
];

/** electron-builder's and Electron's names for the architecture this machine runs. */
const builderArch = { x64: 'x64', arm64: 'arm64', ia32: 'ia32', arm: 'armv7l' }[process.arch];

function standInElectron() {
  const script = [
    '#!/bin/sh',
    '# Stand-in for the Electron 45 binary, written by build/pack-dir.mjs so that electron-builder can',
    '# package Relais where Electron cannot be downloaded. It cannot run the app.',
    'echo "Relais: this build was packaged with a stand-in for Electron (npm run pack:dir) and does not run." >&2',
    'exit 1',
    '# fuse wire: ',
  ].join('\n');
  const wire = Buffer.concat([
    Buffer.from(fuseSentinel, 'latin1'),
    Buffer.from([fuseWireVersion, electron45FuseDefaults.length]),
    Buffer.from(electron45FuseDefaults.map(([, value]) => value).join(''), 'latin1'),
  ]);
  return Buffer.concat([Buffer.from(script, 'utf8'), wire, Buffer.from('\n')]);
}

/** Writes the stand-in as `<dir>/electron`, the executable name electron-builder looks for. */
async function writeStandInElectron(dir) {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const executable = join(dir, 'electron');
  await writeFile(executable, standInElectron());
  await chmod(executable, 0o755);
  return dir;
}

function binOf(packageName, binName) {
  const manifestPath = requireFromRoot.resolve(`${packageName}/package.json`);
  const { bin } = requireFromRoot(`${packageName}/package.json`);
  return join(dirname(manifestPath), typeof bin === 'string' ? bin : bin[binName]);
}

function run(script, args) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolveRun();
      else reject(new Error(`${[script, ...args].join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      output: { type: 'string' },
      'electron-dist': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (builderArch === undefined) throw new Error(`electron-builder cannot package for this architecture (${process.arch})`);
  const output = resolve(root, values.output ?? 'release');

  if (!values['no-build']) {
    await run(join(root, 'build', 'bundle-main.mjs'), []);
    await run(binOf('vite', 'vite'), ['build', '--mode', 'electron', '--logLevel', 'warn']);
  }

  const electronDist = values['electron-dist'] !== undefined
    ? resolve(values['electron-dist'])
    : await writeStandInElectron(join(output, 'electron-stand-in'));

  await run(binOf('electron-builder', 'electron-builder'), [
    '--projectDir', root,
    '--linux', 'dir',
    `--${builderArch}`,
    `-c.electronDist=${electronDist}`,
    // Rebuilding keytar for Electron needs Electron's headers, which cannot be downloaded here: the
    // keytar.node built for Node by `npm install` is packaged as it is.
    '-c.npmRebuild=false',
    `-c.directories.output=${output}`,
  ]);

  const unpacked = (await readdir(output)).find((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name));
  if (unpacked === undefined) throw new Error(`electron-builder wrote no linux-*-unpacked folder into ${output}`);
  console.log(`\nPackaged: ${join(output, unpacked)}`);
}

try {
  await main();
} catch (error) {
  console.error(`pack:dir: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
