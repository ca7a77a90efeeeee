import { describe, expect, it } from 'vitest';
import { sameValue, threeWayMerge } from '../../../../shared/sync/merge';

const base = { resourceType: 'AllergyIntolerance', id: 'a1', meta: { versionId: '1' }, code: { text: 'Penicillin' }, criticality: 'low', note: [{ text: 'rash' }] };

describe('three-way merge', () => {
  it('merges changes to different fields', () => {
    const local = { ...base, criticality: 'high' };
    const remote = { ...base, meta: { versionId: '2' }, note: [{ text: 'rash' }, { text: 'hives 2026' }] };
    const result = threeWayMerge(base, local, remote);
    expect(result).toEqual({ kind: 'merged', resource: { ...remote, criticality: 'high' } });
  });

  it('reports a conflict, naming the fields, when both sides changed the same field differently', () => {
    const local = { ...base, criticality: 'high', note: [{ text: 'anaphylaxis' }] };
    const remote = { ...base, meta: { versionId: '2' }, criticality: 'unable-to-assess' };
    expect(threeWayMerge(base, local, remote)).toEqual({ kind: 'conflict', fields: ['criticality'] });
  });

  it('agrees when both sides made the same change (a retried write whose answer was lost)', () => {
    const local = { ...base, criticality: 'high' };
    const remote = { ...base, meta: { versionId: '2' }, criticality: 'high' };
    expect(threeWayMerge(base, local, remote)).toEqual({ kind: 'merged', resource: remote });
  });

  it('carries a field the clinician removed', () => {
    const { note: _note, ...local } = base;
    const remote = { ...base, meta: { versionId: '2' }, criticality: 'high' };
    const result = threeWayMerge(base, local, remote);
    expect(result.kind).toBe('merged');
    expect(result.kind === 'merged' && 'note' in result.resource).toBe(false);
  });

  it('ignores server metadata', () => {
    expect(threeWayMerge(base, base, { ...base, meta: { versionId: '9' } })).toEqual({ kind: 'merged', resource: { ...base, meta: { versionId: '9' } } });
  });

  it('compares values structurally, not by key order', () => {
    expect(sameValue({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
  });
});
