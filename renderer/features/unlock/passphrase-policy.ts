/**
 * What an unlock passphrase must be. It guards the replica together with the device secret, so a
 * weak one matters most when the laptop is stolen with its keychain: hence a length floor and a
 * zxcvbn score floor (3 = "safely unguessable: moderate protection from offline slow-hash attacks",
 * which the 600k-iteration PBKDF2 then multiplies).
 */
export const minimumPassphraseLength = 12;
export const minimumStrengthScore = 3;

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export type PassphraseProblem = 'too-short' | 'too-weak' | 'mismatch' | 'missing-confirmation';

/** The first thing wrong with a passphrase choice, or null when it may be used. */
export function passphraseProblem(passphrase: string, confirmation: string, score: StrengthScore | null): PassphraseProblem | null {
  if ([...passphrase.normalize('NFC')].length < minimumPassphraseLength) return 'too-short';
  if (score === null || score < minimumStrengthScore) return 'too-weak';
  if (confirmation === '') return 'missing-confirmation';
  if (passphrase.normalize('NFC') !== confirmation.normalize('NFC')) return 'mismatch';
  return null;
}

/** i18n keys, one per problem and per score (literal, so the catalogue test finds them). */
export const passphraseProblemKey: Readonly<Record<PassphraseProblem, string>> = {
  'too-short': 'passphrase.problem.tooShort',
  'too-weak': 'passphrase.problem.tooWeak',
  mismatch: 'passphrase.problem.mismatch',
  'missing-confirmation': 'passphrase.problem.missingConfirmation',
};

export const strengthKey: Readonly<Record<StrengthScore, string>> = {
  0: 'passphrase.strength.0',
  1: 'passphrase.strength.1',
  2: 'passphrase.strength.2',
  3: 'passphrase.strength.3',
  4: 'passphrase.strength.4',
};
