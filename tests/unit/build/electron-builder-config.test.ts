/**
 * electron-builder.yml (issue point 9): valid against electron-builder 26's own schema, and holding the
 * settings a safe release depends on: what is packaged, fuses, installers, hardened runtime with
 * minimal entitlements, and no signing secret in the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';

const requireFromHere = createRequire(import.meta.url);
// electron-builder reads YAML with js-yaml and entitlements with plist (both its own dependencies);
// neither ships types, so each is given the one function used here, returning unknown.
const { load: parseYaml } = requireFromHere('js-yaml') as { load: (text: string) => unknown };
const { parse: parsePlist } = requireFromHere('plist') as { parse: (xml: string) => unknown };

const root = resolve(import.meta.dirname, '../../..');
const configText = readFileSync(resolve(root, 'electron-builder.yml'), 'utf8');
const config = parseYaml(configText);
const schema: unknown = JSON.parse(readFileSync(requireFromHere.resolve('app-builder-lib/scheme.json'), 'utf8'));

const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema as object);

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of keys, or undefined when any step is missing. */
function field(value: unknown, ...path: readonly string[]): unknown {
  return path.reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), value);
}

function withChange(change: Json): Json {
  if (!isObject(config)) throw new Error('electron-builder.yml is not a mapping');
  return { ...config, ...change };
}

function schemaErrors(candidate: unknown): string {
  return validate(candidate) ? '' : ajv.errorsText(validate.errors);
}

// Keys that carry signing material or a signing identity, and values that look like one.
const secretKeys = /password|secret|token|cscLink|certificateFile|certificateSha1|certificateSubjectName|identity|appleId|teamId|apiKey|keychain|provisioningProfile/i;
const secretValues = [
  /password/i,
  /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/,
  /\.(p12|pfx|p8|pem|cer|key|keychain|provisionprofile)$/i,
  /^[A-Za-z0-9+/=]{120,}$/, // a base64-encoded certificate
];

