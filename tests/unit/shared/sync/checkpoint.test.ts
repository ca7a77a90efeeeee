import { describe, expect, it } from 'vitest';
import { advance, heldByCheckpoint, readPullCheckpoint } from '../../../../shared/sync/checkpoint';
import { pullQuery } from '../../../../shared/sync/pull';

const r = (id: string, lastUpdated: string) => ({ resourceType: 'Observation', id, meta: { versionId: `v-${id}`, lastUpdated } });

describe('pull checkpoint', () => {
  it('queries with ge on the last instant (gt would skip same-millisecond ties)', () => {
    expect(pullQuery('Observation', null, 500)).toBe('Observation?_sort=_lastUpdated&_count=500');
    expect(pullQuery('Observation', { lastUpdated: '2026-01-01T10:00:00.000+01:00', idsAtLastUpdated: ['a'] }, 50)).toBe(
      'Observation?_sort=_lastUpdated&_count=50&_lastUpdated=ge2026-01-01T10%3A00%3A00.000%2B01%3A00',
    );
  });

  it('holds the ids at its instant and everything before, but not a tie it has not seen', () => {
    const cp = advance(null, [r('a', '2026-01-01T00:00:00.000Z'), r('b', '2026-01-01T00:00:01.000Z')]);
    expect(cp).toEqual({ lastUpdated: '2026-01-01T00:00:01.000Z', idsAtLastUpdated: ['b'] });
    expect(heldByCheckpoint(cp, r('a', '2026-01-01T00:00:00.000Z'))).toBe(true);
    expect(heldByCheckpoint(cp, r('b', '2026-01-01T00:00:01.000Z'))).toBe(true);
    expect(heldByCheckpoint(cp, r('c', '2026-01-01T00:00:01.000Z'))).toBe(false);
    expect(heldByCheckpoint(cp, r('d', '2026-01-01T00:00:02.000Z'))).toBe(false);
  });

  it('compares instants as times, whatever their offset or precision', () => {
    const cp = advance(null, [r('a', '2026-01-01T01:00:00+01:00')]);
    expect(heldByCheckpoint(cp, r('a', '2026-01-01T00:00:00.000Z'))).toBe(true);
    expect(heldByCheckpoint(cp, r('z', '2025-12-31T23:59:59.999Z'))).toBe(true);
  });

  it('never moves backwards on a late page, and accumulates ties', () => {
    const cp = advance(null, [r('b', '2026-01-01T00:00:05.000Z')]);
    expect(advance(cp, [r('a', '2026-01-01T00:00:01.000Z')])).toEqual(cp);
    expect(advance(cp, [r('c', '2026-01-01T00:00:05.000Z')])?.idsAtLastUpdated).toEqual(['b', 'c']);
  });

  it('reads a stored checkpoint only if it has the right shape', () => {
    expect(readPullCheckpoint({ lastUpdated: 'x', idsAtLastUpdated: [] })).not.toBeNull();
    expect(readPullCheckpoint({ lastUpdated: 3 })).toBeNull();
    expect(readPullCheckpoint(null)).toBeNull();
  });
});

describe('an empty stream', () => {
  it('is started but holds nothing, and its query has no filter', async () => {
    const { emptyCheckpoint } = await import('../../../../shared/sync/checkpoint');
    expect(pullQuery('Communication', emptyCheckpoint, 10)).toBe('Communication?_sort=_lastUpdated&_count=10');
    expect(heldByCheckpoint(emptyCheckpoint, r('a', '2026-01-01T00:00:00.000Z'))).toBe(false);
    expect(advance(emptyCheckpoint, [r('a', '2026-01-01T00:00:00.000Z')])).toEqual({ lastUpdated: '2026-01-01T00:00:00.000Z', idsAtLastUpdated: ['a'] });
  });
});
