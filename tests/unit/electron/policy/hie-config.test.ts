import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalOriginsFrom, PolicyError, policySources, readHiePolicy } from '../../../../electron/policy/hie-config';
import type { PolicyStore } from '../../../../electron/policy/policy-store';

const policyFile = (content: unknown): PolicyStore => {
  const path = join(mkdtempSync(join(tmpdir(), 'relais-policy-')), 'policy.json');
  writeFileSync(path, JSON.stringify(content));
  return { kind: 'file', path };
};

describe('the policy file', () => {
  it('takes other FHIR sources and the identifier systems that link patients across them; an unsafe list makes the file invalid', async () => {
    const sources = [{ id: 'ch-b', label: 'CH B', fhirBase: 'https://fhir.ch-b.example.fr/r4', clientId: 'relais-ch-b', offlineLeaseDays: 7 }];
    const policy = await readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', sources, linkIdentifierSystems: ['urn:oid:1.2.250.1.213.1.4.8'] }), {});
    expect(policy?.linkIdentifierSystems).toEqual(['urn:oid:1.2.250.1.213.1.4.8']);
    expect(policySources({ ...policy!, fhirBase: policy!.fhirBase! }, 'HIE').map((s) => [s.id, s.primary, s.clientId, s.offlineLeaseDays])).toEqual([['primary', true, null, null], ['ch-b', false, 'relais-ch-b', 7]]);
    for (const bad of [
      [{ ...sources[0], fhirBase: 'http://fhir.ch-b.example.fr/r4' }],
      [{ ...sources[0], fhirBase: 'https://hie.example.org/fhir/' }],
      [sources[0], { ...sources[0], fhirBase: 'https://other.example.fr/fhir' }],
      [{ ...sources[0], id: 'primary' }],
    ]) {
      await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', sources: bad }), {}), JSON.stringify(bad)).rejects.toBeInstanceOf(PolicyError);
    }
    await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', linkIdentifierSystems: [] }), {})).rejects.toBeInstanceOf(PolicyError);
  });

  it('takes the identifier order IT sets (by system or by v2-0203 type)', async () => {
    const identifierPriority = [{ type: 'MR', label: 'IPP' }, { system: 'urn:oid:1.2.250.1.213.1.4.8', label: 'INS' }];
    const policy = await readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', identifierPriority }), {});
    expect(policy?.identifierPriority).toEqual(identifierPriority);
  });

  it('takes the largest message attachment IT allows, and refuses one beyond 2 MB or negative', async () => {
    expect((await readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', messageAttachmentMaxBytes: 1_000_000 }), {}))?.messageAttachmentMaxBytes).toBe(1_000_000);
    await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', messageAttachmentMaxBytes: 2 * 1024 * 1024 + 1 }), {})).rejects.toBeInstanceOf(PolicyError);
    await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', messageAttachmentMaxBytes: -1 }), {})).rejects.toBeInstanceOf(PolicyError);
  });

  it('takes an image viewer address, adds its origin to the links allowed out, and refuses one the study could redirect', async () => {
    const viewer = 'https://pacs.example.org/viewer?StudyInstanceUIDs={studyUid}';
    const policy = await readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', imagingViewerUrl: viewer }), {});
    expect(policy?.imagingViewerUrl).toBe(viewer);
    expect(externalOriginsFrom(policy, ['https://hl7.org'])).toEqual(['https://hl7.org', 'https://pacs.example.org']);
    expect(externalOriginsFrom({ ...policy!, externalOrigins: ['https://loinc.org'] }, ['https://hl7.org'])).toEqual(['https://pacs.example.org', 'https://loinc.org']);
    for (const bad of ['http://pacs.example.org/v?s={studyUid}', 'https://{studyUid}.example.org/v', 'https://pacs.example.org/v', 'https://pacs.example.org/v/{studyUid}/{studyUid}', 'https://user:pw@pacs.example.org/{studyUid}', 'javascript:alert(1)//{studyUid}']) {
      await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', imagingViewerUrl: bad }), {}), bad).rejects.toBeInstanceOf(PolicyError);
    }
  });

  it('takes the idle lock’s bounds and a longer passphrase minimum; refuses a default beyond the longest, a minimum under 12, a bound outside 1–60 minutes', async () => {
    const base = { fhirBase: 'https://hie.example.org/fhir' };
    expect(await readHiePolicy(policyFile({ ...base, idleLockMaxMinutes: 15, idleLockDefaultMinutes: 5, passphraseMinLength: 16 }), {})).toMatchObject({ idleLockMaxMinutes: 15, idleLockDefaultMinutes: 5, passphraseMinLength: 16 });
    for (const bad of [{ idleLockMaxMinutes: 15, idleLockDefaultMinutes: 30 }, { idleLockDefaultMinutes: 61 }, { idleLockMaxMinutes: 0 }, { passphraseMinLength: 8 }, { passphraseMinLength: 200 }]) {
      await expect(readHiePolicy(policyFile({ ...base, ...bad }), {}), JSON.stringify(bad)).rejects.toBeInstanceOf(PolicyError);
    }
  });

  it('refuses a rule that names neither a system nor a type, or an empty order, as an invalid policy', async () => {
    await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', identifierPriority: [{ label: 'X' }] }), {})).rejects.toBeInstanceOf(PolicyError);
    await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', identifierPriority: [] }), {})).rejects.toBeInstanceOf(PolicyError);
  });
});

describe('what the user can set does not choose the HIE or the policy', () => {
  it('a packaged build ignores RELAIS_FHIR_BASE (a loopback HIE there would receive the refresh token); development honours it', async () => {
    const none: PolicyStore = { kind: 'file', path: join(mkdtempSync(join(tmpdir(), 'relais-policy-')), 'absent.json') };
    const env = { RELAIS_FHIR_BASE: 'http://127.0.0.1:9999/fhir' };
    expect(await readHiePolicy(none, env, { packaged: true })).toBeNull();
    expect(await readHiePolicy(none, env)).toEqual({ fhirBase: 'http://127.0.0.1:9999/fhir' });
    // The machine-wide file wins in both.
    expect((await readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir' }), env, { packaged: true }))?.fhirBase).toBe('https://hie.example.org/fhir');
  });

  it('links open only to the policy’s https origins when IT set a list, else to the built-in sites', async () => {
    const policy = await readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', externalOrigins: ['https://vidal.fr/some/path', 'http://insecure.example', 'https://user:pw@x.example'] }), {});
    expect(externalOriginsFrom(policy, ['https://loinc.org'])).toEqual(['https://vidal.fr']);
    expect(externalOriginsFrom(null, ['https://loinc.org'])).toEqual(['https://loinc.org']);
  });
});
