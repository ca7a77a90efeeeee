import { describe, expect, it } from 'vitest';
import { offeredTypes, typesToSync } from '../../../../shared/sync/resource-types';
import type { FhirTransport, TransportResponse } from '../../../../shared/hie/transport';

const answering = (status: number, body: unknown): FhirTransport => ({
  send: async (): Promise<TransportResponse> => ({ status, headers: {}, body }),
});

describe('which types to sync', () => {
  it('pulls the Patient first, then the clinical compartment, then what charts name', () => {
    const all = typesToSync(null);
    expect(all[0]).toBe('Patient');
    expect(all.slice(-3)).toEqual(['Practitioner', 'Organization', 'Medication']);
    expect(all).toContain('FamilyMemberHistory');
  });

  it('keeps only what the HIE offers to search, in the same order', () => {
    expect(typesToSync(new Set(['Observation', 'Patient', 'Practitioner', 'Claim']))).toEqual(['Patient', 'Observation', 'Practitioner']);
  });

  it('reads the searchable types from the CapabilityStatement', async () => {
    const statement = {
      resourceType: 'CapabilityStatement',
      rest: [{ mode: 'server', resource: [
        { type: 'Patient', interaction: [{ code: 'read' }, { code: 'search-type' }] },
        { type: 'Procedure', interaction: [{ code: 'search-type' }] },
        { type: 'Device', interaction: [{ code: 'read' }] },
      ] }],
    };
    expect(await offeredTypes(answering(200, statement))).toEqual(new Set(['Patient', 'Procedure']));
  });

  it('takes every type when the statement is missing or unreadable', async () => {
    expect(await offeredTypes(answering(404, null))).toBeNull();
    expect(await offeredTypes(answering(200, { resourceType: 'Bundle' }))).toBeNull();
    expect(await offeredTypes(answering(200, { resourceType: 'CapabilityStatement', rest: [] }))).toBeNull();
  });

  it('stops on a 401 instead of guessing', async () => {
    await expect(offeredTypes(answering(401, null))).rejects.toMatchObject({ name: 'SyncStop' });
  });
});
