import { fromBase64Url } from '../../../shared/crypto/bytes';
import { conceptText, displayText, isRecord, records, stringOf } from '../record/fhir-text';
import type { Item } from './clinical-items';

/**
 * Clinical documents as the chart lists them. The narrative is carried as untrusted XHTML (it is
 * sanitized and framed only when displayed, see narrative/); a plain-text note stays plain text.
 */
export type DocumentSection = Readonly<{ title: string; xhtml: string | null }>;

export type DocumentItem = Item &
  Readonly<{
    title: string;
    date: string | null;
    /** Untrusted XHTML bodies: the resource narrative, an (X)HTML attachment, Composition sections. */
    sections: readonly DocumentSection[];
    /** A text/plain attachment (notes written in Relais). */
    plainText: string | null;
    /** Attachments held elsewhere: never fetched, only listed (through the link allowlist). */
    externalUrls: readonly string[];
  }>;

const markupTypes = new Set(['text/html', 'application/xhtml+xml']);

/** base64 (standard or url alphabet, padded or not) to UTF-8 text; null when it is not that. */
export function decodeBase64Text(data: string): string | null {
  try {
    const bytes = fromBase64Url(data.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').replace(/\s+/g, ''));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const narrativeOf = (value: unknown): string | null => (isRecord(value) ? stringOf(value['div']) : null);

export function documentItem(item: Item): DocumentItem {
  const r = item.resource;
  const sections: DocumentSection[] = [];
  let plainText: string | null = null;
  const externalUrls: string[] = [];
  for (const content of records(r['content'])) {
    const attachment = isRecord(content['attachment']) ? content['attachment'] : null;
    if (attachment === null) continue;
    const type = (stringOf(attachment['contentType']) ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const data = stringOf(attachment['data']);
    const url = stringOf(attachment['url']);
    if (data !== null && data.length < 4_000_000) {
      const text = decodeBase64Text(data);
      if (text !== null && markupTypes.has(type)) sections.push({ title: displayText(attachment['title']), xhtml: text });
      else if (text !== null && type === 'text/plain' && plainText === null) plainText = text;
    } else if (url !== null) externalUrls.push(url);
  }
  const own = narrativeOf(r['text']);
  // The attachment is the document itself; the resource narrative is its summary, shown when there is no attachment.
  if (sections.length === 0 && plainText === null && own !== null) sections.push({ title: '', xhtml: own });
  for (const section of records(r['section'])) {
    sections.push({ title: displayText(section['title']), xhtml: narrativeOf(section['text']) });
  }
  return {
    ...item,
    title: displayText(r['title']) || displayText(r['description']) || conceptText(r['type']),
    date: stringOf(r['date']),
    sections,
    plainText,
    externalUrls,
  };
}
