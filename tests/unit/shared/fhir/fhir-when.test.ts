import { afterEach, describe, expect, it } from 'vitest';
import { formatWhen } from '../../../../renderer/i18n/format';
import { dayOf, parseWhen, whenOfResource } from '../../../../shared/fhir/fhir-when';

/**
 * The one date rule, checked in three laptop time zones (Node re-reads TZ when it changes): an
 * instant is shown in the laptop's zone and falls on the laptop's day; a date is never shifted.
 */
const zones = ['Europe/Paris', 'America/New_York', 'Australia/Sydney'] as const;
const original = process.env['TZ'];
afterEach(() => {
  process.env['TZ'] = original;
});
const inZone = <T>(zone: string, f: () => T): T => {
  process.env['TZ'] = zone;
  return f();
};

describe('the date rule', () => {
  it('reads dates, partial dates and instants; refuses what is not one', () => {
    expect(parseWhen('2014')).toMatchObject({ kind: 'date', precision: 'year' });
    expect(parseWhen('2014-06')).toMatchObject({ kind: 'date', precision: 'month' });
    expect(parseWhen('2014-06-18')).toMatchObject({ kind: 'date', precision: 'day', year: 2014, month: 6, day: 18 });
    expect(parseWhen('2024-04-08T00:30:00+10:00')).toMatchObject({ kind: 'instant', ms: Date.UTC(2024, 3, 7, 14, 30) });
    for (const bad of ['', 'yesterday', '2014-13-01', '2014-06-18T25', 42, null]) expect(parseWhen(bad)).toBeNull();
  });

  it('puts a Sydney result taken 30 minutes after midnight (+10:00) on the laptop’s day in each zone', () => {
    const when = parseWhen('2024-04-08T00:30:00+10:00');
    if (when === null) throw new Error('not parsed');
    expect(inZone('Europe/Paris', () => dayOf(when))).toBe('2024-04-07');
    expect(inZone('America/New_York', () => dayOf(when))).toBe('2024-04-07');
    expect(inZone('Australia/Sydney', () => dayOf(when))).toBe('2024-04-08');
    expect(inZone('UTC', () => dayOf(when))).toBe('2024-04-07');
  });

  it('shows the same instant at the laptop’s time, across the DST changes of the source and of the laptop', () => {
    // New York's repeated 01:30 on 3 November 2024: EDT then EST, one hour apart.
    const first = parseWhen('2024-11-03T01:30:00-04:00');
    const second = parseWhen('2024-11-03T01:30:00-05:00');
    if (first === null || second === null) throw new Error('not parsed');
    expect(inZone('Europe/Paris', () => [formatWhen(first, 'en'), formatWhen(second, 'en')])).toEqual(['03/11/2024, 06:30', '03/11/2024, 07:30']);
    expect(inZone('America/New_York', () => [formatWhen(first, 'en'), formatWhen(second, 'en')])).toEqual(['03/11/2024, 01:30', '03/11/2024, 01:30']);
    // UTC source, Paris laptop across the start of summer time (31 March 2024 01:00 UTC).
    const before = parseWhen('2024-03-31T00:40:00Z');
    const after = parseWhen('2024-03-31T11:15:00Z');
    if (before === null || after === null) throw new Error('not parsed');
    expect(inZone('Europe/Paris', () => [formatWhen(before, 'fr'), formatWhen(after, 'fr')])).toEqual(['31/03/2024 01:40', '31/03/2024 13:15']);
  });

  it('never shifts a date without a time, in any zone', () => {
    for (const zone of zones) {
      const when = parseWhen('2019-05-02');
      if (when === null) throw new Error('not parsed');
      expect(inZone(zone, () => [dayOf(when), formatWhen(when, 'fr')])).toEqual(['2019-05-02', '02/05/2019']);
    }
  });

  it('takes each type’s own element for when it happened', () => {
    expect(whenOfResource({ resourceType: 'Procedure', performedPeriod: { start: '2013-11-08T09:14:04-05:00' } })?.text).toBe('2013-11-08T09:14:04-05:00');
    expect(whenOfResource({ resourceType: 'Immunization', occurrenceString: 'Summer 2016' })).toBeNull();
    expect(whenOfResource({ resourceType: 'MedicationDispense', whenHandedOver: '2024-03-16T10:05:00+01:00' })?.kind).toBe('instant');
    expect(whenOfResource({ resourceType: 'Specimen', collection: { collectedDateTime: '2024-01-18T07:30:00+01:00' } })?.kind).toBe('instant');
    expect(whenOfResource({ resourceType: 'SomethingNew', date: '2020-01-01' })?.text).toBe('2020-01-01');
  });
});
