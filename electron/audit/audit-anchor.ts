import { webcrypto } from 'node:crypto';
import { extendAnchor, type AuditAnchor } from '../../shared/audit/anchor';
import type { AuditLink } from '../../shared/audit/chain';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { SecretStore } from '../secrets/secret-store';

/** Main's copy of the audit chain's head (shared/audit/anchor.ts says why), in the keychain. */
export const auditAnchorAccount = 'audit-anchor';

export class AuditAnchorRefusedError extends Error {
  constructor() {
    super('the links do not continue the anchored audit chain');
    this.name = 'AuditAnchorRefusedError';
  }
}

export type AuditAnchorService = Readonly<{
  read(): Promise<AuditAnchor | null>;
  extend(replica: string, links: readonly AuditLink[]): Promise<AuditAnchor>;
}>;

function parse(text: string | null): AuditAnchor | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<AuditAnchor>;
    if (typeof value.replica === 'string' && typeof value.seq === 'number' && typeof value.hash === 'string') return { replica: value.replica, seq: value.seq, hash: value.hash };
  } catch {
    // fall through
  }
  // An unreadable anchor cannot vouch for anything: the trail is shown as not verified.
  return { replica: '', seq: 0, hash: '' };
}

/** `account`: where the head is kept (another source's replica has its own chain, electron/sources/source-services.ts). */
export function createAuditAnchorService(secrets: SecretStore, account: string = auditAnchorAccount): AuditAnchorService {
  const crypto = webcrypto as unknown as WebCrypto;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const read = async (): Promise<AuditAnchor | null> => parse(await secrets.get(account));
  return {
    read,
    extend: (replica, links) =>
      serial(async () => {
        const next = await extendAnchor(crypto, await read(), replica, links);
        if (next === null) throw new AuditAnchorRefusedError();
        await secrets.set(account, JSON.stringify(next));
        return next;
      }),
  };
}
