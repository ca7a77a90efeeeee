import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { createPatientSearchIndex } from '../../../../renderer/db/patient-search';
import { foldForSearch } from '../../../../shared/text-fold';
import { makeVault, openTestReplica, patient, rawDump, uniqueName } from './fixtures';

describe('patient search index (in memory)', () => {
  const index = createPatientSearchIndex();
  index.put('Patient/a', patient('a', { family: 'Dupré', given: ['Hélène', 'Marie'], birthDate: '1950-03-12', identifier: '2 50 03 75 112 005 42' }));
  index.put('Patient/b', patient('b', { family: 'Œuvray-Lætitia', given: ['Jean-Pierre'], birthDate: '1988-07-01', identifier: '188077511200591' }));
  index.put('Patient/c', patient('c', { family: 'Helen', given: ['Troy'], birthDate: '1950-11-30' }));

  it('folds accents, case and ligatures', () => {
    expect(foldForSearch('Hélène ŒUVRAY Lætitia Straße')).toBe('helene oeuvray laetitia strasse');
  });

  it.each([
    ['helene', ['Patient/a']],
    ['HÉLÈNE dupre', ['Patient/a']],
    ['hel', ['Patient/a', 'Patient/c']],
    ['oeuvray', ['Patient/b']],
    ['pierre', ['Patient/b']],
    ['jean-pierre', ['Patient/b']],
    ['laetitia', ['Patient/b']],
  ])('finds %s by name', (query, refs) => {
    expect(index.search(query, 10)).toEqual(refs);
  });

  it('finds by identifier, typed with or without its spaces', () => {
    expect(index.search('250037511200542', 10)).toEqual(['Patient/a']);
    expect(index.search('2 50 03 75 112', 10)).toEqual(['Patient/a']);
    expect(index.search('1880775', 10)).toEqual(['Patient/b']);
  });

  it('finds by birth date, ISO or French, or by year', () => {
    expect(index.search('1950-03-12', 10)).toEqual(['Patient/a']);
    expect(index.search('12/03/1950', 10)).toEqual(['Patient/a']);
    expect(index.search('1950', 10)).toEqual(['Patient/a', 'Patient/c']);
    expect(index.search('helen 1950', 10)).toEqual(['Patient/c', 'Patient/a']);
  });

  it('requires every word to match, ranks exact words first, and honours the limit', () => {
    expect(index.search('helene troy', 10)).toEqual([]);
    expect(index.search('helen', 10)).toEqual(['Patient/c', 'Patient/a']);
    expect(index.search('1950', 1)).toHaveLength(1);
    expect(index.search('   ', 10)).toEqual([]);
  });
});

describe('searchPatients on the replica', () => {
  let vault: UnlockedVault;
  beforeAll(async () => {
    vault = await makeVault();
  });

  it('searches names, identifiers and birth dates of stored Patients, and writes no search term to disk', async () => {
    const name = uniqueName('search');
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([
      { resource: patient('p1', { family: 'Zéphyrin', given: ['Hélène'], birthDate: '1942-08-15', identifier: '242087511200533' }), patient: 'Patient/p1' },
      { resource: patient('p2', { family: 'Martin', given: ['Paul'] }), patient: 'Patient/p2' },
    ]);
    expect((await replica.searchPatients('helene zephyrin')).map((e) => e.resource)).toEqual([
      patient('p1', { family: 'Zéphyrin', given: ['Hélène'], birthDate: '1942-08-15', identifier: '242087511200533' }),
    ]);
    expect((await replica.searchPatients('242087511')).map((e) => e.ref)).toEqual(['Patient/p1']);
    expect((await replica.searchPatients('15/08/1942')).map((e) => e.ref)).toEqual(['Patient/p1']);
    await replica.close();
    const disk = JSON.stringify(await rawDump(name));
    for (const term of ['zephyrin', 'Zéphyrin', 'helene', 'Hélène', '242087511200533', '1942-08-15']) expect(disk).not.toContain(term);
  });

  it('rebuilds the index at open and keeps it current through writes, removals and purges', async () => {
    const name = uniqueName('search-current');
    const first = await openTestReplica(name, vault);
    await first.putServerResources([
      { resource: patient('p1', { family: 'Àlvarez' }), patient: 'Patient/p1' },
      { resource: patient('p2', { family: 'Alvarado' }), patient: 'Patient/p2' },
      { resource: patient('p3', { family: 'Alvès' }), patient: 'Patient/p3' },
    ]);
    await first.close();

    const replica = await openTestReplica(name, vault);
    expect((await replica.searchPatients('alva')).map((e) => e.ref)).toEqual(['Patient/p1', 'Patient/p2']);
    await replica.putServerResources([{ resource: patient('p2', { family: 'Bernard' }, 'v2'), patient: 'Patient/p2' }]);
    expect((await replica.searchPatients('alva')).map((e) => e.ref)).toEqual(['Patient/p1']);
    await replica.removeResources(['Patient/p1']);
    expect((await replica.searchPatients('alva')).map((e) => e.ref)).toEqual([]);
    await replica.purgePatient('Patient/p3');
    expect(await replica.searchPatients('alves')).toEqual([]);
    expect((await replica.searchPatients('bernard')).map((e) => e.ref)).toEqual(['Patient/p2']);
    await replica.close();
  });

  it('answers a typed key from the index alone, at once: the full search’s refs, and nothing once closed', async () => {
    const replica = await openTestReplica(uniqueName('search-refs'), vault);
    await replica.putServerResources([
      { resource: patient('p1', { family: 'Àlvarez' }), patient: 'Patient/p1' },
      { resource: patient('p2', { family: 'Alvarado' }), patient: 'Patient/p2' },
      { resource: patient('p3', { family: 'Martin' }), patient: 'Patient/p3' },
    ]);
    // Synchronous: an array, not a promise — no read of the store between a key and its result.
    const refs = replica.searchPatientRefs('alva', 50);
    expect(Array.isArray(refs)).toBe(true);
    expect(refs).toEqual(['Patient/p1', 'Patient/p2']);
    expect(replica.searchPatientRefs('martin', 50)).toEqual(['Patient/p3']);
    for (const text of ['alva', 'martin', 'zz', 'alvarez martin']) {
      expect(replica.searchPatientRefs(text, 50)).toEqual((await replica.searchPatients(text, 50)).map((e) => e.ref));
    }
    await replica.close();
    expect(replica.searchPatientRefs('alva', 50)).toEqual([]);
  });
});
