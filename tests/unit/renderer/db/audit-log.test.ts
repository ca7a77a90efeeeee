import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { observation, patient } from './fixtures';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { dexieName, flipBit, makeVault, openTestReplica, rawDelete, rawDump, rawGet, rawPut, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

const who = { practitioner: 'Practitioner/pr1', deviceId: 'device-1', outcome: 'success' as const };

describe('audit trail in the replica', () => {
  it('appends chained events, keeps them sealed and across reopen, and verifies intact', async () => {
    const name = uniqueName('audit');
    const replica = await openTestReplica(name, vault);
    const first = await replica.audit.record({ ...who, action: 'chart-open', patient: 'Patient/p-canary-77' });
    const second = await replica.audit.record({ ...who, action: 'update', patient: 'Patient/p-canary-77', resource: 'Condition/c1' });
    expect(second.seq).toBe(first.seq + 1);
    expect(second.previous).toBe(first.hash);
    await replica.close();
    // On disk: no patient reference in clear.
    expect(JSON.stringify(await rawDump(name))).not.toContain('p-canary-77');
    const reopened = await openTestReplica(name, vault);
    expect(reopened.auditAtOpen).toEqual({ intact: true, length: 2 });
    expect((await reopened.audit.trail()).map((l) => l.event['action'])).toEqual(['R', 'U']);
    await reopened.close();
  });

  it('reports a break at open when a stored event was tampered with', async () => {
    const name = uniqueName('audit-tamper');
    const replica = await openTestReplica(name, vault);
    for (let i = 0; i < 3; i += 1) await replica.audit.record({ ...who, action: 'chart-open', patient: `Patient/p${i}` });
    await replica.close();
    const db = dexieName(name, 'audit', 0);
    const row = await rawGet(db, '000000000002');
    await rawPut(db, { ...row, body: flipBit(row?.['body'] as string) });
    const reopened = await openTestReplica(name, vault);
    expect(reopened.auditAtOpen).toEqual({ intact: false, brokenAt: 2, length: 3 });
    await reopened.close();
  });

  it('reports a break when an event was removed', async () => {
    const name = uniqueName('audit-remove');
    const replica = await openTestReplica(name, vault);
    for (let i = 0; i < 3; i += 1) await replica.audit.record({ ...who, action: 'search', patient: null, queryKind: 'name' });
    await replica.close();
    await rawDelete(dexieName(name, 'audit', 0), '000000000002');
    const reopened = await openTestReplica(name, vault);
    expect(reopened.auditAtOpen).toMatchObject({ intact: false, brokenAt: 2 });
    await reopened.close();
  });

  it('survives a patient purge (the audit trail is not patient data to shred)', async () => {
    const name = uniqueName('audit-purge');
    const replica = await openTestReplica(name, vault);
    await replica.audit.record({ ...who, action: 'chart-open', patient: 'Patient/p1' });
    await replica.purgePatient('Patient/p1');
    expect((await replica.audit.verify()).intact).toBe(true);
    expect(await replica.audit.trail()).toHaveLength(1);
    await replica.close();
  });

  it('tracks what the HIE has acknowledged; the cursor never moves back', async () => {
    const replica = await openTestReplica(uniqueName('audit-cursor'), vault);
    for (let i = 0; i < 3; i += 1) await replica.audit.record({ ...who, action: 'chart-open', patient: 'Patient/p1' });
    expect((await replica.audit.pending()).map((l) => l.seq)).toEqual([1, 2, 3]);
    await replica.audit.markUploaded(2);
    await replica.audit.markUploaded(1);
    expect((await replica.audit.pending()).map((l) => l.seq)).toEqual([3]);
    await replica.close();
  });

  it('once uploaded, events about a patient outside the scope keep no trace of the patient; the chain still verifies; pending and in-scope events are untouched', async () => {
    const name = uniqueName('audit-redact');
    const replica = await openTestReplica(name, vault);
    const reason = 'Patient inconscient, allergies à vérifier';
    await replica.audit.record({ ...who, action: 'chart-open', patient: 'Patient/p-gone-41' });
    await replica.audit.record({ ...who, action: 'break-the-glass', patient: 'Patient/p-gone-41', emergency: { reason } });
    await replica.audit.record({ ...who, action: 'chart-open', patient: 'Patient/p-kept-7' });
    await replica.audit.record({ ...who, action: 'update', patient: 'Patient/p-gone-41', resource: 'Condition/c-gone' });
    await replica.audit.markUploaded(3);
    expect(await replica.audit.redactOutside(new Set(['Patient/p-kept-7']))).toBe(2);
    const [first, second, third, fourth] = await replica.audit.trail();
    for (const link of [first, second]) {
      expect(link?.redacted).toBe(true);
      expect(JSON.stringify(link)).not.toContain('p-gone-41');
      expect(JSON.stringify(link)).not.toContain(reason);
      // Who did what, when, and the outcome stay.
      expect(link?.event).toMatchObject({ resourceType: 'AuditEvent', action: 'R', outcome: '0' });
      expect(typeof link?.event['recorded']).toBe('string');
    }
    expect(JSON.stringify(third)).toContain('p-kept-7');
    // Not on the HIE yet: kept whole until it is.
    expect(JSON.stringify(fourth)).toContain('p-gone-41');
    expect(await replica.audit.verify()).toEqual({ intact: true, length: 4 });
    expect(await replica.audit.redactOutside(new Set(['Patient/p-kept-7']))).toBe(0);
    // Links checked before are read again only when the scope shrank (the engine says so).
    expect(await replica.audit.redactOutside(new Set())).toBe(0);
    expect(JSON.stringify((await replica.audit.trail())[2])).toContain('p-kept-7');
    expect(await replica.audit.redactOutside(new Set(), true)).toBe(1);
    expect(JSON.stringify((await replica.audit.trail())[2])).not.toContain('p-kept-7');
    await replica.close();
    const reopened = await openTestReplica(name, vault);
    expect(reopened.auditAtOpen).toEqual({ intact: true, length: 4 });
    await reopened.audit.markUploaded(4);
    expect(await reopened.audit.redactOutside(new Set())).toBe(1);
    expect(JSON.stringify(await reopened.audit.trail())).not.toContain('p-gone-41');
    await reopened.close();
  });
});

describe('recording an access does not wait behind a sync', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('an access is recorded while a page is still being written (a chart waits for its record before it shows)', async () => {
    const name = uniqueName('audit-lane');
    const replica = await openTestReplica(name, vault);
    await replica.putServerResources([{ resource: patient('p1', { family: 'Lane' }), patient: 'Patient/p1' }]);
    // Sealing a resource body waits until released: the page's write holds the replica's write queue.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const encrypt = globalThis.crypto.subtle.encrypt.bind(globalThis.crypto.subtle);
    vi.spyOn(globalThis.crypto.subtle, 'encrypt').mockImplementation(async (algorithm, key, data) => {
      const aad = (algorithm as { additionalData?: BufferSource }).additionalData;
      if (aad !== undefined && new TextDecoder().decode(aad as ArrayBuffer).includes('@3:')) await gate;
      return encrypt(algorithm, key, data);
    });
    let written = false;
    const writing = replica.putServerResources([{ resource: observation('o1', 'p1', 'held'), patient: 'Patient/p1' }]).then(() => {
      written = true;
    });
    const recorded = await replica.audit.record({ ...who, action: 'chart-open', patient: 'Patient/p1' });
    expect(recorded.seq).toBe(1);
    expect(written).toBe(false);
    release();
    await writing;
    expect(await replica.getResource('Observation/o1')).toMatchObject({ resource: { code: { text: 'held' } } });
    await replica.close();
  });
});
