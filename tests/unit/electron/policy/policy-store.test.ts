import { describe, expect, it } from 'vitest';
import { PolicyError, policySources, readHiePolicy } from '../../../../electron/policy/hie-config';
import { policyStoreFor, registryPolicy, type PolicyStoreDeps } from '../../../../electron/policy/policy-store';

/** What `reg query HKLM\Software\Policies\Relais /s` prints once Group Policy applied the ADMX template (CRLF, four-space columns). */
const regOutput = [
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais',
  '    fhirBase    REG_SZ    https://hie.example.org/fhir',
  '    clientId    REG_SZ    relais-desktop',
  '    offlineLeaseDays    REG_DWORD    0x7',
  '    maxUnlockAttempts    REG_DWORD    0xa',
  '    sources    REG_SZ    [{"id":"ch-b","label":"CH de Périgueux","fhirBase":"https://fhir.ch-b.example.fr/r4"}]',
  '    identifierPriority    REG_SZ    [{"type":"MR","label":"IPP"}]',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais\\externalOrigins',
  '    2    REG_SZ    https://loinc.org',
  '    1    REG_SZ    https://vidal.fr',
  '    10    REG_SZ    https://hl7.org',
  '',
].join('\r\n');

/** A machine whose OS answers as given: the files it holds, and what each program prints. */
function machine(files: Record<string, Buffer | Error>, programs: Record<string, { code: number; stdout: string }> = {}) {
  const ran: string[] = [];
  const deps: PolicyStoreDeps = {
    readFile: async (path) => {
      const held = files[path];
      if (held instanceof Error) throw held;
      return held ?? null;
    },
    run: async (program, args) => {
      ran.push([program, ...args].join(' '));
      return programs[program] ?? { code: 127, stdout: '' };
    },
  };
  return { deps, ran };
}

