/** A ciphertext that does not open: tampered, moved to another document, replayed, or under another key. */
export class IntegrityError extends Error {
  constructor() {
    super('The stored value failed its integrity check.');
    this.name = 'IntegrityError';
  }
}

/** The unlock passphrase (or the device secret) does not open the replica. */
export class WrongPassphraseError extends Error {
  constructor() {
    super('The passphrase is not correct.');
    this.name = 'WrongPassphraseError';
  }
}

/** A patient's data key is gone (crypto-shredded) or was never created on this device. */
export class MissingKeyError extends Error {
  constructor() {
    super('No key for this data on this device.');
    this.name = 'MissingKeyError';
  }
}
