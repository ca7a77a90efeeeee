import { describe, expect, it } from 'vitest';
import { bodyOfResource, compactResourceBody } from '../../../../renderer/db/bodies';
import type { ResourceBody } from '../../../../renderer/db/schemas';

const observation = { resourceType: 'Observation', id: 'o1', meta: { versionId: '3', lastUpdated: '2026-11-30T08:00:00.000Z' }, status: 'final' };
const synced: ResourceBody = { ref: 'Observation/o1', resource: observation, patient: 'Patient/p1', versionId: '3', lastUpdated: '2026-11-30T08:00:00.000Z', syncState: 'synced' };
const roundTrip = (body: ResourceBody): ResourceBody | null => bodyOfResource(JSON.parse(JSON.stringify(compactResourceBody(body))) as unknown);

describe('a resource body as sealed in a row', () => {
  it('leaves out what the resource itself says (ref, server version and time, synced), and reads back whole', () => {
    expect(compactResourceBody(synced)).toEqual({ resource: observation, patient: 'Patient/p1' });
    expect(roundTrip(synced)).toEqual(synced);
  });

  it('keeps every field the resource does not say, and reads back exactly', () => {
    const bodies: ResourceBody[] = [
      // A pending edit stands on the server version it was made from, not on the edited resource's meta.
      { ...synced, resource: { ...observation, meta: { versionId: '4' } }, versionId: '3', syncState: 'pending' },
      // Created here: no server version yet; a resource without meta.
      { ref: 'Observation/new-1', resource: { resourceType: 'Observation', id: 'new-1' }, patient: 'Patient/p1', versionId: '', lastUpdated: '', syncState: 'pending' },
      // A ref that is not the resource's own (what the store was asked to keep under it).
      { ...synced, ref: 'Observation/other', syncState: 'conflict' },
      // No id, no patient, a meta with values of the wrong kind.
      { ref: 'Patient/x', resource: { resourceType: 'Patient', meta: { versionId: 7 } }, patient: null, versionId: '', lastUpdated: '', syncState: 'synced' },
    ];
    for (const body of bodies) expect(roundTrip(body)).toEqual(body);
    expect(compactResourceBody(bodies[0]!)).toMatchObject({ versionId: '3', syncState: 'pending' });
    expect(compactResourceBody(bodies[2]!)).toMatchObject({ ref: 'Observation/other' });
    expect(compactResourceBody(bodies[3]!)).toMatchObject({ ref: 'Patient/x' });
  });

  it('a body sealed whole by an earlier release reads as it was', () => {
    expect(bodyOfResource(JSON.parse(JSON.stringify(synced)) as unknown)).toEqual(synced);
    expect(bodyOfResource({ ...synced, versionId: '2', syncState: 'pending' })).toEqual({ ...synced, versionId: '2', syncState: 'pending' });
  });

  it('a body that names no ref, or of the wrong shape, does not read', () => {
    expect(bodyOfResource({ resource: { resourceType: 'Observation' }, patient: null })).toBeNull();
    expect(bodyOfResource({ resource: observation })).toBeNull();
    expect(bodyOfResource({ resource: observation, patient: 'Patient/p1', syncState: 'lost' })).toBeNull();
    expect(bodyOfResource([observation])).toBeNull();
    expect(bodyOfResource('Observation/o1')).toBeNull();
    expect(bodyOfResource(null)).toBeNull();
  });
});
