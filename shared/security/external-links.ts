/**
 * Which external links may leave the app for the system browser.
 * Every decision parses with `new URL` and compares exact origins (never prefixes or substrings),
 * and only https is ever opened.
 */
export type ExternalLinkDecision =
  | Readonly<{ open: true; url: string }>
  | Readonly<{ open: false; reason: 'unparsable' | 'not-https' | 'origin-not-allowed' }>;

export function decideExternalLink(
  candidate: string,
  allowedOrigins: readonly string[],
): ExternalLinkDecision {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { open: false, reason: 'unparsable' };
  }
  if (url.protocol !== 'https:') return { open: false, reason: 'not-https' };
  if (url.username !== '' || url.password !== '') return { open: false, reason: 'origin-not-allowed' };
  if (!allowedOrigins.includes(url.origin)) return { open: false, reason: 'origin-not-allowed' };
  return { open: true, url: url.href };
}

/**
 * Reference sites a clinician may follow from the app by default; IT policy replaces the list.
 * Origins only: scheme + host (+ port), exactly as `new URL(x).origin` prints them.
 */
export const defaultExternalOrigins: readonly string[] = [
  'https://www.has-sante.fr',
  'https://base-donnees-publique.medicaments.gouv.fr',
  'https://loinc.org',
  'https://hl7.org',
];

/** The placeholder an imaging viewer address carries for the study. */
export const studyUidPlaceholder = '{studyUid}';
/** A DICOM UID (PS3.5 §9.1): digits and dots, no leading zero in a component, at most 64 characters. */
const dicomUid = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

/**
 * Whether an imaging viewer address IT gives is usable: https, no credentials, the study's place
 * marked once by `{studyUid}` in its path or query (never in its origin, so the study cannot
 * choose where the link goes).
 */
export function isViewerTemplate(template: string): boolean {
  if (template.length > 2000 || template.split(studyUidPlaceholder).length !== 2) return false;
  try {
    const url = new URL(template.replace(studyUidPlaceholder, '1.2.3'));
    if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
    return new URL(template.replace(studyUidPlaceholder, '9.9.9')).origin === url.origin;
  } catch {
    return false;
  }
}

/** The origin a viewer address opens (to add to the allowed links), or null when it is not usable. */
export const viewerOrigin = (template: string): string | null => (isViewerTemplate(template) ? new URL(template.replace(studyUidPlaceholder, '1')).origin : null);

/**
 * The viewer link of one study: the policy's address with the study's DICOM UID (from
 * `ImagingStudy.identifier`, `urn:oid:` or bare), or null when there is no address, no valid UID, or
 * the result would leave the allowed origins.
 */
export function imagingViewerLink(template: string | null, studyUid: string | null, allowedOrigins: readonly string[]): string | null {
  if (template === null || studyUid === null || !isViewerTemplate(template)) return null;
  const uid = studyUid.replace(/^urn:oid:/, '');
  if (uid.length > 64 || !dicomUid.test(uid)) return null;
  const decision = decideExternalLink(template.replace(studyUidPlaceholder, encodeURIComponent(uid)), allowedOrigins);
  return decision.open ? decision.url : null;
}
