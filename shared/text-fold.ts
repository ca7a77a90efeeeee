/**
 * Text folded for matching what a clinician types against names: lower case, no diacritics,
 * ligatures spelled out ("Hélène ŒUVRAY" → "helene oeuvray"). Pure; used by the patient search
 * (renderer/db, the data worker) and the medication dictionary (shared/medication, the page).
 */
const ligatures: Readonly<Record<string, string>> = { æ: 'ae', œ: 'oe', ø: 'o', ß: 'ss', đ: 'd', ł: 'l', ı: 'i' };

export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[æœøßđłı]/g, (c) => ligatures[c] ?? c);
}
