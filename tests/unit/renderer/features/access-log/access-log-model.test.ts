import { describe, expect, it } from 'vitest';
import { auditEvent, type AuditInput } from '../../../../../shared/audit/audit-event';
import type { AuditLink } from '../../../../../shared/audit/chain';
import { accessRows, actionLabelKey } from '../../../../../renderer/features/access-log/access-log-model';

const input = (over: Partial<AuditInput>): AuditInput => ({
  id: 'e',
  action: 'chart-open',
  recorded: '2026-11-28T10:00:00Z',
  practitioner: 'Practitioner/d',
  deviceId: 'device',
  patient: 'Patient/p1',
  outcome: 'success',
  ...over,
});
const link = (seq: number, over: Partial<AuditInput> = {}): AuditLink => ({ seq, previous: '', hash: `h${seq}`, event: auditEvent(input({ id: `e${seq}`, ...over })) });

describe('the access log, read back from the BALP events', () => {
  it('names each action from type, subtype and purpose (a read under BTG is an emergency access)', () => {
    const actions = ['chart-open', 'search', 'create', 'update', 'delete', 'export'] as const;
    const trail = actions.map((action, i) => link(i + 1, { action, ...(action === 'search' ? { patient: null, queryKind: 'name' } : {}) }));
    trail.push(link(7, { action: 'break-the-glass', emergency: { reason: 'Patient inconscient' } }));
    const rows = accessRows(trail, []);
    expect(rows.map((r) => r.action)).toEqual(['break-the-glass', 'export', 'delete', 'update', 'create', 'search', 'chart-open']);
    expect(rows.every((r) => actionLabelKey[r.action].startsWith('accessLog.action.'))).toBe(true);
  });

  it('reads the patient, the outcome, the emergency reason and the offline flag', () => {
    const [btg, search, offline] = accessRows(
      [link(1, { outcome: 'serious-failure', offline: true, resource: 'Observation/o1' }), link(2, { action: 'search', patient: null, queryKind: 'name' }), link(3, { action: 'break-the-glass', patient: 'Patient/p9', emergency: { reason: 'Patient inconscient' } })],
      [],
    );
    expect(btg).toMatchObject({ seq: 3, patient: 'Patient/p9', emergencyReason: 'Patient inconscient', offline: false, outcome: 'success', recorded: '2026-11-28T10:00:00Z' });
    expect(search).toMatchObject({ patient: null, emergencyReason: null });
    expect(offline).toMatchObject({ patient: 'Patient/p1', outcome: 'serious-failure', offline: true });
  });

  it('tells the emergency access itself from a chart opened or an edit made under its grant', () => {
    const [edit, open, access] = accessRows(
      [
        link(1, { action: 'break-the-glass', patient: 'Patient/p9', emergency: { reason: 'Patient inconscient' } }),
        link(2, { action: 'chart-open', patient: 'Patient/p9', underEmergencyAccess: true }),
        link(3, { action: 'create', patient: 'Patient/p9', resource: 'Observation/o1', underEmergencyAccess: true }),
      ],
      [],
    );
    expect(access).toMatchObject({ action: 'break-the-glass', emergencyReason: 'Patient inconscient', underEmergency: false });
    expect(open).toMatchObject({ action: 'chart-open', emergencyReason: null, underEmergency: true });
    expect(edit).toMatchObject({ action: 'create', emergencyReason: null, underEmergency: true });
    expect(accessRows([link(4)], [])[0]).toMatchObject({ action: 'chart-open', underEmergency: false });
  });

  it('marks as sent what is past the upload cursor, waiting what is still pending', () => {
    const trail = [link(1), link(2), link(3)];
    const rows = accessRows(trail, [trail[2] as AuditLink]);
    expect(rows.map((r) => [r.seq, r.uploaded])).toEqual([
      [3, false],
      [2, true],
      [1, true],
    ]);
  });

  it('keeps the newest rows only, past the limit', () => {
    const trail = Array.from({ length: 12 }, (_, i) => link(i + 1));
    expect(accessRows(trail, [], 5).map((r) => r.seq)).toEqual([12, 11, 10, 9, 8]);
  });

  it('survives a row that no longer opens (an empty event)', () => {
    const [row] = accessRows([{ seq: 1, previous: '', hash: '', event: { resourceType: 'AuditEvent' } }], []);
    expect(row).toMatchObject({ action: 'unknown', patient: null, outcome: 'unknown', recorded: null });
  });
});
