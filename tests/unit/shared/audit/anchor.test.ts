import { describe, expect, it } from 'vitest';
import { checkAgainstAnchor, extendAnchor, type AuditAnchor } from '../../../../shared/audit/anchor';
import { nextLink, type AuditLink } from '../../../../shared/audit/chain';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';

const crypto = globalThis.crypto as unknown as WebCrypto;
const replica = 'relais-0123456789abcdef';

async function chain(n: number, note = 'x'): Promise<AuditLink[]> {
  const links: AuditLink[] = [];
  for (let i = 0; i < n; i += 1) links.push(await nextLink(crypto, links.at(-1) ?? null, { resourceType: 'AuditEvent', id: `e${i}`, outcome: '0', note } as never));
  return links;
}

describe('the audit head anchored outside the page', () => {
  it('moves forward only with links that continue it, their hashes recomputed', async () => {
    const links = await chain(5);
    const first = (await extendAnchor(crypto, null, replica, links.slice(0, 3))) as AuditAnchor;
    expect(first).toEqual({ replica, seq: 3, hash: links[2]?.hash });
    // Sent again after a lost answer, plus the new ones: accepted.
    expect(await extendAnchor(crypto, first, replica, links.slice(1))).toEqual({ replica, seq: 5, hash: links[4]?.hash });
    // A gap, a link whose hash is not its content's, or links of a rewritten chain: refused.
    expect(await extendAnchor(crypto, first, replica, links.slice(4))).toBeNull();
    const forged = { ...(links[3] as AuditLink), event: { resourceType: 'AuditEvent', id: 'e3', outcome: '8' } as never };
    expect(await extendAnchor(crypto, first, replica, [forged])).toBeNull();
    const rewritten = await chain(5, 'rewritten');
    expect(await extendAnchor(crypto, first, replica, rewritten)).toBeNull();
    // Another replica may only start a chain of its own from the first link.
    expect(await extendAnchor(crypto, first, 'relais-ffffffffffffffff', links.slice(1))).toBeNull();
    expect(await extendAnchor(crypto, first, 'relais-ffffffffffffffff', rewritten.slice(0, 2))).toMatchObject({ replica: 'relais-ffffffffffffffff', seq: 2 });
  });

  it('at open, a trail that lost its last events, had an anchored event rewritten, or belongs to another replica is broken', async () => {
    const links = await chain(6);
    const anchor = (await extendAnchor(crypto, null, replica, links)) as AuditAnchor;
    expect(checkAgainstAnchor(anchor, replica, links)).toEqual({ intact: true, length: 6 });
    expect(checkAgainstAnchor(anchor, replica, [...links, ...(await chain(7)).slice(6)])).toMatchObject({ intact: true });
    expect(checkAgainstAnchor(anchor, replica, links.slice(0, 4))).toMatchObject({ intact: false, brokenAt: 5 });
    const rewritten = await chain(6, 'rewritten');
    expect(checkAgainstAnchor(anchor, replica, rewritten)).toMatchObject({ intact: false, brokenAt: 6 });
    expect(checkAgainstAnchor(anchor, 'relais-ffffffffffffffff', links)).toMatchObject({ intact: false });
    expect(checkAgainstAnchor(null, replica, links)).toMatchObject({ intact: true });
  });
});
