import { toHex, utf8 } from '../crypto/bytes';
import type { WebCrypto } from '../crypto/webcrypto';
import type { FhirResource } from '../fhir/resource';
import { canonicalJson } from './canonical-json';

/**
 * The audit log is a hash chain: each link carries the SHA-256 of the previous link, so editing,
 * removing or reordering any past event breaks every hash after it. Verified at startup.
 *
 * Two forms of link. The first (no `form`, written before 2026-12) hashes the event itself. The
 * second (`form: 2`, every link written since) hashes the event's digest instead, so that once the
 * HIE holds an event about a patient who has left the clinician's scope, the laptop can withhold
 * what names that patient (`redactedLink`) and keep only the digest: the chain still verifies,
 * and the full event lives on the HIE, where it belongs.
 */
export type AuditLink = Readonly<{
  seq: number;
  /** Hex SHA-256 of the previous link (64 zeros for the first). */
  previous: string;
  /** The event; once redacted, what is left of it (no patient, no reason). */
  event: FhirResource;
  /**
   * Hex SHA-256 of canonical JSON {seq, previous, event} (first form) or
   * {seq, previous, eventDigest} (form 2).
   */
  hash: string;
  form?: 2;
  /** Form 2, redacted: the digest of the event as it was (the event above no longer gives it). */
  eventDigest?: string;
  redacted?: true;
}>;

export const genesis = '0'.repeat(64);

const sha256Hex = async (crypto: WebCrypto, value: unknown): Promise<string> =>
  toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(canonicalJson(value)))));

/** The first form's hash, over the event itself. */
export function linkHash(crypto: WebCrypto, seq: number, previous: string, event: FhirResource): Promise<string> {
  return sha256Hex(crypto, { seq, previous, event });
}

export function eventDigestOf(crypto: WebCrypto, event: FhirResource): Promise<string> {
  return sha256Hex(crypto, event);
}

/** What a link's hash must be, in its own form. */
export async function expectedHash(crypto: WebCrypto, link: AuditLink): Promise<string> {
  if (link.form !== 2) return linkHash(crypto, link.seq, link.previous, link.event);
  const eventDigest = link.redacted === true ? (link.eventDigest ?? '') : await eventDigestOf(crypto, link.event);
  return sha256Hex(crypto, { seq: link.seq, previous: link.previous, eventDigest });
}

export async function nextLink(crypto: WebCrypto, last: AuditLink | null, event: FhirResource): Promise<AuditLink> {
  const seq = last === null ? 1 : last.seq + 1;
  const previous = last === null ? genesis : last.hash;
  const link: AuditLink = { seq, previous, event, hash: '', form: 2 };
  return { ...link, hash: await expectedHash(crypto, link) };
}

/**
 * A form-2 link with what names the patient withheld: the entities (the patient, the resource),
 * and the extensions (a break-the-glass reason) go; who did what, when, with what outcome and
 * purpose stays. Null for a first-form link (its hash needs the whole event) or one already redacted.
 */
export async function redactedLink(crypto: WebCrypto, link: AuditLink): Promise<AuditLink | null> {
  if (link.form !== 2 || link.redacted === true) return null;
  const { entity: _entity, extension: _extension, ...kept } = link.event;
  return { ...link, event: kept as FhirResource, eventDigest: await eventDigestOf(crypto, link.event), redacted: true };
}

export type ChainVerdict = Readonly<{ intact: true; length: number }> | Readonly<{ intact: false; brokenAt: number; length: number }>;

/** Checks links in sequence order: numbering, back-links and hashes. */
export async function verifyChain(crypto: WebCrypto, links: readonly AuditLink[]): Promise<ChainVerdict> {
  const ordered = [...links].sort((a, b) => a.seq - b.seq);
  let previous = genesis;
  for (const [index, link] of ordered.entries()) {
    if (link.seq !== index + 1 || link.previous !== previous || (await expectedHash(crypto, link)) !== link.hash) {
      return { intact: false, brokenAt: index + 1, length: ordered.length };
    }
    previous = link.hash;
  }
  return { intact: true, length: ordered.length };
}
