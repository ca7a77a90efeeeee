import { extendAnchor, type AuditAnchor } from '../../shared/audit/anchor';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { HostError, type AuditAnchorPort } from './host';

const primaryKey = 'relais.web-host.audit-anchor';

/** The web host's audit anchor, in localStorage (dev and demo): the same checks as main, no protection. Another source's replica has its own (`sourceId`). */
export function localAuditAnchor(storage: Storage, crypto: WebCrypto, sourceId?: string): AuditAnchorPort {
  const key = sourceId === undefined ? primaryKey : `${primaryKey}.${sourceId}`;
  const read = async (): Promise<AuditAnchor | null> => {
    const text = storage.getItem(key);
    if (text === null) return null;
    try {
      return JSON.parse(text) as AuditAnchor;
    } catch {
      return { replica: '', seq: 0, hash: '' };
    }
  };
  return {
    read,
    async extend(replica, links) {
      const next = await extendAnchor(crypto, await read(), replica, links);
      if (next === null) throw new HostError('AUDIT_ANCHOR_REFUSED');
      storage.setItem(key, JSON.stringify(next));
      return next;
    },
  };
}
