import { describe, expect, it } from 'vitest';
import { resourceLines } from '../../../../../renderer/features/chart/ResourceDetails';
import type { FhirResource } from '../../../../../shared/fhir/resource';

describe('an item’s details: everything the HIE sent', () => {
  it('include its meta — the source system, version, time, tags and security labels — not only its clinical elements', () => {
    const resource: FhirResource = {
      resourceType: 'Observation',
      id: 'o1',
      meta: {
        versionId: '3',
        lastUpdated: '2026-11-02T08:00:00Z',
        source: 'urn:oid:1.2.250.1.71.4.2.2#lab-7',
        tag: [{ system: 'http://example.org/tags', code: 'from-hospital' }],
        security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality', code: 'R', display: 'restricted' }],
      },
      status: 'final',
      code: { text: 'Glucose' },
    };
    const lines = resourceLines(resource);
    expect(lines).toEqual(
      expect.arrayContaining([
        { path: 'meta › source', value: 'urn:oid:1.2.250.1.71.4.2.2#lab-7' },
        { path: 'meta › versionId', value: '3' },
        { path: 'meta › lastUpdated', value: '2026-11-02T08:00:00Z' },
        { path: 'meta › tag', value: '(http://example.org/tags from-hospital)' },
        { path: 'meta › security', value: 'restricted (http://terminology.hl7.org/CodeSystem/v3-Confidentiality R)' },
      ]),
    );
    // The type and id are the reference, shown once.
    expect(lines.some((line) => line.path === 'resourceType' || line.path === 'id')).toBe(false);
  });
});
