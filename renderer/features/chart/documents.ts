import { fromBase64Url } from '../../../shared/crypto/bytes';
import { conceptText, displayText, isRecord, numberOf, records, referenceOf, stringOf, type Record_ } from '../../../shared/fhir/fhir-text';
import { whenOfResource, type FhirWhen } from '../../../shared/fhir/fhir-when';
import type { Item } from './clinical-items';

/**
 * Clinical documents and reports as the chart shows them. Narrative and (X)HTML attachments are
 * carried as untrusted markup (sanitized and framed only when displayed, see narrative/); plain
 * text stays plain text; any other attachment (a PDF, an image) is listed with its type and size,
 * and one held elsewhere is named, never fetched.
 */
export type DocumentSection = Readonly<{ title: string; xhtml: string | null }>;
export type AttachmentFile = Readonly<{ title: string; contentType: string; size: number | null; external: string | null }>;

export type AttachmentContent = Readonly<{
  sections: readonly DocumentSection[];
  plainTexts: readonly string[];
  files: readonly AttachmentFile[];
  externalUrls: readonly string[];
}>;

export type DocumentItem = Item &
  Readonly<{
    title: string;
    date: string | null;
    when: FhirWhen | null;
    /** DocumentReference.status: current, superseded, entered-in-error. */
    status: string | null;
    docStatus: string | null;
    /** Refs of the documents this one replaces (relatesTo), and of those that replace it. */
    replaces: readonly string[];
    replacedBy: readonly string[];
    /** Untrusted XHTML bodies: the resource narrative, an (X)HTML attachment, Composition sections. */
    sections: readonly DocumentSection[];
    /** A text/plain attachment (notes written in Relais, and other systems' notes). */
    plainText: string | null;
    files: readonly AttachmentFile[];
    /** Attachments held elsewhere: never fetched, only listed (through the link allowlist). */
    externalUrls: readonly string[];
  }>;

export type ReportItem = Item &
  Readonly<{
    title: string;
    status: string | null;
    when: FhirWhen | null;
    category: string;
    conclusion: string;
    /** The results the report groups (Observation refs), shown with it. */
    results: readonly string[];
    content: AttachmentContent;
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

/** What a list of R4 Attachments holds, sorted by what the chart can show of each. */
export function attachmentContent(attachments: readonly Record_[]): AttachmentContent {
  const sections: DocumentSection[] = [];
  const plainTexts: string[] = [];
  const files: AttachmentFile[] = [];
  const externalUrls: string[] = [];
  for (const attachment of attachments) {
    const type = (stringOf(attachment['contentType']) ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    const data = stringOf(attachment['data']);
    const url = stringOf(attachment['url']);
    const title = displayText(attachment['title']);
    const text = data !== null && data.length < 4_000_000 && (markupTypes.has(type) || type === 'text/plain' || type === '') ? decodeBase64Text(data) : null;
    if (text !== null && markupTypes.has(type)) sections.push({ title, xhtml: text });
    else if (text !== null) plainTexts.push(text);
    else if (data !== null) files.push({ title, contentType: type, size: numberOf(attachment['size']) ?? Math.floor((data.length * 3) / 4), external: null });
    else if (url !== null) {
      externalUrls.push(url);
      files.push({ title, contentType: type, size: numberOf(attachment['size']), external: url });
    }
  }
  return { sections, plainTexts, files, externalUrls };
}

export function documentItem(item: Item): DocumentItem {
  const r = item.resource;
  const content = attachmentContent(records(r['content']).map((c) => (isRecord(c['attachment']) ? c['attachment'] : {})));
  const sections = [...content.sections];
  const own = narrativeOf(r['text']);
  // The attachment is the document itself; the resource narrative is its summary, shown when there is no attachment.
  if (sections.length === 0 && content.plainTexts.length === 0 && own !== null) sections.push({ title: '', xhtml: own });
  for (const section of records(r['section'])) sections.push({ title: displayText(section['title']), xhtml: narrativeOf(section['text']) });
  return {
    ...item,
    title: displayText(r['title']) || displayText(r['description']) || conceptText(r['type']),
    date: stringOf(r['date']),
    when: whenOfResource(r),
    status: stringOf(r['status']),
    docStatus: stringOf(r['docStatus']),
    replaces: records(r['relatesTo']).filter((rel) => rel['code'] === 'replaces').map((rel) => referenceOf(rel['target'])).filter((ref): ref is string => ref !== null),
    replacedBy: [],
    sections,
    plainText: content.plainTexts.length > 0 ? content.plainTexts.join('\n\n') : null,
    files: content.files.filter((f) => f.external === null),
    externalUrls: content.externalUrls,
  };
}

/**
 * Superseded documents point to their replacement both ways: a document whose status is
 * `superseded`, or that a current document `replaces`, is marked, with the newer one named.
 */
export function linkReplacements(documents: readonly DocumentItem[]): DocumentItem[] {
  const replacedBy = new Map<string, string[]>();
  for (const d of documents) for (const old of d.replaces) replacedBy.set(old, [...(replacedBy.get(old) ?? []), d.ref]);
  return documents.map((d) => ({ ...d, replacedBy: replacedBy.get(d.ref) ?? [] }));
}

export function reportItem(item: Item): ReportItem {
  const r = item.resource;
  return {
    ...item,
    title: conceptText(r['code']),
    status: stringOf(r['status']),
    when: whenOfResource(r),
    category: records(r['category']).map(conceptText).filter((t) => t !== '').join(', '),
    conclusion: [displayText(r['conclusion'], 4000), records(r['conclusionCode']).map(conceptText).filter((t) => t !== '').join(', ')].filter((t) => t !== '').join(' — '),
    results: records(r['result']).map((ref) => referenceOf(ref)).filter((ref): ref is string => ref !== null),
    content: attachmentContent(records(r['presentedForm'])),
  };
}
