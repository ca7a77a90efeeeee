import { describe, expect, it } from 'vitest';
import { displayText } from '../../../../../renderer/features/record/fhir-text';
import { ageAt, identityOf } from '../../../../../renderer/features/record/patient-identity';

describe('who a Patient is, for display', () => {
  it('prints the official name family first in capitals, NFC, with known identifiers labelled', () => {
    const identity = identityOf({
      resourceType: 'Patient',
      name: [{ use: 'usual', family: 'X' }, { use: 'official', family: 'Le\u0301ve\u0302que', given: ['He\u0301le\u0300ne', 'Marie'] }],
      gender: 'female',
      birthDate: '1950-03-12',
      identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '250037512345678' }, { system: 'https://hie.relais.example.org/sid/ipp', value: 'IPP-100024' }],
    });
    expect(identity.fullName).toBe('LÉVÊQUE Hélène Marie');
    expect(identity.identifiers.map((i) => `${i.label} ${i.value}`)).toEqual(['INS 250037512345678', 'IPP IPP-100024']);
    expect(identity.sex).toBe('female');
  });

  it('strips the bidirectional controls that make a name read as another', () => {
    expect(displayText('Dupont\u202Eeniréné')).toBe('Duponteniréné');
    expect(displayText('a\u2066b\u2069c\u200F')).toBe('abc');
  });

  it('cuts a huge value to the length asked for', () => {
    expect([...displayText('x'.repeat(10_000), 80)]).toHaveLength(80);
  });

  it('gives completed years, months under two, and nothing without a birth date', () => {
    const today = new Date(2026, 10, 28);
    expect(ageAt('1950-11-29', today)).toEqual({ years: 75, months: 911 });
    expect(ageAt('1950-11-28', today)?.years).toBe(76);
    expect(ageAt('2025-05-10', today)).toEqual({ years: 1, months: 18 });
    expect(ageAt(null, today)).toBeNull();
  });
});
