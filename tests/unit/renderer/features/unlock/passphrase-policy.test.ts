import { describe, expect, it } from 'vitest';
import { minimumPassphraseLength, passphraseContextWords, passphraseProblem } from '../../../../../renderer/features/unlock/passphrase-policy';
import { strengthEstimator } from '../../../../../renderer/features/unlock/passphrase-strength';

describe('unlock passphrase policy', () => {
  it('refuses a passphrase shorter than the minimum, counting characters not bytes', () => {
    expect(passphraseProblem('é'.repeat(minimumPassphraseLength - 1), '', 4)).toBe('too-short');
    expect(passphraseProblem('é'.repeat(minimumPassphraseLength), 'é'.repeat(minimumPassphraseLength), 4)).toBeNull();
  });

  it('takes IT’s longer minimum (policy passphraseMinLength), never a shorter one', () => {
    const sixteen = 'ф'.repeat(16);
    expect(passphraseProblem(sixteen.slice(1), sixteen.slice(1), 4, 16)).toBe('too-short');
    expect(passphraseProblem(sixteen, sixteen, 4, 16)).toBeNull();
    expect(passphraseProblem('ф'.repeat(11), 'ф'.repeat(11), 4, 8)).toBe('too-short');
  });

  it('refuses a long but guessable passphrase (zxcvbn score under 4), and one not yet measured', () => {
    expect(passphraseProblem('motdepasse123', 'motdepasse123', 2)).toBe('too-weak');
    expect(passphraseProblem('motdepasse123', 'motdepasse123', 3)).toBe('too-weak');
    expect(passphraseProblem('motdepasse123', 'motdepasse123', null)).toBe('too-weak');
  });

  it('asks for the confirmation, then for it to match (compared in NFC: é typed two ways is one é)', () => {
    const nfc = 'Marée haute à Saint-Malo';
    const nfd = nfc.normalize('NFD');
    expect(passphraseProblem(nfc, '', 4)).toBe('missing-confirmation');
    expect(passphraseProblem(nfc, `${nfc}!`, 4)).toBe('mismatch');
    expect(passphraseProblem(nfc, nfd, 4)).toBeNull();
  });
});

describe('the words an attacker would try first', () => {
  const practitioner = { resourceType: 'Practitioner', name: [{ family: 'Le Goff', given: ['Maëlle', 'Anne'], text: 'Dr Maëlle Le Goff' }] };

  it('are the clinician’s names, the HIE’s host name and the app’s name', () => {
    const words = passphraseContextWords(practitioner, 'https://hie.sante-bretagne.example/fhir');
    expect(words).toEqual(expect.arrayContaining(['relais', 'Maëlle', 'Anne', 'Le Goff', 'Goff', 'hie', 'sante', 'bretagne']));
    expect(passphraseContextWords(null, 'http://127.0.0.1:8787/fhir')).toEqual(['relais', 'Relais']);
  });

  it('with them, a passphrase built from the clinician’s and the HIE’s names no longer reaches the top score', { timeout: 45_000 }, async () => {
    const estimate = await strengthEstimator('fr');
    const guess = 'MaëlleLeGoffBretagne';
    const without = (await estimate(guess, ['relais'])).score;
    const withNames = (await estimate(guess, passphraseContextWords(practitioner, 'https://hie.sante-bretagne.example/fhir'))).score;
    expect(withNames).toBeLessThan(4);
    expect(withNames).toBeLessThan(without);
  });
});
