import { describe, expect, it } from 'vitest';
import { createPatientListStore, searchPatients } from '../../../../../renderer/features/patients/patient-list-store';

/** A search index whose answers the test releases by hand, in any order. */
function heldIndex() {
  const waiting = new Map<string, (refs: readonly string[]) => void>();
  return {
    index: { searchPatientRefs: (text: string) => new Promise<readonly string[]>((resolve) => waiting.set(text, resolve)) },
    answer(text: string, refs: readonly string[]) {
      waiting.get(text)?.(refs);
    },
  };
}

describe('the patient list’s search', () => {
  it('shows a text with its own matches only: an answer for older text that arrives late is dropped', async () => {
    const store = createPatientListStore();
    const { index, answer } = heldIndex();
    const older = searchPatients(store, index, 'hel');
    const newer = searchPatients(store, index, 'helene');
    // Nothing answered yet: the list still shows what it showed, text and matches together.
    expect(store.getState()).toMatchObject({ query: '', matches: null });
    answer('helene', ['Patient/p1']);
    await newer;
    expect(store.getState()).toMatchObject({ query: 'helene', matches: ['Patient/p1'] });
    answer('hel', ['Patient/p1', 'Patient/p2']);
    await older;
    expect(store.getState()).toMatchObject({ query: 'helene', matches: ['Patient/p1'] });
  });

  it('an emptied box shows every patient at once, and a late answer for the old text does not bring it back', async () => {
    const store = createPatientListStore();
    const { index, answer } = heldIndex();
    const typed = searchPatients(store, index, 'bern');
    await searchPatients(store, index, '');
    expect(store.getState()).toMatchObject({ query: '', matches: null });
    answer('bern', ['Patient/p2']);
    await typed;
    expect(store.getState()).toMatchObject({ query: '', matches: null });
  });

  it('a search the data side cannot answer says it failed, and shows no match rather than the previous ones', async () => {
    const store = createPatientListStore();
    await searchPatients(store, { searchPatientRefs: async () => ['Patient/p1'] }, 'alva');
    await searchPatients(store, { searchPatientRefs: () => Promise.reject(new Error('gone')) }, 'alves');
    expect(store.getState()).toMatchObject({ query: 'alves', matches: [], failed: true });
  });
});
