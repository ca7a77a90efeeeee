import { checkAgainstAnchor } from '../../shared/audit/anchor';
import type { AuditLink, ChainVerdict } from '../../shared/audit/chain';
import type { AuditAnchorPort } from '../host/host';

/**
 * Keeps the audit chain's head anchored outside the page: at open, the local trail is checked
 * against the anchor (a missing tail or a rewritten anchored link is reported like a broken
 * chain); after each new event, the links not anchored yet are sent, in order, in batches. A
 * failed send is tried again with the next event; a refusal (the links do not continue the
 * anchored chain) stops anchoring and is reported at the next open.
 */
export type AuditAnchoring = Readonly<{
  /** The trail's verdict at open, chain and anchor together. */
  verdict: ChainVerdict;
  /** A link was just committed locally. */
  appended(link: AuditLink): Promise<void>;
}>;

const batch = 100;

export async function startAuditAnchoring(port: AuditAnchorPort, replica: string, trail: readonly AuditLink[], chain: ChainVerdict): Promise<AuditAnchoring> {
  const anchor = await port.read().catch(() => undefined);
  const againstAnchor = anchor === undefined ? ({ intact: true, length: trail.length } as const) : checkAgainstAnchor(anchor, replica, trail);
  const verdict: ChainVerdict = !chain.intact ? chain : againstAnchor;
  let anchoredSeq = anchor !== undefined && anchor !== null && anchor.replica === replica ? anchor.seq : 0;
  // Nothing is anchored over a broken trail: that would vouch for it.
  let stopped = !verdict.intact || anchor === undefined;
  let waiting: AuditLink[] = stopped ? [] : trail.filter((l) => l.seq > anchoredSeq);
  let queue: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    while (!stopped && waiting.length > 0) {
      const sending = waiting.slice(0, batch);
      try {
        const next = await port.extend(replica, sending);
        anchoredSeq = next.seq;
        waiting = waiting.filter((l) => l.seq > anchoredSeq);
      } catch (error: unknown) {
        if ((error as { code?: unknown }).code === 'AUDIT_ANCHOR_REFUSED') stopped = true;
        return; // offline main or keychain: the next event tries again
      }
    }
  };
  await (queue = queue.then(flush));
  return {
    verdict,
    appended(link) {
      if (stopped) return Promise.resolve();
      waiting.push(link);
      queue = queue.then(flush);
      return queue;
    },
  };
}
