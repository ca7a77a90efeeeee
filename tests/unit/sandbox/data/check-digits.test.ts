import { describe, expect, it } from 'vitest';
import { isAtcCode, isLoincCode, isNhsNumberValid, isNirValid, isSnomedConceptId, isVerhoeffValid, nirKey } from '../../../../sandbox/data/check-digits.ts';

describe('check digits', () => {
  it('accepts SNOMED CT concept ids with a valid Verhoeff digit and refuses a changed digit', () => {
    for (const id of ['138875005', '404684003', '38341003', '195967001', '709044004']) expect(isSnomedConceptId(id)).toBe(true);
    expect(isSnomedConceptId('138875006')).toBe(false);
    expect(isSnomedConceptId('138875015')).toBe(false); // partition 01 is a description, not a concept
    expect(isVerhoeffValid('2363')).toBe(true);
    expect(isVerhoeffValid('2364')).toBe(false);
  });

  it('checks LOINC mod-10 check digits', () => {
    for (const code of ['8480-6', '8462-4', '85354-9', '2339-0', '59408-5']) expect(isLoincCode(code)).toBe(true);
    expect(isLoincCode('8480-7')).toBe(false);
    expect(isLoincCode('8480')).toBe(false);
  });

  it('recognises ATC level-5 codes', () => {
    expect(isAtcCode('B01AA03')).toBe(true);
    expect(isAtcCode('B01AA3')).toBe(false);
  });

  it('computes the NIR key (97 - n mod 97) and NHS mod-11 check digits', () => {
    const body = '2690549588157';
    expect(nirKey(body)).toBe(String(97 - Number(BigInt(body) % 97n)).padStart(2, '0'));
    expect(isNirValid(body + nirKey(body))).toBe(true);
    expect(isNirValid(body + '00')).toBe(nirKey(body) === '00');
    expect(isNhsNumberValid('9434765919')).toBe(true);
    expect(isNhsNumberValid('9434765918')).toBe(false);
  });
});
