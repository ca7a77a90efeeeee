import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { formatDateTime } from '../../../i18n/format';
import { displayText } from '../../record/fhir-text';
import type { DocumentItem } from '../documents';
import { NarrativeFrame } from '../NarrativeFrame';
import { SyncBadge } from '../SyncBadge';

/** The chart's documents, newest first; the chosen one is read below the list. */
export function DocumentsSection({ documents, language }: Readonly<{ documents: readonly DocumentItem[]; language: Language }>) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<string | null>(documents[0]?.ref ?? null);
  if (documents.length === 0) return <p>{t('chart.documents.none')}</p>;
  const document = documents.find((d) => d.ref === chosen) ?? documents[0];
  return (
    <div className="documents">
      <ul className="documents__list" aria-label={t('chart.documents.list')}>
        {documents.map((d) => (
          <li key={d.ref}>
            <button type="button" className="button button--quiet documents__item" aria-current={d.ref === document?.ref ? 'true' : undefined} onClick={() => setChosen(d.ref)}>
              <span className="documents__title">{d.title || t('chart.documents.untitled')}</span>
              <span className="hint">{formatDateTime(d.date, language)}</span>
              <SyncBadge state={d.syncState} />
            </button>
          </li>
        ))}
      </ul>
      {document !== undefined && (
        <article className="documents__reader" aria-label={document.title || t('chart.documents.untitled')}>
          <h3>{document.title || t('chart.documents.untitled')}</h3>
          <p className="hint">{formatDateTime(document.date, language)}</p>
          {document.plainText !== null && <p className="note-text">{displayText(document.plainText, 20_000)}</p>}
          {document.sections.map((section, i) => (
            <section key={`${document.ref}-${i}`} className="documents__section">
              {section.title !== '' && <h4>{section.title}</h4>}
              {section.xhtml !== null ? (
                <NarrativeFrame xhtml={section.xhtml} title={t('chart.documents.frameTitle', { title: section.title || document.title })} />
              ) : (
                <p className="hint">{t('chart.documents.noNarrative')}</p>
              )}
            </section>
          ))}
          {document.externalUrls.length > 0 && (
            <p className="hint">
              {t('chart.documents.external')} {document.externalUrls.map((u) => displayText(u, 200)).join(', ')}
            </p>
          )}
        </article>
      )}
    </div>
  );
}
