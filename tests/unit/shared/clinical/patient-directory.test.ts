import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../../shared/fhir/resource';
import type { OutboxEntry } from '../../../../shared/sync/ports';
import { keptDays } from '../../../../renderer/db/change-log';
import { buildPatientRows, recentWindowDays, visibleRows } from '../../../../shared/clinical/patient-directory';
import { queryKind } from '../../../../renderer/features/patients/patient-list-store';

const now = new Date('2026-11-28T10:00:00Z');
const patient = (id: string, family: string, given: string, extra: Record<string, unknown> = {}): { ref: string; resource: FhirResource; syncState: string } => ({
  ref: `Patient/${id}`,
  syncState: 'synced',
  resource: { resourceType: 'Patient', id, meta: { versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' }, name: [{ use: 'official', family, given: [given] }], gender: 'female', birthDate: '1950-03-12', ...extra },
});
const appointment = (patientId: string, start: string, status = 'booked'): { resource: FhirResource } => ({
  resource: { resourceType: 'Appointment', id: `a-${patientId}-${start}`, status, start, participant: [{ actor: { reference: `Patient/${patientId}` } }] },
});
const edit = (patientRef: string, state: OutboxEntry['state'] = 'ready'): OutboxEntry => ({
  id: `e-${patientRef}`, ref: 'Observation/x', op: 'create', resource: { resourceType: 'Observation' }, baseVersionId: null, base: null, patient: patientRef, group: 'g', createdAt: '', state,
});

describe('patient list rows', () => {
  it('sorts by family name the French way (accents do not push Éric to the end) and reads age and sex', () => {
    const rows = buildPatientRows({
      patients: [patient('1', 'Zola', 'Émile'), patient('2', 'Étienne', 'Hélène'), patient('3', 'Dupont', 'Noémie')],
      appointments: [],
      outbox: [],
      now,
    });
    expect(rows.map((r) => r.family)).toEqual(['Dupont', 'Étienne', 'Zola']);
    expect(rows[1]).toMatchObject({ fullName: 'ÉTIENNE Hélène', sex: 'female', age: { years: 76 } });
  });

  it('marks patients with unsent edits or open conflicts', () => {
    const rows = buildPatientRows({ patients: [patient('1', 'A', 'a'), patient('2', 'B', 'b'), patient('3', 'C', 'c')], appointments: [], outbox: [edit('Patient/1'), edit('Patient/2', 'conflict')], now });
    expect(rows.map((r) => [r.pending, r.conflict])).toEqual([[true, false], [false, true], [false, false]]);
  });

  it('knows the next booked appointment within 14 days, not a past, far or cancelled one', () => {
    const rows = buildPatientRows({
      patients: [patient('1', 'A', 'a'), patient('2', 'B', 'b'), patient('3', 'C', 'c'), patient('4', 'D', 'd')],
      appointments: [
        appointment('1', '2026-12-05T09:00:00Z'), appointment('1', '2026-12-02T09:00:00Z'),
        appointment('2', '2026-11-20T09:00:00Z'), appointment('3', '2027-01-20T09:00:00Z'), appointment('4', '2026-12-01T09:00:00Z', 'cancelled'),
      ],
      outbox: [],
      now,
    });
    expect(rows.map((r) => r.nextAppointment)).toEqual(['2026-12-02T09:00:00Z', null, null, null]);
    expect(visibleRows(rows, null, { upcoming: true, recent: false }, now).map((r) => r.ref)).toEqual(['Patient/1']);
  });

  it('filters recently changed patients: a change in the last 7 days, or an unsent edit', () => {
    const rows = buildPatientRows({
      patients: [patient('1', 'A', 'a', { meta: { versionId: '2', lastUpdated: '2026-11-27T08:00:00Z' } }), patient('2', 'B', 'b'), patient('3', 'C', 'c')],
      appointments: [],
      outbox: [edit('Patient/3')],
      now,
    });
    expect(visibleRows(rows, null, { upcoming: false, recent: true }, now).map((r) => r.ref)).toEqual(['Patient/1', 'Patient/3']);
  });

  it('counts any of the patient’s records as a change: a new result makes them recently changed, an old one does not', () => {
    const rows = buildPatientRows({
      patients: [patient('1', 'A', 'a'), patient('2', 'B', 'b'), patient('3', 'C', 'c')],
      appointments: [],
      outbox: [],
      changes: new Map([
        ['Patient/2', '2026-11-26T15:30:00Z'],
        ['Patient/3', '2026-11-01T09:00:00Z'],
      ]),
      now,
    });
    expect(rows.map((r) => r.changedAt)).toEqual([Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-11-26T15:30:00Z'), Date.parse('2026-11-01T09:00:00Z')]);
    expect(visibleRows(rows, null, { upcoming: false, recent: true }, now).map((r) => r.ref)).toEqual(['Patient/2']);
    // The replica keeps a longer window than the filter shows, so no recent change is ever pruned.
    expect(keptDays).toBeGreaterThan(recentWindowDays);
  });

  it('shows search matches in the index’s order, then applies the filters on them', () => {
    const rows = buildPatientRows({ patients: [patient('1', 'A', 'a'), patient('2', 'B', 'b'), patient('3', 'C', 'c')], appointments: [], outbox: [edit('Patient/2')], now });
    expect(visibleRows(rows, ['Patient/3', 'Patient/2'], { upcoming: false, recent: false }, now).map((r) => r.ref)).toEqual(['Patient/3', 'Patient/2']);
    expect(visibleRows(rows, ['Patient/3', 'Patient/2'], { upcoming: false, recent: true }, now).map((r) => r.ref)).toEqual(['Patient/2']);
  });

  it('builds 2,500 rows (the design point) into a list of that length', () => {
    const many = Array.from({ length: 2_500 }, (_, i) => patient(String(i), `Nom${i % 97}`, `Prénom${i}`));
    expect(buildPatientRows({ patients: many, appointments: [], outbox: [], now })).toHaveLength(2_500);
  });
});

describe('search kinds for the audit trail', () => {
  it('tells a birth date, an identifier and a name apart, never keeping the text', () => {
    expect(queryKind('12/03/1950')).toBe('birthdate');
    expect(queryKind('1950-03')).toBe('birthdate');
    expect(queryKind('1 85 05 78 006')).toBe('identifier');
    expect(queryKind('IPP-100024')).toBe('identifier');
    expect(queryKind('hélène dup')).toBe('name');
  });
});
