import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { defaultExternalOrigins } from '../../../shared/security/external-links';
import { useAppState, useHost } from '../../app/shell-context';
import { narrativeDocument } from './narrative/narrative-document';
import { createNarrativeSanitizer, type NarrativeSanitizer } from './narrative/sanitize-narrative';

let sanitizer: NarrativeSanitizer | null = null;
const sanitize = (xhtml: string) => (sanitizer ??= createNarrativeSanitizer(window, defaultExternalOrigins))(xhtml);

/**
 * A document's narrative, sanitized and shown in a sandboxed frame (no script, opaque origin, its
 * own CSP). Links cannot be followed inside it: they are listed below, and only an allowlisted
 * https origin can be opened — in the system browser, through the host.
 */
export function NarrativeFrame({ xhtml, title }: Readonly<{ xhtml: string; title: string }>) {
  const { t } = useTranslation();
  const host = useHost();
  const language = useAppState((s) => s.language);
  const setError = useAppState((s) => s.setError);
  const { srcDoc, links } = useMemo(() => {
    const clean = sanitize(xhtml);
    const stylesheetUrl = new URL('/narrative.css', window.location.href).href;
    return { srcDoc: narrativeDocument({ sanitizedHtml: clean.html, stylesheetUrl, language }), links: clean.links };
  }, [xhtml, language]);
  const open = async (url: string): Promise<void> => {
    try {
      await host.openExternal(url);
      setError(null);
    } catch {
      setError('errors.openLink');
    }
  };
  return (
    <div className="narrative">
      <iframe className="narrative__frame" sandbox="" srcDoc={srcDoc} title={title} referrerPolicy="no-referrer" />
      {links.length > 0 && (
        <div className="narrative__links">
          <h4>{t('chart.documents.links')}</h4>
          <ul className="plain-list">
            {links.map((link, i) => (
              <li key={`${i}-${link.url}`}>
                {link.text !== '' && <span>{link.text} — </span>}
                <code className="narrative__url">{link.url}</code>{' '}
                {link.allowed ? (
                  <button type="button" className="button" onClick={() => void open(link.url)}>
                    {t('chart.documents.openLink')}
                  </button>
                ) : (
                  <span className="hint">{t('chart.documents.linkRefused')}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
