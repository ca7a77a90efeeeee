import { describe, expect, it } from 'vitest';
import { nextLink, verifyChain, type AuditLink } from '../../../../shared/audit/chain';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';
import { startAuditAnchoring } from '../../../../renderer/data/audit-anchoring';
import { localAuditAnchor } from '../../../../renderer/host/local-audit-anchor';

const crypto = globalThis.crypto as unknown as WebCrypto;
const replica = 'relais-0123456789abcdef';
const storage = () => {
  const values = new Map<string, string>();
  return { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v) } as unknown as Storage;
};
async function grow(links: AuditLink[], n: number): Promise<AuditLink[]> {
  for (let i = 0; i < n; i += 1) links.push(await nextLink(crypto, links.at(-1) ?? null, { resourceType: 'AuditEvent', id: `e${links.length}` } as never));
  return links;
}

describe('audit anchoring from the workspace', () => {
  it('anchors a legacy trail at open and each new event after; a reopened trail that lost its tail is reported broken', async () => {
    const port = localAuditAnchor(storage(), crypto);
    const links = await grow([], 3);
    const first = await startAuditAnchoring(port, replica, links, await verifyChain(crypto, links));
    expect(first.verdict).toEqual({ intact: true, length: 3 });
    expect(await port.read()).toMatchObject({ seq: 3 });
    await grow(links, 2);
    await first.appended(links[3] as AuditLink);
    await first.appended(links[4] as AuditLink);
    expect(await port.read()).toMatchObject({ seq: 5, hash: links[4]?.hash });

    // The attack: the last two events deleted from the replica before the next open.
    const cut = links.slice(0, 3);
    const reopened = await startAuditAnchoring(port, replica, cut, await verifyChain(crypto, cut));
    expect(reopened.verdict).toMatchObject({ intact: false, brokenAt: 4 });
    // Nothing is anchored over a broken trail.
    await grow(cut, 1);
    await reopened.appended(cut[3] as AuditLink);
    expect(await port.read()).toMatchObject({ seq: 5, hash: links[4]?.hash });
  });

  it('a send that fails is tried again with the next event, in order', async () => {
    const inner = localAuditAnchor(storage(), crypto);
    let down = true;
    const port = { read: inner.read, extend: (r: string, l: readonly AuditLink[]) => (down ? Promise.reject(new Error('main busy')) : inner.extend(r, l)) };
    const links = await grow([], 1);
    const anchoring = await startAuditAnchoring(port, replica, [], { intact: true, length: 0 });
    await anchoring.appended(links[0] as AuditLink);
    expect(await inner.read()).toBeNull();
    down = false;
    await grow(links, 1);
    await anchoring.appended(links[1] as AuditLink);
    expect(await inner.read()).toMatchObject({ seq: 2 });
  });
});
