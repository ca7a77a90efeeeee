import { describe, expect, it } from 'vitest';
import { ucumForPeople, unitLabel } from '../../../../renderer/i18n/format';

describe('UCUM units as people write them', () => {
  it.each([
    ['10*3/uL', '10³/µL', '10³/µL'],
    ['10*6/uL', '10⁶/µL', '10⁶/µL'],
    ['10*9/L', '10⁹/L', '10⁹/L'],
    ['x10^9/L', '×10⁹/L', '×10⁹/L'],
    ['{copies}/mL', 'copies/mL', 'copies/mL'],
    ['{score}', '', ''],
    ['kg/m2', 'kg/m²', 'kg/m²'],
    ['mm[Hg]', 'mmHg', 'mmHg'],
    ['[iU]', 'IU', 'UI'],
    ['m[IU]/L', 'mIU/L', 'mUI/L'],
    ['mg/g{creat}', 'mg/g', 'mg/g'],
    ['/uL', '/µL', '/µL'],
    ['umol/L', 'µmol/L', 'µmol/L'],
    ['Cel', '°C', '°C'],
    ['mL/min/{1.73_m2}', 'mL/min/1.73 m²', 'mL/min/1,73 m²'],
  ])('%s → %s (en), %s (fr)', (code, en, fr) => {
    expect(ucumForPeople(code, 'en')).toBe(en);
    expect(ucumForPeople(code, 'fr')).toBe(fr);
  });

  it('prefers a known code, then a unit written for people, then the code made readable', () => {
    expect(unitLabel('Cel', 'degrees C', 'en')).toBe('°C');
    expect(unitLabel('/uL', 'cells/uL', 'en')).toBe('cells/µL');
    expect(unitLabel('10*3/uL', '10*3/uL', 'fr')).toBe('10³/µL');
    expect(unitLabel(null, 'x10^9/L', 'en')).toBe('×10⁹/L');
    expect(unitLabel('{score}', '{score}', 'en')).toBe('');
    expect(unitLabel('mmol/mol', '', 'en')).toBe('mmol/mol');
    expect(unitLabel('kg/m2', 'kg/m2', 'fr')).toBe('kg/m²');
  });
});
