import type { Messages } from '../fr';

type Shell = Pick<Messages, 'app' | 'network' | 'language' | 'nav' | 'signIn' | 'passphrase' | 'unlock' | 'lock' | 'errors'>;

export const shellEn: Shell = {
  app: {
    name: 'Relais',
    tagline: "Your patients' records, even without a network.",
    skipToContent: 'Skip to content',
    starting: 'Opening Relais…',
  },
  network: {
    online: 'Online',
    offline: 'Offline',
    offlineHint: 'You can keep working: your entries will be sent when the network is back.',
  },
  language: {
    label: 'Language',
    fr: 'Français',
    en: 'English',
  },
  nav: {
    label: 'Workspace',
    patients: 'Patient list',
    conflicts: 'Conflicts to review',
    accessLog: 'My access log',
  },
  signIn: {
    title: 'Sign in to the health information exchange',
    intro: 'Relais keeps the records of the patients you care for on this computer, encrypted, and syncs them with the health information exchange.',
    step1: 'Sign in with your health information exchange account.',
    step2: 'Choose an unlock passphrase for this computer.',
    step3: 'Relais downloads your patients’ records; you can work in the meantime.',
    action: 'Sign in to the health information exchange',
    busy: 'Opening the sign-in page…',
    error: {
      cancelled: 'Sign-in was cancelled. You can start again whenever you like.',
      unreachable: 'The health information exchange does not answer. Check the network, then try again.',
      failed: 'Sign-in did not complete. Try again; if it happens again, tell your IT department.',
      otherClinician: 'This account is not the one this computer’s records belong to. Sign in again with your own account.',
    },
  },
  passphrase: {
    title: 'Choose your unlock passphrase',
    intro: 'Together with this computer’s own key, it protects the records stored here. You will be asked for it at every start and after a period of inactivity. Nobody can recover it for you: keep a note of it somewhere safe.',
    rules: 'At least {{length}} characters; several unrelated words make a good passphrase.',
    new: 'Unlock passphrase',
    confirm: 'Confirm the passphrase',
    show: 'Show',
    hide: 'Hide',
    submit: 'Protect the records',
    busy: 'Protecting…',
    strength: {
      label: 'Strength',
      empty: 'not entered yet',
      measuring: 'measuring…',
      0: 'very weak',
      1: 'weak',
      2: 'fair',
      3: 'good',
      4: 'excellent',
    },
    problem: {
      tooShort: 'The passphrase is too short.',
      tooWeak: 'The passphrase is too easy to guess: add more words.',
      mismatch: 'The two passphrases are not the same.',
      missingConfirmation: 'Type the passphrase a second time to confirm it.',
    },
    error: {
      create: 'Protecting the records failed. Try again; if it happens again, tell your IT department.',
    },
  },
  unlock: {
    title: 'Relais is locked',
    passphrase: 'Unlock passphrase',
    submit: 'Unlock',
    busy: 'Unlocking…',
    offline: 'Unlocking works without a network too.',
    reason: {
      start: 'Enter your unlock passphrase to open the records.',
      idle: 'Locked after {{minutes}} min without activity: the records are hidden and the keys erased from memory.',
      manual: 'You locked Relais: the records are hidden and the keys erased from memory.',
    },
    error: {
      wrongPassphrase: 'This passphrase does not unlock the records. Check what you typed (capitals, accents) and try again.',
      mismatch: 'The records on this computer were encrypted under another vault. Tell your IT department.',
      open: 'The records could not be opened. Try again; if it happens again, tell your IT department.',
      storage: 'This computer’s storage cannot be reached. Restart Relais; if it happens again, tell your IT department.',
      keychain: 'No secure keychain is available on this computer, so Relais cannot protect the records. Your IT department must install or unlock the system keychain.',
      throttled: 'Too many wrong passphrases in a row: wait a few seconds, then try again. Each new mistake doubles the wait.',
      signInRequired: 'Too many wrong passphrases: for safety, sign in to the HIE (network needed) before unlocking again.',
      leaseExpired: 'Relais has been offline too long to open the records without the HIE: connect to the network and sign in, then unlock.',
      deviceSecretLost: 'This computer’s keychain no longer holds Relais’s key, so the records stored here cannot be opened. Tell your IT department (code DEVICE_SECRET_LOST); the records are still on the HIE.',
    },
    signIn: 'Sign in to the HIE',
    unavailableTitle: 'Relais cannot open the records here',
  },
  lock: {
    after: 'Lock after',
    minutes: '{{minutes}} min.',
    now: 'Lock',
  },
  errors: {
    saveLanguage: 'The language could not be saved. You will be asked again at next start.',
    openLink: 'This link cannot be opened: its address is not one of the allowed sites.',
  },
};
