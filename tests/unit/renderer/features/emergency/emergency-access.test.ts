import { describe, expect, it, vi } from 'vitest';
import { EmergencyAccessRefused } from '../../../../../shared/sync/break-the-glass';
import { SyncStop } from '../../../../../shared/hie/errors';
import type { FhirTransport } from '../../../../../shared/hie/transport';
import type { Workspace } from '../../../../../renderer/app/workspace';
import { breakTheGlass, checkRequest, PatientNotArrived, problemOf } from '../../../../../renderer/features/emergency/emergency-access';

const grant = { resourceType: 'Parameters', parameter: [{ name: 'patient', valueReference: { reference: 'Patient/x' } }, { name: 'expires', valueInstant: '2026-11-29T10:00:00Z' }] };

function fakeWorkspace(arrivesAfter: number) {
  let reads = 0;
  const transport: FhirTransport = { send: async () => ({ status: 200, headers: {}, body: grant }) };
  const record = vi.fn(async () => undefined);
  const syncNow = vi.fn();
  const getResource = vi.fn(async () => {
    reads += 1;
    return reads > arrivesAfter ? { resource: { resourceType: 'Patient', id: 'x' } } : null;
  });
  const emergencyGranted = vi.fn(async () => undefined);
  const workspace = { transport, record, runner: { syncNow }, replica: { getResource }, emergencyGranted } as unknown as Pick<
    Workspace,
    'transport' | 'record' | 'runner' | 'replica' | 'emergencyGranted'
  >;
  return { workspace, record, syncNow, getResource, emergencyGranted };
}
const waits = { sleep: async () => undefined, intervalMs: 10, timeoutMs: 50 };

describe('emergency access', () => {
  it('checks the form before asking the HIE', () => {
    expect(checkRequest(' ', 'Patient inconscient')).toBe('noIdentifier');
    expect(checkRequest('123', 'urgence')).toBe('reasonTooShort');
    expect(checkRequest('123', 'Patient inconscient')).toBeNull();
  });

  it('turns the HIE’s refusals and the network into sentences', () => {
    expect(problemOf(new EmergencyAccessRefused(404))).toBe('unknownPatient');
    expect(problemOf(new EmergencyAccessRefused(400))).toBe('reasonTooShort');
    expect(problemOf(new EmergencyAccessRefused(403))).toBe('refused');
    expect(problemOf(new SyncStop('OFFLINE'))).toBe('offline');
    expect(problemOf(new PatientNotArrived())).toBe('timeout');
    expect(problemOf(new Error('boom'))).toBe('failed');
  });

  it('records the access with its reason, syncs, and waits for the patient', async () => {
    const { workspace, record, syncNow, getResource, emergencyGranted } = fakeWorkspace(2);
    await expect(breakTheGlass(workspace, ' 123 ', 'Patient inconscient ', waits)).resolves.toBe('Patient/x');
    expect(record).toHaveBeenCalledWith({ action: 'break-the-glass', patient: 'Patient/x', resource: 'Patient/x', emergency: { reason: 'Patient inconscient' } });
    // The patient is flagged at once (their chart opens before the next sync confirms the grant), after the access is recorded.
    expect(emergencyGranted).toHaveBeenCalledWith('Patient/x');
    expect(record.mock.invocationCallOrder[0]).toBeLessThan(emergencyGranted.mock.invocationCallOrder[0] as number);
    expect(syncNow).toHaveBeenCalledOnce();
    expect(getResource).toHaveBeenCalledTimes(3);
  });

  it('gives up when the patient does not arrive in time', async () => {
    const { workspace } = fakeWorkspace(1_000);
    await expect(breakTheGlass(workspace, '123', 'Patient inconscient', waits)).rejects.toBeInstanceOf(PatientNotArrived);
  });
});
