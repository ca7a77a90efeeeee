import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError, readHiePolicy } from '../../../../electron/policy/hie-config';

const policyFile = (content: unknown): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'relais-policy-')), 'policy.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('the policy file', () => {
  it('takes the identifier order IT sets (by system or by v2-0203 type)', async () => {
    const identifierPriority = [{ type: 'MR', label: 'IPP' }, { system: 'urn:oid:1.2.250.1.213.1.4.8', label: 'INS' }];
    const policy = await readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', identifierPriority }), {});
    expect(policy?.identifierPriority).toEqual(identifierPriority);
  });

  it('refuses a rule that names neither a system nor a type, or an empty order, as an invalid policy', async () => {
    await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', identifierPriority: [{ label: 'X' }] }), {})).rejects.toBeInstanceOf(PolicyError);
    await expect(readHiePolicy(policyFile({ fhirBase: 'https://hie.example.org/fhir', identifierPriority: [] }), {})).rejects.toBeInstanceOf(PolicyError);
  });
});
