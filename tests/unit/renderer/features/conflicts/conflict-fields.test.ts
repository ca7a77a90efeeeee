import { describe, expect, it } from 'vitest';
import type { ConflictRecord } from '../../../../../shared/sync/ports';
import { conflictRows, initialChoices, mergedResource, undecided } from '../../../../../renderer/features/conflicts/conflict-fields';
import { describeValue } from '../../../../../renderer/features/conflicts/conflict-values';

const base = { resourceType: 'AllergyIntolerance', id: 'a1', meta: { versionId: '1', lastUpdated: '2026-11-01T00:00:00Z' }, criticality: 'high', code: { text: 'Pénicilline' }, reaction: [{ manifestation: [{ text: 'Urticaire' }] }] };
const conflict: ConflictRecord = {
  id: 'c1',
  ref: 'AllergyIntolerance/a1',
  patient: 'Patient/p',
  outboxId: 'o1',
  base,
  local: { ...base, criticality: 'low', reaction: [{ manifestation: [{ text: 'Urticaire généralisée' }] }] },
  remote: { ...base, meta: { versionId: '2', lastUpdated: '2026-11-28T00:00:00Z' }, criticality: 'unable-to-assess', note: [{ text: 'Test cutané prévu' }] },
  fields: ['criticality'],
  state: 'open',
  createdAt: '2026-11-28T00:00:00Z',
};

describe('a conflict, field by field', () => {
  const rows = conflictRows(conflict);

  it('lists each differing field; a field both sides changed starts undecided, the others on the side that changed them', () => {
    expect(rows.map((r) => [r.field, r.clash, r.initial])).toEqual([
      ['criticality', true, null],
      ['note', false, 'remote'],
      ['reaction', false, 'local'],
    ]);
    expect(undecided(rows, initialChoices(rows))).toEqual(['criticality']);
  });

  it('merges onto the HIE’s version (its meta), taking each field from the side chosen', () => {
    const merged = mergedResource(conflict, rows, { ...initialChoices(rows), criticality: 'local' });
    expect(merged).toMatchObject({ id: 'a1', meta: { versionId: '2' }, criticality: 'low', note: [{ text: 'Test cutané prévu' }], reaction: [{ manifestation: [{ text: 'Urticaire généralisée' }] }] });
  });

  it('refuses to merge while a field is undecided, and when the HIE deleted the resource', () => {
    expect(() => mergedResource(conflict, rows, initialChoices(rows))).toThrow(RangeError);
    expect(conflictRows({ ...conflict, remote: null })).toEqual([]);
    expect(() => mergedResource({ ...conflict, remote: null }, [], {})).toThrow(RangeError);
  });

  it('takes a field removed on the chosen side out of the merge', () => {
    const removal: ConflictRecord = { ...conflict, local: { ...conflict.local, reaction: undefined } as ConflictRecord['local'] };
    const r = conflictRows(removal);
    const merged = mergedResource(removal, r, { ...initialChoices(r), criticality: 'remote', reaction: 'local' });
    expect('reaction' in merged).toBe(false);
  });
});

describe('values in words', () => {
  const words = { absent: '(absent)', yes: 'oui', no: 'non', code: (c: string) => ({ low: 'Faible', active: 'Actif' })[c] ?? null };
  it('reads codes, concepts, references, quantities and absence the clinician’s way', () => {
    expect(describeValue('low', words)).toBe('Faible');
    expect(describeValue({ coding: [{ code: 'active' }] }, words)).toBe('Actif');
    expect(describeValue({ text: 'Pénicilline' }, words)).toBe('Pénicilline');
    expect(describeValue({ reference: 'Practitioner/1', display: 'Dr Martin' }, words)).toBe('Dr Martin');
    expect(describeValue({ value: 5, unit: 'mg' }, words)).toBe('5 mg');
    expect(describeValue(undefined, words)).toBe('(absent)');
    expect(describeValue([{ text: 'a' }, { text: 'b' }], words)).toBe('a ; b');
    expect(describeValue(true, words)).toBe('oui');
    expect(describeValue([{ manifestation: [{ text: 'Urticaire' }], severity: 'severe' }], { ...words, code: (c: string) => (c === 'severe' ? 'Sévère' : null) })).toBe('Urticaire (Sévère)');
  });
});
