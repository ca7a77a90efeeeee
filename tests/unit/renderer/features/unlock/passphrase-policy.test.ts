import { describe, expect, it } from 'vitest';
import { minimumPassphraseLength, passphraseProblem } from '../../../../../renderer/features/unlock/passphrase-policy';

describe('unlock passphrase policy', () => {
  it('refuses a passphrase shorter than the minimum, counting characters not bytes', () => {
    expect(passphraseProblem('é'.repeat(minimumPassphraseLength - 1), '', 4)).toBe('too-short');
    expect(passphraseProblem('é'.repeat(minimumPassphraseLength), 'é'.repeat(minimumPassphraseLength), 4)).toBeNull();
  });

  it('refuses a long but guessable passphrase (zxcvbn score under 3), and one not yet measured', () => {
    expect(passphraseProblem('motdepasse123', 'motdepasse123', 2)).toBe('too-weak');
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
