import type { Messages } from './fr';

export const en: Messages = {
  app: {
    name: 'Relais',
    tagline: "Your patients' records, even without a network.",
    skipToContent: 'Skip to content',
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
  home: {
    title: 'Welcome',
    empty: 'No record has been synchronized to this device yet.',
    next: 'Connecting to the health information exchange comes in a later version.',
  },
  sync: {
    error: {
      AUTH_REQUIRED: 'Your session with the health information exchange has expired. Sign in again to resume sync; your entries are kept.',
      SERVER_BUSY: 'The health information exchange is busy. Relais will retry automatically; your entries are kept.',
      SERVER_ERROR: 'The health information exchange has an error. Relais will retry automatically; if it persists, tell your IT department.',
      MALFORMED_RESPONSE: 'The health information exchange sent an unreadable answer. Relais will retry; if it persists, tell your IT department.',
      UNEXPECTED_STATUS: 'The health information exchange refused a request. If it persists, tell your IT department.',
      LOCAL_STORAGE: 'This computer’s disk is full: free some space so Relais can save records.',
      INTERNAL: 'Sync failed unexpectedly. Relais will retry; if it persists, tell your IT department.',
      WIPE_REQUIRED: 'The health information exchange withdrew this device’s access: the local copy of the records has been erased. Contact your IT department.',
    },
  },
  errors: {
    saveLanguage: 'The language could not be saved. You will be asked again at next start.',
  },
};
