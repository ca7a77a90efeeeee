import { Operator } from '@medplum/core';
import { describe, expect, it } from 'vitest';
import { ChangeLog } from '../../../../sandbox/fhir/change-log.ts';
import { LastUpdatedIndex } from '../../../../sandbox/fhir/last-updated-index.ts';
import { lastUpdatedBounds } from '../../../../sandbox/fhir/matching.ts';
import { SnapshotCache, decodeCursor, encodeCursor } from '../../../../sandbox/fhir/paging.ts';
import { accessTagOf } from '../../../../sandbox/access/access-tag.ts';

describe('lastUpdated index', () => {
  it('keeps (lastUpdated, id) order with ties broken by id, through inserts and removals', () => {
    const index = new LastUpdatedIndex();
    index.insert('Observation', { ms: 10, id: 'b' });
    index.insert('Observation', { ms: 10, id: 'a' });
    index.insert('Observation', { ms: 5, id: 'z' });
    index.insert('Observation', { ms: 11, id: 'a' });
    expect(index.entries('Observation').map((e) => `${e.ms}${e.id}`)).toEqual(['5z', '10a', '10b', '11a']);
    index.remove('Observation', { ms: 10, id: 'a' });
    expect(index.entries('Observation').map((e) => `${e.ms}${e.id}`)).toEqual(['5z', '10b', '11a']);
    expect(LastUpdatedIndex.lowerBound(index.entries('Observation'), { ms: 10, id: '' })).toBe(1);
  });
});

describe('change log', () => {
  const tag = accessTagOf({ resourceType: 'Organization', name: 'x' });

  it('numbers entries and finds the first at or after an instant', () => {
    const log = new ChangeLog();
    for (const ms of [1, 2, 2, 5]) log.append({ operation: 'create', resourceType: 'Organization', id: String(ms), versionId: 'v', lastUpdatedMs: ms, tag });
    expect(log.firstSeqAtOrAfter(2)).toBe(2);
    expect(log.firstSeqAtOrAfter(3)).toBe(4);
    expect(log.firstSeqAtOrAfter(6)).toBe(5);
    expect(log.bySeq(4)?.lastUpdatedMs).toBe(5);
  });

  it('refuses an entry that goes back in time', () => {
    const log = new ChangeLog();
    log.append({ operation: 'create', resourceType: 'Organization', id: 'a', versionId: 'v', lastUpdatedMs: 5, tag });
    expect(() => log.append({ operation: 'update', resourceType: 'Organization', id: 'a', versionId: 'w', lastUpdatedMs: 4, tag })).toThrow();
  });
});

describe('_lastUpdated bounds', () => {
  it('follows FHIR precision: a day is the whole day', () => {
    const day = lastUpdatedBounds([{ code: '_lastUpdated', operator: Operator.EQUALS, value: '2026-11-28' }]);
    expect(day?.min).toBe(Date.parse('2026-11-28T00:00:00.000Z'));
    expect(day?.max).toBe(Date.parse('2026-11-28T23:59:59.999Z'));
    const after = lastUpdatedBounds([{ code: '_lastUpdated', operator: Operator.GREATER_THAN, value: '2026-11-28T10:00:00.123Z' }]);
    expect(after?.min).toBe(Date.parse('2026-11-28T10:00:00.124Z'));
    expect(lastUpdatedBounds([{ code: '_lastUpdated', operator: Operator.NOT_EQUALS, value: '2026' }])).toBeUndefined();
  });
});

describe('cursors and snapshots', () => {
  it('round-trips cursors and refuses forged ones', () => {
    const cursor = { m: 'k' as const, ms: 42, id: 'abc' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(() => decodeCursor(Buffer.from('{"m":"k","ms":"x"}').toString('base64url'))).toThrow();
    expect(() => decodeCursor('%%%')).toThrow();
  });

  it('expires snapshots', () => {
    const cache = new SnapshotCache(-1);
    const id = cache.put(['a']);
    expect(cache.get(id)).toBeUndefined();
    const kept = new SnapshotCache();
    expect(kept.get(kept.put(['a', 'b']))).toEqual(['a', 'b']);
  });
});
