import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import plist from 'plist';
import { describe, expect, it } from 'vitest';
import { checkedPolicy, policyKeys } from '../../../electron/policy/hie-config';
import { plistPolicy, registryPolicy } from '../../../electron/policy/policy-store';

/**
 * The templates IT deploys policy with (issue 16, point 3): the ADMX/ADML for Group Policy and
 * Intune, and the macOS configuration profile. They must name every key Relais reads, exactly as
 * the readers read them, with a French and an English text for each, and nothing else.
 */
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['policy', 'string', 'presentation', 'definition', 'category'].includes(name) });
type Attributes = Record<string, string>;
/** The node at `path` in a parsed XML document. */
const at = (node: unknown, ...path: string[]): unknown => path.reduce<unknown>((n, key) => (n as Record<string, unknown>)[key], node);
const read = (path: string): unknown => parser.parse(readFileSync(path, 'utf8')) as unknown;
const admx = at(read('build/policy/relais.admx'), 'policyDefinitions');
const admls = { 'fr-FR': read('build/policy/fr-FR/relais.adml'), 'en-US': read('build/policy/en-US/relais.adml') };
const stringsOf = (adml: unknown): Map<string, string> =>
  new Map((at(adml, 'policyDefinitionResources', 'resources', 'stringTable', 'string') as Attributes[]).map((s) => [s['id'] as string, s['#text'] ?? '']));

describe('the Group Policy template (ADMX, ADML in French and English)', () => {
  const policies = at(admx, 'policies', 'policy') as Array<Attributes & { elements: Record<string, Attributes> }>;

  it('has one machine policy per key Relais reads, under HKLM\\Software\\Policies\\Relais, each writing the value the registry reader takes', () => {
    expect(policies.map((p) => p['name']).sort()).toEqual([...policyKeys].sort());
    for (const policy of policies) {
      expect(policy['class'], policy['name']).toBe('Machine');
      expect(policy['key']).toBe('Software\\Policies\\Relais');
      // An on/off policy has no element: it writes 1 or 0 to its own value.
      if (policy.elements === undefined) {
        expect(policy['valueName'], policy['name']).toBe(policy['name']);
        continue;
      }
      const [kind, element] = Object.entries(policy.elements)[0] as [string, Attributes];
      if (kind === 'list') expect(element['key']).toBe(`Software\\Policies\\Relais\\${String(policy['name'])}`);
      else expect(element['valueName']).toBe(policy['name']);
    }
  });

  it('each ADML defines every string and presentation the ADMX names, in its own language', () => {
    const named = new Set<string>();
    const text = JSON.stringify(admx);
    for (const match of text.matchAll(/\$\(string\.([A-Za-z_]+)\)/g)) named.add(match[1] as string);
    const presentations = new Set(policies.filter((p) => p['presentation'] !== undefined).map((p) => String(p['presentation']).replace(/^\$\(presentation\.(.+)\)$/, '$1')));
    for (const [language, adml] of Object.entries(admls)) {
      const strings = stringsOf(adml);
      expect([...named].filter((id) => !strings.has(id)), language).toEqual([]);
      for (const [id, value] of strings) expect(value.length, `${language} ${id}`).toBeGreaterThan(2);
      const defined = new Set((at(adml, 'policyDefinitionResources', 'resources', 'presentationTable', 'presentation') as Attributes[]).map((p) => p['id']));
      expect([...presentations].filter((id) => !defined.has(id)), language).toEqual([]);
    }
    const fr = stringsOf(admls['fr-FR']);
    const en = stringsOf(admls['en-US']);
    // Translated, not copied (only the product's name is the same).
    expect([...fr].filter(([id, value]) => id !== 'Relais' && en.get(id) === value).map(([id]) => id)).toEqual([]);
  });

  it('what Group Policy writes from it is a policy Relais accepts (the registry as reg.exe prints it)', () => {
    const registry = [
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais',
      '    fhirBase    REG_SZ    https://hie.example.org/fhir',
      '    offlineLeaseDays    REG_DWORD    0xe',
      '    messageAttachmentMaxBytes    REG_DWORD    0x100000',
      '    sources    REG_SZ    [{"id":"ch-b","label":"CH de Périgueux","fhirBase":"https://fhir.ch-b.example.fr/r4","offlineLeaseDays":7}]',
      '    allowAdminSetup    REG_DWORD    0x1',
      '    updates    REG_SZ    {"feedUrl":"https://updates.example.org/relais","channel":"early","pinnedVersion":"1.4.2"}',
      '    secretStore    REG_SZ    safeStorage',
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais\\linkIdentifierSystems',
      '    1    REG_SZ    urn:oid:1.2.250.1.213.1.4.8',
    ].join('\r\n');
    expect(checkedPolicy(registryPolicy(registry, 'HKLM\\Software\\Policies\\Relais'))).toMatchObject({
      offlineLeaseDays: 14,
      messageAttachmentMaxBytes: 1048576,
      linkIdentifierSystems: ['urn:oid:1.2.250.1.213.1.4.8'],
      allowAdminSetup: true,
      updates: { feedUrl: 'https://updates.example.org/relais', channel: 'early', enabled: true, pinnedVersion: '1.4.2' },
      secretStore: 'safeStorage',
    });
    // An on/off value other than 1 or 0 is not read as either.
    expect(() => registryPolicy(['HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais', '    allowAdminSetup    REG_DWORD    0x2'].join('\r\n'), 'HKLM\\Software\\Policies\\Relais')).toThrow();
  });
});

describe('the macOS configuration profile example', () => {
  it('carries one com.relais.app payload whose keys are a policy Relais accepts, every key shown', () => {
    const profile = plist.parse(readFileSync('build/policy/com.relais.app.mobileconfig', 'utf8')) as Record<string, unknown>;
    expect(profile['PayloadType']).toBe('Configuration');
    expect(profile['PayloadScope']).toBe('System');
    const payloads = (profile['PayloadContent'] as Array<Record<string, unknown>>).filter((p) => p['PayloadType'] === 'com.relais.app');
    expect(payloads).toHaveLength(1);
    // What macOS writes to /Library/Managed Preferences is the payload's keys; the reader drops the Payload ones.
    const policy = checkedPolicy(plistPolicy(plist.build(payloads[0] as plist.PlistValue)));
    expect(Object.keys(policy).sort()).toEqual([...policyKeys].sort());
  });
});
