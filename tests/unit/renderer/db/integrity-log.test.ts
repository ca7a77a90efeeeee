import { describe, expect, it } from 'vitest';
import { createIntegrityLog } from '../../../../renderer/db/integrity-log';

/** A refOf whose answers the test releases by hand. */
function heldRefs(names: Readonly<Record<string, string | null>>) {
  const waiting: (() => void)[] = [];
  return {
    refOf: (id: string) => new Promise<string | null>((resolve) => waiting.push(() => resolve(names[id] ?? null))),
    answer: () => waiting.splice(0).forEach((go) => go()),
  };
}

describe('integrity log: unreadable rows named by opaque ids', () => {
  it('quarantines the ref a row id opens to, and counts an id that opens to nothing as damaged', async () => {
    const held = heldRefs({ 'id-1': 'Observation/o1' });
    const log = createIntegrityLog(held.refOf);
    log.onUnreadable('resources', 'id-1');
    log.onUnreadable('resources', 'id-forged');
    const listed = log.quarantined();
    held.answer();
    expect(await listed).toEqual(['Observation/o1']);
    expect(log.damagedCount()).toBe(1);
  });

  it('a good version written while the id was being opened is not quarantined by the late answer', async () => {
    const held = heldRefs({ 'id-1': 'Observation/o1', 'id-2': 'Observation/o2' });
    const log = createIntegrityLog(held.refOf);
    log.onUnreadable('resources', 'id-1');
    log.onUnreadable('resources', 'id-2');
    log.release(['Observation/o1']); // the engine wrote the HIE's version of o1 meanwhile
    held.answer();
    expect(await log.quarantined()).toEqual(['Observation/o2']);
  });

  it('a row keyed by its ref (an older schema, read during a migration) is quarantined under it', async () => {
    const log = createIntegrityLog(() => Promise.reject(new Error('not an id')));
    log.onUnreadable('resources', 'Observation/o9');
    expect(await log.quarantined()).toEqual(['Observation/o9']);
    expect(log.damagedCount()).toBe(0);
  });
});
