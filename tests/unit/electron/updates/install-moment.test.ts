import { describe, expect, it } from 'vitest';
import { installMoment } from '../../../../electron/updates/install-moment';

describe('when an update may be installed (never at a moment that could lose work)', () => {
  it('only with nothing unsent, no sync writing and no unsaved input; otherwise it waits and says for what', () => {
    expect(installMoment({ unsentEntries: 0, syncWriting: false, unsavedInput: false })).toEqual({ install: true });
    expect(installMoment({ unsentEntries: 3, syncWriting: false, unsavedInput: false })).toEqual({ install: false, waitingFor: ['unsent-entries'] });
    expect(installMoment({ unsentEntries: 0, syncWriting: true, unsavedInput: true })).toEqual({ install: false, waitingFor: ['sync-writing', 'unsaved-input'] });
  });

  it('a state it cannot read counts as work in progress', () => {
    expect(installMoment(null)).toEqual({ install: false, waitingFor: ['unsent-entries', 'sync-writing', 'unsaved-input'] });
    expect(installMoment({ unsentEntries: Number.NaN, syncWriting: false, unsavedInput: false })).toEqual({ install: false, waitingFor: ['unsent-entries'] });
  });
});
