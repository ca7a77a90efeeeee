import { toHex, utf8 } from '../crypto/bytes';
import type { WebCrypto } from '../crypto/webcrypto';
import type { FhirResource } from '../fhir/resource';
import { canonicalJson } from './canonical-json';

/**
 * The audit log is a hash chain: each link carries the SHA-256 of the previous link, so editing,
 * removing or reordering any past event breaks every hash after it. Verified at startup.
 */
export type AuditLink = Readonly<{
  seq: number;
  /** Hex SHA-256 of the previous link (64 zeros for the first). */
  previous: string;
  event: FhirResource;
  /** Hex SHA-256 of canonical JSON {seq, previous, event}. */
  hash: string;
}>;

export const genesis = '0'.repeat(64);

export async function linkHash(crypto: WebCrypto, seq: number, previous: string, event: FhirResource): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(canonicalJson({ seq, previous, event })))));
}

export async function nextLink(crypto: WebCrypto, last: AuditLink | null, event: FhirResource): Promise<AuditLink> {
  const seq = last === null ? 1 : last.seq + 1;
  const previous = last === null ? genesis : last.hash;
  return { seq, previous, event, hash: await linkHash(crypto, seq, previous, event) };
}

export type ChainVerdict = Readonly<{ intact: true; length: number }> | Readonly<{ intact: false; brokenAt: number; length: number }>;

/** Checks links in sequence order: numbering, back-links and hashes. */
export async function verifyChain(crypto: WebCrypto, links: readonly AuditLink[]): Promise<ChainVerdict> {
  const ordered = [...links].sort((a, b) => a.seq - b.seq);
  let previous = genesis;
  for (const [index, link] of ordered.entries()) {
    if (link.seq !== index + 1 || link.previous !== previous || (await linkHash(crypto, link.seq, link.previous, link.event)) !== link.hash) {
      return { intact: false, brokenAt: index + 1, length: ordered.length };
    }
    previous = link.hash;
  }
  return { intact: true, length: ordered.length };
}
