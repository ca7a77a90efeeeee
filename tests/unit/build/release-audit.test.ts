import { describe, expect, it } from 'vitest';
// @ts-expect-error: a build script in plain JavaScript (its types are checked by these tests)
import { licenceVerdict, packageKeyOf, sbomOf, shippedKeys, statedLicence } from '../../../build/release-audit.mjs';

const policy = { allowed: ['MIT', 'ISC', 'Apache-2.0', 'BSD-3-Clause', 'MPL-2.0'], exceptions: { 'legacy-lib': 'reviewed 2026-11: dual-licensed to us in writing' } };

describe('what a release ships, for an auditor (build/release-audit.mjs)', () => {
  it('finds the package of each bundled module (nested and scoped too), and nothing for our own code or a virtual module', () => {
    expect(packageKeyOf('/w/node_modules/react-dom/cjs/react-dom.production.js')).toBe('node_modules/react-dom');
    expect(packageKeyOf('/w/node_modules/a/node_modules/@s/b/index.js')).toBe('node_modules/a/node_modules/@s/b');
    expect(packageKeyOf('C:\\w\\node_modules\\@zxcvbn-ts\\core\\dist\\index.js')).toBe('node_modules/@zxcvbn-ts/core');
    expect(packageKeyOf('/w/renderer/main.tsx')).toBeNull();
    expect(packageKeyOf('\0commonjsHelpers.js')).toBeNull();
  });

  it('ships what the bundles carry and the production dependencies, never a development-only package', () => {
    const lock = { packages: { '': {}, 'node_modules/keytar': {}, 'node_modules/vitest': { dev: true }, 'node_modules/react': { dev: true }, 'node_modules/fsevents': { optional: true, dev: true } } };
    expect(shippedKeys([['/w/node_modules/react/index.js', '/w/renderer/App.tsx']], lock)).toEqual(['node_modules/keytar', 'node_modules/react']);
  });

  it('refuses a licence not allowed for distribution (GPL, LGPL, AGPL, none, not SPDX); takes one side of an OR, needs both of an AND; a named exception passes', () => {
    const ok = (name: string, expression: string | null) => (licenceVerdict(name, expression, policy) as { ok: boolean }).ok;
    expect(ok('a', 'MIT')).toBe(true);
    expect(ok('a', '(MPL-2.0 OR Apache-2.0)')).toBe(true);
    expect(ok('a', '(MIT OR GPL-3.0-only)')).toBe(true);
    expect(ok('a', 'GPL-3.0-only')).toBe(false);
    expect(ok('a', 'LGPL-2.1-or-later')).toBe(false);
    expect(ok('a', 'AGPL-3.0-only')).toBe(false);
    expect(ok('a', '(MIT AND GPL-2.0-only)')).toBe(false);
    expect(ok('a', 'Apache-2.0 WITH LLVM-exception')).toBe(false);
    expect(ok('a', null)).toBe(false);
    expect(ok('a', 'SEE LICENSE IN LICENSE.txt')).toBe(false);
    expect(ok('legacy-lib', 'GPL-3.0-only')).toBe(true);
    expect(licenceVerdict('a', 'GPL-3.0-only', policy)).toEqual({ ok: false, why: 'GPL-3.0-only is not allowed for distribution' });
  });

  it('reads the licence however a package.json states it', () => {
    expect(statedLicence({ license: 'MIT' })).toBe('MIT');
    expect(statedLicence({ license: { type: 'ISC' } })).toBe('ISC');
    expect(statedLicence({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe('(MIT OR Apache-2.0)');
    expect(statedLicence({})).toBeNull();
  });

  it('writes a CycloneDX 1.6 SBOM the specification’s schema accepts, with each package’s purl, licence and SHA-512', async () => {
    const integrity = `sha512-${Buffer.alloc(64, 7).toString('base64')}`;
    const json = await sbomOf({ name: 'relais', version: '1.2.3' }, [
      { key: 'node_modules/@medplum/ccda', name: '@medplum/ccda', version: '5.1.10', licence: 'Apache-2.0', integrity, resolved: null },
      { key: 'node_modules/dompurify', name: 'dompurify', version: '3.4.18', licence: '(MPL-2.0 OR Apache-2.0)', integrity, resolved: null },
    ], new Date('2026-12-05T10:00:00Z'));
    const bom = JSON.parse(json) as { specVersion: string; metadata: { component: { name: string; version: string } }; components: Array<Record<string, unknown>> };
    expect(bom.specVersion).toBe('1.6');
    expect(bom.metadata.component).toMatchObject({ name: 'relais', version: '1.2.3' });
    const ccda = bom.components.find((c) => c['name'] === 'ccda');
    expect(ccda).toMatchObject({ group: '@medplum', purl: 'pkg:npm/%40medplum/ccda@5.1.10', licenses: [{ license: { id: 'Apache-2.0' } }], hashes: [{ alg: 'SHA-512', content: '07'.repeat(64) }] });
    expect(bom.components.find((c) => c['name'] === 'dompurify')?.['licenses']).toEqual([{ expression: '(MPL-2.0 OR Apache-2.0)' }]);
  });
});
