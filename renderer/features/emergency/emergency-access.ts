import { EmergencyAccessRefused, minimumReasonLength, requestEmergencyAccess } from '../../../shared/sync/break-the-glass';
import { SyncStop } from '../../../shared/hie/errors';
import type { Workspace } from '../../app/workspace';

/**
 * Break the glass, step by step: the HIE decides (and keeps its own record), this device records
 * the access in the clinician's trail, then the next sync brings the patient in; the chart can
 * only open once their record is in the replica, so we wait for it.
 */
export type EmergencyProblem = 'reasonTooShort' | 'noIdentifier' | 'unknownPatient' | 'refused' | 'offline' | 'timeout' | 'failed';

/** What the form can tell before asking the HIE. */
export function checkRequest(identifier: string, reason: string): EmergencyProblem | null {
  if (identifier.trim() === '') return 'noIdentifier';
  if (reason.trim().length < minimumReasonLength) return 'reasonTooShort';
  return null;
}

/** The HIE's answer as a sentence's key: 400 is a bad request (the form checks the same rules). */
export function problemOf(error: unknown): EmergencyProblem {
  if (error instanceof EmergencyAccessRefused) {
    if (error.status === 404) return 'unknownPatient';
    if (error.status === 400) return 'reasonTooShort';
    return 'refused';
  }
  if (error instanceof PatientNotArrived) return 'timeout';
  if (error instanceof SyncStop && error.code === 'OFFLINE') return 'offline';
  return 'failed';
}

/** Access was granted but the patient's record has not reached this device in time. */
export class PatientNotArrived extends Error {
  constructor() {
    super('patient not in the replica yet');
    this.name = 'PatientNotArrived';
  }
}

export type Waits = Readonly<{ sleep(ms: number): Promise<void>; intervalMs: number; timeoutMs: number }>;
const defaultWaits: Waits = { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), intervalMs: 500, timeoutMs: 60_000 };

/** Resolves with the patient's reference once the replica holds them; throws PatientNotArrived. */
export async function breakTheGlass(
  workspace: Pick<Workspace, 'transport' | 'record' | 'runner' | 'replica' | 'emergencyGranted'>,
  identifier: string,
  reason: string,
  waits: Waits = defaultWaits,
): Promise<string> {
  const grant = await requestEmergencyAccess(workspace.transport, { identifier: { value: identifier.trim() }, reason: reason.trim() });
  // The HIE has its own record; ours is the clinician's trail, and it must hold the reason.
  await workspace.record({ action: 'break-the-glass', patient: grant.patient, resource: grant.patient, emergency: { reason: reason.trim() } });
  // From now on the chart and every act on it are flagged, before the next sync confirms the grant.
  await workspace.emergencyGranted(grant.patient);
  workspace.runner.syncNow();
  for (let waited = 0; waited <= waits.timeoutMs; waited += waits.intervalMs) {
    const entry = await workspace.replica.getResource(grant.patient);
    if (entry?.resource) return grant.patient;
    await waits.sleep(waits.intervalMs);
  }
  throw new PatientNotArrived();
}

export const problemKey: Readonly<Record<EmergencyProblem, string>> = {
  reasonTooShort: 'emergency.problem.reasonTooShort',
  noIdentifier: 'emergency.problem.noIdentifier',
  unknownPatient: 'emergency.problem.unknownPatient',
  refused: 'emergency.problem.refused',
  offline: 'emergency.problem.offline',
  timeout: 'emergency.problem.timeout',
  failed: 'emergency.problem.failed',
};
