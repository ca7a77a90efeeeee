import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/ipc/contract';
import { en } from './en';
import { fr } from './fr';

export const catalogues = { fr, en } as const;

/** French first (the product is French-first); English when the system asks for it. */
export function preferredLanguage(saved: Language | null, systemLanguages: readonly string[]): Language {
  if (saved !== null) return saved;
  const first = systemLanguages[0]?.toLowerCase() ?? 'fr';
  return first.startsWith('en') ? 'en' : 'fr';
}

export async function createI18n(language: Language): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    supportedLngs: ['fr', 'en'],
    resources: { fr: { translation: fr }, en: { translation: en } },
    interpolation: { escapeValue: false }, // React escapes.
    returnNull: false,
  });
  return instance;
}
