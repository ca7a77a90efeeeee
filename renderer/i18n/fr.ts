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
  sync: {
    error: {
      AUTH_REQUIRED: 'Votre session auprès de l’échange de santé a expiré. Reconnectez-vous pour reprendre la synchronisation ; vos saisies sont conservées.',
      SERVER_BUSY: 'L’échange de santé est surchargé. Relais réessaiera automatiquement ; vos saisies sont conservées.',
      SERVER_ERROR: 'L’échange de santé rencontre une erreur. Relais réessaiera automatiquement ; si cela dure, prévenez votre service informatique.',
      MALFORMED_RESPONSE: 'L’échange de santé a envoyé une réponse illisible. Relais réessaiera ; si cela dure, prévenez votre service informatique.',
      UNEXPECTED_STATUS: 'L’échange de santé a refusé une demande. Si cela dure, prévenez votre service informatique.',
      LOCAL_STORAGE: 'Le disque de cet ordinateur est plein : libérez de la place pour que Relais puisse enregistrer les dossiers.',
      INTERNAL: 'La synchronisation a échoué de façon inattendue. Relais réessaiera ; si cela dure, prévenez votre service informatique.',
      WIPE_REQUIRED: 'L’échange de santé a retiré l’accès de cet appareil : la copie locale des dossiers a été effacée. Contactez votre service informatique.',
    },
  },
  errors: {
    saveLanguage: 'La langue n’a pas pu être enregistrée. Elle sera redemandée au prochain démarrage.',
  },
} as const;

type Widen<T> = { readonly [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof fr>;
