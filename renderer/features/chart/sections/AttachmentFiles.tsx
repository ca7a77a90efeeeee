import { useTranslation } from 'react-i18next';
import type { AttachmentFile } from '../documents';

/** Attachments the chart cannot show inline (a PDF, an image): named, with their type and size. */
export function AttachmentFiles({ files }: Readonly<{ files: readonly AttachmentFile[] }>) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  return (
    <ul className="plain-list attachments">
      {files.map((f, i) => (
        <li key={i}>
          {t('chart.documents.attachment', {
            title: f.title || t('chart.documents.untitled'),
            type: f.contentType || '?',
            size: f.size === null ? '?' : f.size >= 1024 ? `${Math.round(f.size / 1024)} kB` : `${f.size} B`,
          })}
          {f.external !== null && <span className="hint"> {t('chart.documents.heldElsewhere')}</span>}
        </li>
      ))}
    </ul>
  );
}
