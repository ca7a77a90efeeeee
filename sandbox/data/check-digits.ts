/**
 * Check digits of the identifier and code systems the generator emits. The generator uses them
 * to build valid identifiers; the tests use them to prove every emitted code is well formed.
 */

// Verhoeff's dihedral check, as SNOMED CT uses it for SCTIDs (SNOMED CT TIG, "Check-digit").
const dihedral: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

// The permutation rows follow from the first one (p[i][j] = p[i-1][p[1][j]]); deriving them
// avoids a mistyped table.
const permutation: readonly (readonly number[])[] = (() => {
  const rows: number[][] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  ];
  for (let i = 2; i < 8; i++) {
    const previous = rows[i - 1] ?? [];
    const first = rows[1] ?? [];
    rows.push(first.map((value) => previous[value] ?? 0));
  }
  return rows;
})();

function isDigits(value: string): boolean {
  return /^[0-9]+$/.test(value);
}

export function isVerhoeffValid(value: string): boolean {
  if (!isDigits(value)) return false;
  let check = 0;
  const digits = [...value].reverse().map(Number);
  for (let i = 0; i < digits.length; i++) {
    check = dihedral[check]?.[permutation[i % 8]?.[digits[i] ?? 0] ?? 0] ?? 0;
  }
  return check === 0;
}

/** A SNOMED CT concept id: 6-18 digits, Verhoeff-valid, partition 00 (a concept). */
export function isSnomedConceptId(value: string): boolean {
  return /^[1-9][0-9]{5,17}$/.test(value) && value.slice(-3, -1) === '00' && isVerhoeffValid(value);
}

/** LOINC codes end with a mod-10 check digit (LOINC Users' Guide, appendix "Calculating Mod 10"). */
export function isLoincCode(value: string): boolean {
  const match = /^([0-9]{1,7})-([0-9])$/.exec(value);
  if (!match) return false;
  const [, body = '', check = ''] = match;
  let sum = 0;
  [...body].reverse().forEach((char, index) => {
    const digit = Number(char);
    if (index % 2 === 0) {
      const doubled = digit * 2;
      sum += Math.floor(doubled / 10) + (doubled % 10);
    } else {
      sum += digit;
    }
  });
  return (10 - (sum % 10)) % 10 === Number(check);
}

/** WHO ATC, level 5: A10BA02. */
export function isAtcCode(value: string): boolean {
  return /^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$/.test(value);
}

/** The French NIR (the INS value): 13 digits then a key of 97 - (number mod 97). */
export function nirKey(thirteenDigits: string): string {
  const key = 97 - Number(BigInt(thirteenDigits) % 97n);
  return String(key).padStart(2, '0');
}

export function isNirValid(value: string): boolean {
  return /^[12][0-9]{14}$/.test(value) && nirKey(value.slice(0, 13)) === value.slice(13);
}

/** NHS number: weights 10..2 on nine digits, check = 11 - (sum mod 11); 10 never issued. */
export function nhsCheckDigit(nineDigits: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nineDigits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}

export function isNhsNumberValid(value: string): boolean {
  return /^[0-9]{10}$/.test(value) && nhsCheckDigit(value.slice(0, 9)) === Number(value[9]);
}
