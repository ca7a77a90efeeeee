import type { WebCrypto } from '../crypto/webcrypto';
import { expectedHash, genesis, type AuditLink, type ChainVerdict } from './chain';

/**
 * The audit chain's head, kept outside the page (Electron: main, in the keychain): the sequence
 * number and hash of the last link main has seen, for one replica. Main moves it forward only when
 * it is given the links that continue it (each link's hash recomputed), so code holding the
 * replica's keys can neither drop the last events nor rewrite anchored ones unnoticed: at the next
 * open, the local chain must still hold the anchored link.
 */
export type AuditAnchor = Readonly<{ replica: string; seq: number; hash: string }>;

/** The anchor after `links`, or null when they do not continue it (or a hash is wrong). */
export async function extendAnchor(crypto: WebCrypto, anchor: AuditAnchor | null, replica: string, links: readonly AuditLink[]): Promise<AuditAnchor | null> {
  if (links.length === 0) return anchor !== null && anchor.replica === replica ? anchor : null;
  const ordered = [...links].sort((a, b) => a.seq - b.seq);
  // A replica the anchor does not know starts from the genesis link (a new vault after a wipe).
  const from = anchor !== null && anchor.replica === replica ? anchor : { replica, seq: 0, hash: genesis };
  let seq = from.seq;
  let hash = from.hash;
  for (const link of ordered) {
    if (link.seq <= from.seq) continue; // already anchored: sent again after a lost answer
    if (link.seq !== seq + 1 || link.previous !== hash) return null;
    if ((await expectedHash(crypto, link)) !== link.hash) return null;
    seq = link.seq;
    hash = link.hash;
  }
  if (anchor !== null && anchor.replica !== replica && ordered[0]?.seq !== 1) return null;
  return { replica, seq, hash };
}

/** Does the local trail still hold the anchored link? A missing tail or a rewritten link breaks it there. */
export function checkAgainstAnchor(anchor: AuditAnchor | null, replica: string, trail: readonly AuditLink[]): ChainVerdict {
  const length = trail.length;
  if (anchor === null) return { intact: true, length };
  if (anchor.replica !== replica) return { intact: false, brokenAt: 1, length };
  if (anchor.seq === 0) return { intact: true, length };
  const link = trail.find((l) => l.seq === anchor.seq);
  if (link === undefined) return { intact: false, brokenAt: Math.min(length + 1, anchor.seq), length };
  return link.hash === anchor.hash ? { intact: true, length } : { intact: false, brokenAt: anchor.seq, length };
}
