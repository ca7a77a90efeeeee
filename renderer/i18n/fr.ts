/** French, the reference language: every other catalogue must have exactly these keys. */
export const fr = {
  app: {
    name: 'Relais',
    tagline: 'Le dossier de vos patients, même sans réseau.',
    skipToContent: 'Aller au contenu',
  },
  network: {
    online: 'En ligne',
    offline: 'Hors ligne',
    offlineHint: 'Vous pouvez continuer à travailler : vos saisies seront envoyées au retour du réseau.',
  },
  language: {
    label: 'Langue',
    fr: 'Français',
    en: 'English',
  },
  home: {
    title: 'Bienvenue',
    empty: 'Aucun dossier n’est encore synchronisé sur cet appareil.',
    next: 'La connexion à l’échange de santé arrive dans une prochaine version.',
  },
  errors: {
    saveLanguage: 'La langue n’a pas pu être enregistrée. Elle sera redemandée au prochain démarrage.',
  },
} as const;

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof fr>;
