/**
 * The packaging path end to end (issue point 9): `npm run pack:dir` builds the app and runs the real
 * electron-builder (`--linux dir`) on electron-builder.yml, with a stand-in for the Electron binary
 * that carries Electron 45's fuse wire. Checked here: electron-builder flipped the fuses in the
 * packaged binary, app.asar holds exactly the app, and keytar's native module is unpacked. The
 * package is made by `npm run release:check` (issue 16, point 5), which adds the SBOM, the licence
 * report and the checksums, checked here too.
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const webHostMarker = 'relais.web-host';

type Command = { readonly code: number | null; readonly output: string };

function runNode(args: readonly string[]): Promise<Command> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

// Electron 45's fuse defaults (electron/build/fuses/fuses.json5), as the stand-in carries them, and
// what electron-builder.yml asks for. Each of the seven configured fuses differs from its default, so
// reading the configured value back proves electron-builder wrote it.
const electron45Defaults = {
  [FuseV1Options.RunAsNode]: FuseState.ENABLE,
  [FuseV1Options.EnableCookieEncryption]: FuseState.DISABLE,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FuseState.ENABLE,
  [FuseV1Options.EnableNodeCliInspectArguments]: FuseState.ENABLE,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FuseState.DISABLE,
  [FuseV1Options.OnlyLoadAppFromAsar]: FuseState.DISABLE,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: FuseState.DISABLE,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: FuseState.ENABLE,
  [FuseV1Options.WasmTrapHandlers]: FuseState.ENABLE,
};
const configuredFuses = {
  ...electron45Defaults,
  [FuseV1Options.RunAsNode]: FuseState.DISABLE,
  [FuseV1Options.EnableCookieEncryption]: FuseState.ENABLE,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FuseState.DISABLE,
  [FuseV1Options.EnableNodeCliInspectArguments]: FuseState.DISABLE,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FuseState.ENABLE,
  [FuseV1Options.OnlyLoadAppFromAsar]: FuseState.ENABLE,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: FuseState.DISABLE,
};

let output = '';
let appOutDir = '';
let asar = '';
let asarEntries: string[] = [];
let releaseOutput = '';

beforeAll(async () => {
  // The web host must exist beside the app for its absence from the package to mean anything.
  if (!existsSync(join(root, 'dist/web'))) {
    const web = await runNode(['node_modules/vite/bin/vite.js', 'build', '--mode', 'web', '--logLevel', 'warn']);
    if (web.code !== 0) throw new Error(`vite build --mode web failed:\n${web.output}`);
  }
  output = mkdtempSync(join(tmpdir(), 'relais-pack-'));
  // release:check packages the app (build/pack-dir.mjs) and adds the SBOM, the licence report and the checksums.
  const pack = await runNode(['build/release-check.mjs', '--output', output]);
  if (pack.code !== 0) throw new Error(`npm run release:check failed:\n${pack.output}`);
  releaseOutput = pack.output;
  const unpacked = readdirSync(output).find((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name));
  if (unpacked === undefined) throw new Error(`no linux-*-unpacked folder in ${output}:\n${pack.output}`);
  appOutDir = join(output, unpacked);
  asar = join(appOutDir, 'resources', 'app.asar');
  // Entries as archive paths with forward slashes and no leading slash: dist/main/main.mjs.
  asarEntries = listPackage(asar, { isPack: false }).map((entry) => entry.replace(/\\/g, '/').replace(/^\//, ''));
}, 240_000);

afterAll(() => {
  if (output !== '') rmSync(output, { recursive: true, force: true });
});

describe('npm run pack:dir (electron-builder --linux dir with a stand-in Electron)', () => {
  it('packages the stand-in as the executable named after the package', () => {
    const executable = join(appOutDir, 'relais');
    expect(existsSync(executable)).toBe(true);
    expect(() => accessSync(executable, constants.X_OK)).not.toThrow();
  });

  it('the stand-in carries Electron 45 fuse defaults, as @electron/fuses reads them', async () => {
    expect(await getCurrentFuseWire(join(output, 'electron-stand-in', 'electron'))).toEqual({ version: '1', ...electron45Defaults });
  });

  it('flips the six fuses of electron-builder.yml in the packaged binary and leaves the others at their defaults', async () => {
    expect(await getCurrentFuseWire(join(appOutDir, 'relais'))).toEqual({ version: '1', ...configuredFuses });
  });

  it('app.asar holds main, preload, renderer and package.json', () => {
    expect(asarEntries).toEqual(
      expect.arrayContaining(['package.json', 'dist/main/main.mjs', 'dist/preload/preload.cjs', 'dist/renderer/index.html']),
    );
    expect(asarEntries.some((entry) => /^dist\/renderer\/assets\/index-[\w-]+\.js$/.test(entry))).toBe(true);
  });

  it('the packaged package.json points main at dist/main/main.mjs and depends on keytar only (the rest is bundled)', () => {
    const manifest = JSON.parse(extractFile(asar, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'relais', productName: 'Relais', main: 'dist/main/main.mjs' });
    expect(manifest['dependencies']).toEqual({ keytar: '7.9.0' });
    expect(manifest).not.toHaveProperty('devDependencies');
    expect(manifest).not.toHaveProperty('scripts');
  });

  it('carries the update configuration electron-updater reads: the generic provider and its own cache folder', () => {
    const config = readFileSync(join(appOutDir, 'resources', 'app-update.yml'), 'utf8');
    expect(config).toMatch(/^provider: generic$/m);
    expect(config).toMatch(/^url: https:\/\/updates\.invalid\/relais$/m);
    expect(config).toMatch(/^updaterCacheDirName: \S+$/m);
  });

  it('app.asar holds no web host, sourcemap, test, sandbox or source file', () => {
    // At the top only the app's dist/, its production node_modules/ and package.json; in dist/ only
    // the three Electron builds. So no dist/web, tests/, sandbox/, electron/, renderer/ or shared/.
    expect(asarEntries.filter((entry) => !entry.includes('/')).sort()).toEqual(['dist', 'node_modules', 'package.json']);
    expect(asarEntries.filter((entry) => /^dist\/[^/]+$/.test(entry)).sort()).toEqual(['dist/main', 'dist/preload', 'dist/renderer']);
    expect(asarEntries.filter((entry) => /\.(map|tsx?|mts|cts)$/.test(entry))).toEqual([]);
  });

  it(`no packaged file contains the web host's marker "${webHostMarker}"`, () => {
    // The marker is real: the web-host bundle next to the app has it.
    expect(filesUnder(join(root, 'dist/web')).some((file) => readFileSync(file).includes(webHostMarker))).toBe(true);
    const inAsar = asarEntries.filter((entry) => !('files' in statFile(asar, entry)) && extractFile(asar, entry).includes(webHostMarker));
    const inUnpacked = filesUnder(`${asar}.unpacked`).filter((file) => readFileSync(file).includes(webHostMarker));
    expect([...inAsar, ...inUnpacked]).toEqual([]);
  });

  it("keytar's native module is unpacked next to app.asar, not packed inside it", () => {
    const keytarNode = 'node_modules/keytar/build/Release/keytar.node';
    const unpackedPath = join(`${asar}.unpacked`, keytarNode);
    expect(existsSync(unpackedPath)).toBe(true);
    expect(readFileSync(unpackedPath).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF
    expect(readFileSync(unpackedPath).equals(readFileSync(join(root, keytarNode)))).toBe(true);
    expect(statFile(asar, keytarNode)).toMatchObject({ unpacked: true });
    const packedNativeModules = asarEntries.filter((entry) => entry.endsWith('.node') && !('unpacked' in statFile(asar, entry)));
    expect(packedNativeModules).toEqual([]);
    expect(filesUnder(`${asar}.unpacked`).map((file) => relative(`${asar}.unpacked`, file)).filter((file) => file.endsWith('.node'))).toEqual([
      keytarNode,
    ]);
  });

  it('release:check: a CycloneDX SBOM of what the app ships (the bundles’ packages, the production dependencies, Electron), valid, with licences, purls and hashes; no build or test tool in it', () => {
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    const sbom = JSON.parse(readFileSync(join(output, `relais-${version}.cdx.json`), 'utf8')) as { bomFormat: string; specVersion: string; metadata: { component: { name: string } }; components: Array<{ name: string; group?: string; version: string; purl: string; licenses?: unknown[]; hashes?: unknown[] }> };
    expect([sbom.bomFormat, sbom.specVersion, sbom.metadata.component.name]).toEqual(['CycloneDX', '1.6', 'relais']);
    const names = new Set(sbom.components.map((c) => (c.group === undefined ? c.name : `${c.group}/${c.name}`)));
    for (const shipped of ['react', 'react-dom', 'rxdb', 'dexie', 'zod', 'oauth4webapi', 'dompurify', '@medplum/ccda', 'keytar', 'electron', 'plist', 'electron-updater', 'builder-util-runtime']) expect(names.has(shipped), shipped).toBe(true);
    for (const tool of ['vitest', 'eslint', '@playwright/test', 'oidc-provider', '@medplum/fhir-router', 'typescript', 'vite', 'electron-builder', 'fake-indexeddb', 'jose']) expect(names.has(tool), tool).toBe(false);
    for (const c of sbom.components) {
      expect(c.purl, c.name).toMatch(/^pkg:npm\//);
      expect(c.licenses?.length ?? 0, c.name).toBeGreaterThan(0);
    }
    expect(sbom.components.filter((c) => (c.hashes?.length ?? 0) > 0).length).toBe(sbom.components.length);
    const report = readFileSync(join(output, `relais-${version}-licences.txt`), 'utf8');
    expect(report).not.toContain('REFUSED');
    expect(report).toContain(`ok      react@`);
    expect(releaseOutput).toMatch(/every licence allowed/);
  });

  it('release:check: SHA256SUMS covers every file of the unpacked app, the SBOM and the report, and sha256sum -c finds a file altered after', () => {
    const sums = readFileSync(join(output, 'SHA256SUMS'), 'utf8').trim().split('\n');
    const listed = sums.map((line) => line.slice(66));
    expect(listed).toEqual(expect.arrayContaining(['linux-unpacked/resources/app.asar', 'linux-unpacked/relais']));
    expect(listed.some((name) => name.endsWith('.cdx.json'))).toBe(true);
    expect(execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: output, encoding: 'utf8' })).toBe('');
    const report = listed.find((name) => name.endsWith('-licences.txt')) as string;
    writeFileSync(join(output, report), `${readFileSync(join(output, report), 'utf8')}tampered\n`);
    expect(() => execFileSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: output, encoding: 'utf8', stdio: 'pipe' })).toThrow(/did NOT match/);
  });
});
