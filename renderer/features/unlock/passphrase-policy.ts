/**
 * What an unlock passphrase must be. It guards the replica together with the device secret, so a
 * weak one matters most when the laptop is stolen with its keychain: hence a length floor and
 * zxcvbn's top score (4 = "very unguessable: strong protection from offline slow-hash attacks"),
 * measured with the clinician's own name and the HIE's name in the dictionary, so neither makes a
 * passphrase look stronger than it is.
 */
export const minimumPassphraseLength = 12;
export const minimumStrengthScore = 4;

/**
 * The words an attacker who knows whose laptop it is would try first: the clinician's names (from
 * their Practitioner resource, when it could be read), the HIE's host name, the app's name.
 */
export function passphraseContextWords(practitioner: unknown, fhirBase: string): string[] {
  const words = new Set<string>(['relais', 'Relais']);
  const add = (value: unknown): void => {
    if (typeof value !== 'string') return;
    for (const word of value.split(/[\s,.'’-]+/)) if (word.length >= 2) words.add(word);
    if (value.trim().length >= 2) words.add(value.trim());
    // "Le Goff" is also typed "LeGoff".
    if (/\s/.test(value.trim())) words.add(value.replace(/\s+/g, ''));
  };
  const names = (practitioner as { name?: unknown } | null)?.name;
  if (Array.isArray(names)) {
    for (const name of names as Array<{ text?: unknown; family?: unknown; given?: unknown; prefix?: unknown }>) {
      add(name.text);
      add(name.family);
      if (Array.isArray(name.given)) for (const given of name.given) add(given);
    }
  }
  try {
    for (const label of new URL(fhirBase).hostname.split(/[.-]/)) if (label.length >= 3 && !/^\d+$/.test(label)) words.add(label);
  } catch {
    // no host words
  }
  return [...words];
}

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

export type PassphraseProblem = 'too-short' | 'too-weak' | 'mismatch' | 'missing-confirmation';

/**
 * The first thing wrong with a passphrase choice, or null when it may be used. `minLength`: IT's
 * (policy `passphraseMinLength`), never below the built-in 12 characters.
 */
export function passphraseProblem(passphrase: string, confirmation: string, score: StrengthScore | null, minLength: number = minimumPassphraseLength): PassphraseProblem | null {
  if ([...passphrase.normalize('NFC')].length < Math.max(minLength, minimumPassphraseLength)) return 'too-short';
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
