import { describe, expect, it } from 'vitest';
import { isStorageFull } from '../../../../renderer/db/storage-full';
import { LocalEditRefusedError } from '../../../../renderer/db/errors';
import { saveFailureKey } from '../../../../renderer/features/charting/save-edit';

const named = (name: string, message = '', extra: Record<string, unknown> = {}): Error => Object.assign(new Error(message), { name, ...extra });

describe('a full disk, however it is wrapped', () => {
  it('is recognized bare, inside Dexie’s AbortError, inside an RxDB error, or as a cause', () => {
    expect(isStorageFull(named('QuotaExceededError'))).toBe(true);
    expect(isStorageFull(named('AbortError', 'QuotaExceededError ', { inner: named('QuotaExceededError') }))).toBe(true);
    expect(isStorageFull(named('RxError', 'write failed', { parameters: { error: named('AbortError', '', { inner: named('QuotaExceededError') }) } }))).toBe(true);
    expect(isStorageFull(new Error('outer', { cause: named('QuotaExceededError') }))).toBe(true);
  });

  it('is not any other failure, and survives odd values and cycles', () => {
    expect(isStorageFull(named('AbortError', 'Transaction aborted', { inner: named('ConstraintError') }))).toBe(false);
    expect(isStorageFull(new Error('disk of the patient'))).toBe(false);
    expect(isStorageFull(null)).toBe(false);
    expect(isStorageFull('QuotaExceededError')).toBe(false);
    const loop: Record<string, unknown> = { name: 'AbortError' };
    loop['inner'] = loop;
    expect(isStorageFull(loop)).toBe(false);
  });

  it('gives the clinician the full-disk sentence when a save fails for lack of room', () => {
    expect(saveFailureKey(named('AbortError', '', { inner: named('QuotaExceededError') }))).toBe('charting.diskFull');
    expect(saveFailureKey(new Error('boom'))).toBe('charting.saveFailed');
    expect(saveFailureKey(new LocalEditRefusedError('exists'))).toBe('charting.refused.exists');
  });
});
