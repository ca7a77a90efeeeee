import { describe, expect, it } from 'vitest';
describe('the web host identifier order', () => {
  it('reads the policy-shaped JSON given at build time, and ignores anything else', async () => {
    const { webIdentifierPriority } = await import('../../../../renderer/host/web-config');
    expect(webIdentifierPriority('[{"type":"MR","label":"IPP"}]')).toEqual([{ type: 'MR', label: 'IPP' }]);
    for (const bad of [undefined, '', 'not json', '[{"label":"no system nor type"}]', '[]', 42]) expect(webIdentifierPriority(bad)).toBeNull();
  });
});

describe('the web host HIE address', () => {
  it('takes https, or plain http on loopback only; anything else falls back to the local sandbox', async () => {
    const { webFhirBase } = await import('../../../../renderer/host/web-config');
    const { defaultWebFhirBase } = await import('../../../../renderer/host/web-defaults');
    expect(webFhirBase('https://hie.example.org/fhir/')).toBe('https://hie.example.org/fhir');
    expect(webFhirBase('http://127.0.0.1:8787/fhir')).toBe('http://127.0.0.1:8787/fhir');
    expect(webFhirBase('http://localhost:8787/fhir')).toBe('http://localhost:8787/fhir');
    for (const bad of ['http://hie.example.org/fhir', 'http://127.0.0.1.evil.example/fhir', 'ftp://hie/fhir', 'https://u:p@hie.example.org/fhir', 'nonsense', 42]) {
      expect(webFhirBase(bad), String(bad)).toBe(defaultWebFhirBase);
    }
  });
});

describe('the web host sources', () => {
  it('reads the policy-shaped list given at build time after the primary; an unsafe or malformed list leaves the primary alone', async () => {
    const { webSources } = await import('../../../../renderer/host/web-config');
    const other = { id: 'twin', label: 'Hôpital B', fhirBase: 'http://127.0.0.1:8788/fhir' };
    expect(webSources('http://127.0.0.1:8787/fhir', 'HIE', JSON.stringify([other])).map((s) => [s.id, s.fhirBase, s.primary])).toEqual([
      ['primary', 'http://127.0.0.1:8787/fhir', true],
      ['twin', 'http://127.0.0.1:8788/fhir', false],
    ]);
    for (const bad of [null, 42, '', 'not json', '{}', JSON.stringify([{ ...other, fhirBase: 'http://hie.example.org/fhir' }]), JSON.stringify([other, other]), JSON.stringify([{ ...other, fhirBase: 'http://127.0.0.1:8787/fhir/' }])]) {
      expect(webSources('http://127.0.0.1:8787/fhir', 'HIE', bad).map((s) => s.id), String(bad)).toEqual(['primary']);
    }
  });
});

describe('the web host linking systems', () => {
  it('reads the policy-shaped list given at build time; anything else leaves the default (INS, NHS number)', async () => {
    const { webLinkIdentifierSystems } = await import('../../../../renderer/host/web-config');
    expect(webLinkIdentifierSystems('["urn:oid:1.2.250.1.71.4.2.7"]')).toEqual(['urn:oid:1.2.250.1.71.4.2.7']);
    for (const bad of [undefined, '', 'nope', '[]', '[42]', '{}']) expect(webLinkIdentifierSystems(bad), String(bad)).toBeNull();
  });
});
