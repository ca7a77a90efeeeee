import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../../../shared/ipc/contract';
import { displayText } from '../../../../shared/fhir/fhir-text';
import { NoneRecorded, StatusTag, WhenText } from '../ChartBits';
import type { DocumentItem } from '../documents';
import { NarrativeFrame } from '../NarrativeFrame';
import { ResourceDetails } from '../ResourceDetails';
import { SyncBadge } from '../SyncBadge';
import { AttachmentFiles } from './AttachmentFiles';
import type { ImportRecord } from '../import-records';

/**
 * The chart's documents, newest first; the chosen one is read below the list. A superseded
 * document, or one entered in error, stays listed and is marked, with the one that replaces it.
 */
const marked = (d: DocumentItem): boolean => d.status === 'superseded' || d.status === 'entered-in-error' || d.replacedBy.length > 0;

export function DocumentsSection({ documents, imports, language }: Readonly<{ documents: readonly DocumentItem[]; imports: readonly ImportRecord[]; language: Language }>) {
  const { t } = useTranslation();
  const ordered = [...documents.filter((d) => !marked(d)), ...documents.filter(marked)];
  const [chosen, setChosen] = useState<string | null>(ordered[0]?.ref ?? null);
  if (documents.length === 0 && imports.length === 0) return <NoneRecorded kind="documents">{t('chart.documents.none')}</NoneRecorded>;
  if (documents.length === 0) return <ImportList imports={imports} language={language} />;
  const document = ordered.find((d) => d.ref === chosen) ?? ordered[0];
  const titleOf = (ref: string): string => documents.find((d) => d.ref === ref)?.title ?? ref;
  return (
    <div className="documents">
      <ul className="documents__list" aria-label={t('chart.documents.list')}>
        {ordered.map((d) => (
          <li key={d.ref} data-ref={d.ref}>
            <button type="button" className={`button button--quiet documents__item${marked(d) ? ' documents__item--superseded' : ''}`} aria-current={d.ref === document?.ref ? 'true' : undefined} onClick={() => setChosen(d.ref)}>
              <span className="documents__title">{d.title || t('chart.documents.untitled')}</span>
              <span className="hint">
                <WhenText when={d.when} language={language} />
              </span>
              {(d.status === 'superseded' || d.replacedBy.length > 0) && <span className="tag tag--pending">{t('chart.documents.superseded')}</span>}
              {d.status === 'entered-in-error' && <StatusTag code="entered-in-error" />}
              <SyncBadge state={d.syncState} itemRef={d.ref} />
            </button>
          </li>
        ))}
      </ul>
      {document !== undefined && (
        <article className="documents__reader" aria-label={document.title || t('chart.documents.untitled')}>
          <h3>{document.title || t('chart.documents.untitled')}</h3>
          <p className="hint">
            <WhenText when={document.when} language={language} /> <StatusTag code={document.status} />
            {document.docStatus !== null && document.docStatus !== 'final' && <span className="hint"> {t('chart.documents.docStatus', { status: document.docStatus })}</span>}
          </p>
          {document.replacedBy.length > 0 && (
            <p className="notice" role="note">
              {t('chart.documents.replacedBy', { title: document.replacedBy.map(titleOf).join(', ') })}
            </p>
          )}
          {document.replaces.length > 0 && <p className="hint">{t('chart.documents.replaces', { title: document.replaces.map(titleOf).join(', ') })}</p>}
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
          <AttachmentFiles files={document.files} />
          {document.externalUrls.length > 0 && (
            <p className="hint">
              {t('chart.documents.external')} {document.externalUrls.map((u) => displayText(u, 200)).join(', ')}
            </p>
          )}
          <ResourceDetails resource={document.resource} />
        </article>
      )}
      <ImportList imports={imports} language={language} />
    </div>
  );
}

/** The document files imported into this chart: what, by whom, when, how many records (their Provenance). */
function ImportList({ imports, language }: Readonly<{ imports: readonly ImportRecord[]; language: Language }>) {
  const { t } = useTranslation();
  if (imports.length === 0) return null;
  return (
    <section className="imports" aria-labelledby="imports-heading">
      <h3 id="imports-heading">{t('chart.imports.title')}</h3>
      <ul className="chart-list">
        {imports.map((record) => (
          <li key={record.ref} className="chart-item" data-ref={record.ref}>
            <div className="chart-item__head">
              <strong className="chart-item__title">{record.source || t('chart.origin.unnamed')}</strong> <SyncBadge state={record.syncState} itemRef={record.ref} />{' '}
              <span className="hint">
                <WhenText when={record.when} language={language} />
              </span>
            </div>
            <p className="hint">
              {t(record.kind === 'import' ? 'chart.imports.by' : 'chart.imports.recordedBy', { who: record.who || t('chart.origin.someone'), count: record.targets.length })}
              {record.author !== null && <> {t('chart.imports.author', { author: record.author })}</>}
            </p>
            <ResourceDetails resource={record.resource} />
          </li>
        ))}
      </ul>
    </section>
  );
}