describe('the policy where each OS manages machines', () => {
  it('is the registry’s HKLM policy key on Windows, managed preferences on macOS, /etc/relais on Linux: never a place a user can write', () => {
    expect(policyStoreFor('win32')).toEqual({ kind: 'registry', key: 'HKLM\\Software\\Policies\\Relais' });
    expect(policyStoreFor('darwin')).toEqual({ kind: 'managed-preferences', path: '/Library/Managed Preferences/com.relais.app.plist' });
    expect(policyStoreFor('linux')).toEqual({ kind: 'file', path: '/etc/relais/policy.json' });
    expect(policyStoreFor.length).toBe(1);
  });

  it('Windows: reads Group Policy’s values with the system’s reg.exe (by its full path, HKLM only): text, numbers, lists in value-name order, JSON structures', async () => {
    const { deps, ran } = machine({}, { 'C:\\Windows\\System32\\reg.exe': { code: 0, stdout: regOutput } });
    const policy = await readHiePolicy(policyStoreFor('win32'), {}, { packaged: true, deps });
    expect(ran).toEqual(['C:\\Windows\\System32\\reg.exe query HKLM\\Software\\Policies\\Relais /s']);
    expect(policy).toEqual({
      fhirBase: 'https://hie.example.org/fhir',
      clientId: 'relais-desktop',
      offlineLeaseDays: 7,
      maxUnlockAttempts: 10,
      externalOrigins: ['https://vidal.fr', 'https://loinc.org', 'https://hl7.org'],
      identifierPriority: [{ type: 'MR', label: 'IPP' }],
      sources: [{ id: 'ch-b', label: 'CH de Périgueux', fhirBase: 'https://fhir.ch-b.example.fr/r4' }],
    });
    expect(policySources({ ...policy!, fhirBase: policy!.fhirBase! }, 'HIE').map((s) => s.id)).toEqual(['primary', 'ch-b']);
  });

  it('Windows: no Relais key is no policy (packaged: none; development: the variable); a key Relais cannot read is an invalid policy, never none', async () => {
    const absent = machine({}, { 'C:\\Windows\\System32\\reg.exe': { code: 1, stdout: '' } });
    expect(await readHiePolicy(policyStoreFor('win32'), { RELAIS_FHIR_BASE: 'http://127.0.0.1:9/fhir' }, { packaged: true, deps: absent.deps })).toBeNull();
    expect(await readHiePolicy(policyStoreFor('win32'), { RELAIS_FHIR_BASE: 'http://127.0.0.1:9/fhir' }, { deps: absent.deps })).toEqual({ fhirBase: 'http://127.0.0.1:9/fhir' });
    const header = 'HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais';
    for (const bad of [
      `${header}\r\n    fhirBase    REG_BINARY    68747470`, // a type Relais does not read
      `${header}\r\n    sources    REG_SZ    [{"id":`, // JSON cut short
      `${header}\r\n    offlineLeaseDays    REG_DWORD    seven`,
      `${header}\r\n    fhirBase    REG_SZ    https://hie.example.org/fhir\r\n${header}\\Unknown\r\n    1    REG_SZ    x`, // a subkey nobody reads
      `HKEY_CURRENT_USER\\Software\\Policies\\Relais\r\n    fhirBase    REG_SZ    https://evil.example/fhir`, // not the machine's key
      `${header}\r\n    fhirBase    REG_SZ    https://hie.example.org/fhir\r\n    unknownKey    REG_SZ    x`, // a key the schema does not know
    ]) {
      const { deps } = machine({}, { 'C:\\Windows\\System32\\reg.exe': { code: 0, stdout: bad } });
      await expect(readHiePolicy(policyStoreFor('win32'), {}, { packaged: true, deps }), bad).rejects.toBeInstanceOf(PolicyError);
    }
    const failing = machine({}, { 'C:\\Windows\\System32\\reg.exe': { code: 5, stdout: '' } });
    await expect(readHiePolicy(policyStoreFor('win32'), {}, { packaged: true, deps: failing.deps })).rejects.toBeInstanceOf(PolicyError);
  });

  it('Windows: a multi-string value is a list, and a list subkey with a value that is not text is refused', () => {
    expect(registryPolicy('HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais\r\n    linkIdentifierSystems    REG_MULTI_SZ    urn:oid:1.2.250.1.213.1.4.8\\0https://fhir.nhs.uk/Id/nhs-number', 'HKLM\\Software\\Policies\\Relais')).toEqual({
      linkIdentifierSystems: ['urn:oid:1.2.250.1.213.1.4.8', 'https://fhir.nhs.uk/Id/nhs-number'],
    });
    expect(() => registryPolicy('HKEY_LOCAL_MACHINE\\Software\\Policies\\Relais\\externalOrigins\r\n    1    REG_DWORD    0x1', 'HKLM\\Software\\Policies\\Relais')).toThrow();
  });

  const plistXml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
  <key>PayloadUUID</key><string>5C1E1C7A-0000-4000-8000-000000000001</string>
  <key>forced</key><true/>
  <key>fhirBase</key><string>https://hie.example.org/fhir</string>
  <key>offlineLeaseDays</key><integer>7</integer>
  <key>linkIdentifierSystems</key><array><string>urn:oid:1.2.250.1.213.1.4.8</string></array>
  <key>sources</key>
  <array>
    <dict><key>id</key><string>ch-b</string><key>label</key><string>CH de Périgueux</string><key>fhirBase</key><string>https://fhir.ch-b.example.fr/r4</string></dict>
  </array>
</dict>
</plist>`;

  it('macOS: reads the managed preferences the MDM wrote (XML, or binary through the system’s plutil), without macOS’s own bookkeeping keys', async () => {
    const path = '/Library/Managed Preferences/com.relais.app.plist';
    const xml = machine({ [path]: Buffer.from(plistXml) });
    const expected = {
      fhirBase: 'https://hie.example.org/fhir',
      offlineLeaseDays: 7,
      linkIdentifierSystems: ['urn:oid:1.2.250.1.213.1.4.8'],
      sources: [{ id: 'ch-b', label: 'CH de Périgueux', fhirBase: 'https://fhir.ch-b.example.fr/r4' }],
    };
    expect(await readHiePolicy(policyStoreFor('darwin'), {}, { packaged: true, deps: xml.deps })).toEqual(expected);
    expect(xml.ran).toEqual([]);
    const binary = machine({ [path]: Buffer.concat([Buffer.from('bplist00'), Buffer.alloc(40)]) }, { '/usr/bin/plutil': { code: 0, stdout: plistXml } });
    expect(await readHiePolicy(policyStoreFor('darwin'), {}, { packaged: true, deps: binary.deps })).toEqual(expected);
    expect(binary.ran).toEqual([`/usr/bin/plutil -convert xml1 -o - ${path}`]);
  });

  it('macOS and Linux: no file is no policy; a file that cannot be read or parsed is an invalid policy', async () => {
    const none = machine({});
    expect(await readHiePolicy(policyStoreFor('darwin'), {}, { packaged: true, deps: none.deps })).toBeNull();
    expect(await readHiePolicy(policyStoreFor('linux'), {}, { packaged: true, deps: none.deps })).toBeNull();
    const denied = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    for (const [platform, path, content] of [
      ['darwin', '/Library/Managed Preferences/com.relais.app.plist', Buffer.from('<plist><dict><key>fhirBase</key>')],
      ['darwin', '/Library/Managed Preferences/com.relais.app.plist', Buffer.concat([Buffer.from('bplist00'), Buffer.alloc(8)])], // plutil fails (no program here)
      ['darwin', '/Library/Managed Preferences/com.relais.app.plist', Buffer.from('<plist version="1.0"><array><string>x</string></array></plist>')],
      ['linux', '/etc/relais/policy.json', Buffer.from('{"fhirBase": ')],
      ['linux', '/etc/relais/policy.json', denied],
    ] as const) {
      const { deps } = machine({ [path]: content });
      await expect(readHiePolicy(policyStoreFor(platform), {}, { packaged: true, deps }), `${platform} ${String(content)}`).rejects.toBeInstanceOf(PolicyError);
    }
  });
});