/** Every place in a configuration that holds, or points at, signing material. */
function findSigningSecrets(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return secretValues.some((pattern) => pattern.test(value)) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item: unknown, index) => findSigningSecrets(item, `${path}[${index}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const at = path === '' ? key : `${path}.${key}`;
    return secretKeys.test(key) ? [at] : findSigningSecrets(item, at);
  });
}

describe("electron-builder.yml against electron-builder 26's schema", () => {
  it('is valid against app-builder-lib/scheme.json', () => {
    expect(schemaErrors(config)).toBe('');
  });

  it('the schema check rejects an unknown top-level key', () => {
    expect(schemaErrors(withChange({ signingCertificate: 'release.p12' }))).toMatch(/additional properties/);
  });

  it('the schema check rejects a wrong type and an unknown fuse', () => {
    expect(schemaErrors(withChange({ asar: 'yes' }))).not.toBe('');
    expect(schemaErrors(withChange({ electronFuses: { runAsNode: 'false' } }))).toMatch(/must be boolean/);
    expect(schemaErrors(withChange({ electronFuses: { runAsNodeEverywhere: false } }))).toMatch(/additional properties/);
  });
});

describe('identity of the app', () => {
  it('is org.relais.desktop, named Relais as in package.json', () => {
    const manifest: unknown = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(field(config, 'appId')).toBe('org.relais.desktop');
    expect(field(config, 'productName')).toBe('Relais');
    expect(field(manifest, 'productName')).toBe('Relais');
  });

  it('package.json has no "build" field, which electron-builder would read instead of this file', () => {
    const manifest: unknown = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(manifest).not.toHaveProperty('build');
  });

  it('package.json has the homepage and author the deb target requires', () => {
    const manifest: unknown = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
    expect(field(manifest, 'homepage')).toMatch(/^https:\/\//);
    expect(field(manifest, 'author', 'email')).toMatch(/@/);
  });
});

describe('what is packaged', () => {
  it('only main, preload, renderer and package.json: never the web host or sourcemaps', () => {
    expect(field(config, 'files')).toEqual([
      'package.json',
      'dist/main/**/*',
      'dist/preload/**/*',
      'dist/renderer/**/*',
      '!dist/web{,/**/*}',
      '!**/*.map',
    ]);
  });

  it('in an asar, with native modules (keytar) unpacked', () => {
    expect(field(config, 'asar')).toBe(true);
    expect(field(config, 'asarUnpack')).toEqual(['**/*.node']);
  });

  it('rebuilds native modules for Electron in a release build', () => {
    expect(field(config, 'npmRebuild')).toBe(true);
  });

  it('writes to release/, not into the compiler output dist/; uploads nothing, and writes the generic update feed IT hosts', () => {
    expect(field(config, 'directories', 'output')).toBe('release');
    // The generic provider has no upload: it writes latest*.yml and app-update.yml only. The URL is a placeholder (policy `updates.feedUrl` is read).
    expect(field(config, 'publish')).toEqual({ provider: 'generic', url: 'https://updates.invalid/relais' });
    // Windows: the downloaded installer's Authenticode publisher is checked.
    expect(field(config, 'win', 'verifyUpdateCodeSignature')).toBe(true);
  });
});

describe('Electron fuses', () => {
  it('sets run-as-node, NODE_OPTIONS, inspect and file:// privileges off; cookie encryption, asar integrity and asar-only on', () => {
    expect(field(config, 'electronFuses')).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

describe('installers', () => {
  it('Windows: NSIS and MSI', () => {
    expect(field(config, 'win', 'target')).toEqual(['nsis', 'msi']);
  });

  it('macOS: dmg (and the zip updates install) for Apple silicon and Intel, hardened runtime, notarized', () => {
    expect(field(config, 'mac', 'target')).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }, { target: 'zip', arch: ['arm64', 'x64'] }]);
    expect(field(config, 'mac', 'hardenedRuntime')).toBe(true);
    expect(field(config, 'mac', 'notarize')).toBe(true);
  });

  it('Linux: AppImage and deb, the deb depending on libsecret for keytar', () => {
    expect(field(config, 'linux', 'target')).toEqual(['AppImage', 'deb']);
    expect(field(config, 'linux', 'category')).toBe('Office;MedicalSoftware');
    expect(field(config, 'linux', 'maintainer')).toMatch(/<[^>]+@[^>]+>/);
    expect(field(config, 'deb', 'depends')).toContain('libsecret-1-0');
  });
});

describe('macOS entitlements', () => {
  it('the app and its helpers use build/entitlements.mac.plist', () => {
    expect(field(config, 'mac', 'entitlements')).toBe('build/entitlements.mac.plist');
    expect(field(config, 'mac', 'entitlementsInherit')).toBe('build/entitlements.mac.plist');
  });

  it('build/entitlements.mac.plist is a plist granting only allow-jit', () => {
    for (const key of ['entitlements', 'entitlementsInherit']) {
      const path = field(config, 'mac', key);
      if (typeof path !== 'string') throw new Error(`mac.${key} is not a path`);
      expect(existsSync(resolve(root, path)), path).toBe(true);
      const xml = readFileSync(resolve(root, path), 'utf8');
      expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1.0\/\/EN"/);
      expect(parsePlist(xml)).toEqual({ 'com.apple.security.cs.allow-jit': true });
    }
  });
});

describe('signing secrets', () => {
  it('electron-builder.yml holds none: signing reads the environment only', () => {
    expect(findSigningSecrets(config)).toEqual([]);
    expect(configText).not.toMatch(/-----BEGIN|\.p12\b|\.pfx\b|\.p8\b/);
  });

  it('no certificate, key or electron-builder.env (which electron-builder would load) sits in the project root or build/', () => {
    const signingFile = /\.(p12|pfx|p8|pem|cer|key|keychain|provisionprofile)$|^electron-builder\.env$/i;
    const found = ['.', 'build'].flatMap((dir) => readdirSync(resolve(root, dir)).filter((name) => signingFile.test(name)).map((name) => `${dir}/${name}`));
    expect(found).toEqual([]);
  });

  it('the check finds a certificate link, a password, a certificate file and an identity', () => {
    expect(findSigningSecrets(withChange({ cscLink: 'c2VjcmV0' }))).toEqual(['cscLink']);
    expect(findSigningSecrets(withChange({ win: { signtoolOptions: { certificatePassword: 'hunter2' } } }))).toEqual([
      'win.signtoolOptions.certificatePassword',
    ]);
    expect(findSigningSecrets(withChange({ win: { signtoolOptions: { certificateFile: 'certs/release.pfx' } } }))).toEqual([
      'win.signtoolOptions.certificateFile',
    ]);
    expect(findSigningSecrets(withChange({ mac: { identity: 'Developer ID Application: Relais (ABCDE12345)' } }))).toEqual([
      'mac.identity',
    ]);
    expect(findSigningSecrets(withChange({ extraMetadata: { signer: 'certs/release.p12' } }))).toEqual(['extraMetadata.signer']);
  });
});
