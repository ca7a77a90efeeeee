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
  errors: {
    saveLanguage: 'The language could not be saved. You will be asked again at next start.',
  },
};
