import { describe, expect, it } from 'vitest';
import { updateNotice, workInProgress } from '../../../../renderer/app/update-notice';

describe('the update notice', () => {
  it('says nothing until an update is ready', () => {
    for (const state of ['off', 'current', 'failed'] as const) expect(updateNotice({ state }, true)).toBeNull();
    expect(updateNotice({ state: 'downloading', version: '1.3.0' }, true)).toBeNull();
  });

  it('ready: what it waits for, or nothing (the install button); locked, to unlock first', () => {
    expect(updateNotice({ state: 'ready', version: '1.3.0', waitingFor: ['unsent-entries', 'unsaved-input'] }, true)).toEqual({ version: '1.3.0', waits: ['unsent-entries', 'unsaved-input'] });
    expect(updateNotice({ state: 'ready', version: '1.3.0', waitingFor: [] }, true)).toEqual({ version: '1.3.0', waits: [] });
    expect(updateNotice({ state: 'ready', version: '1.3.0', waitingFor: [] }, false)).toEqual({ version: '1.3.0', waits: 'locked' });
  });

  it('reports unsent entries, any sync phase but idle (the HIE’s or another source’s) as writing, and unsaved input', () => {
    expect(workInProgress({ pendingEdits: 0, phase: 'idle' }, false)).toEqual({ unsentEntries: 0, syncWriting: false, unsavedInput: false });
    expect(workInProgress({ pendingEdits: 4, phase: 'idle' }, false)).toMatchObject({ unsentEntries: 4 });
    for (const phase of ['push', 'pull', 'backfill', 'purge', 'inbox'] as const) expect(workInProgress({ pendingEdits: 0, phase }, false).syncWriting, phase).toBe(true);
    expect(workInProgress({ pendingEdits: 0, phase: 'idle' }, true).unsavedInput).toBe(true);
    // Another source's sync writes to its own replica: that counts too.
    expect(workInProgress({ pendingEdits: 0, phase: 'idle' }, false, true).syncWriting).toBe(true);
  });
});
