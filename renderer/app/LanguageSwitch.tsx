import { useTranslation } from 'react-i18next';
import { languageSchema, type Language } from '../../shared/ipc/contract';
import { useAppState, useHost } from './shell-context';

/** FR/EN switch; the choice is saved through the host and applied at the next start too. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const host = useHost();
  const language = useAppState((s) => s.language);
  const setLanguage = useAppState((s) => s.setLanguage);
  const setError = useAppState((s) => s.setError);

  const choose = async (next: Language): Promise<void> => {
    setLanguage(next);
    await i18n.changeLanguage(next);
    document.documentElement.lang = next;
    try {
      await host.saveLanguage(next);
      setError(null);
    } catch {
      setError('errors.saveLanguage');
    }
  };

  return (
    <label className="language">
      <span>{t('language.label')}</span>
      <select
        value={language}
        onChange={(event) => {
          const parsed = languageSchema.safeParse(event.target.value);
          if (parsed.success) void choose(parsed.data);
        }}
      >
        <option value="fr" lang="fr">
          {t('language.fr')}
        </option>
        <option value="en" lang="en">
          {t('language.en')}
        </option>
      </select>
    </label>
  );
}
