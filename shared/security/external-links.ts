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
