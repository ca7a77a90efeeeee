import { describe, expect, it } from 'vitest';
import { extendAnchor } from '../../../../shared/audit/anchor';
import { genesis, linkHash, nextLink, redactedLink, verifyChain, type AuditLink } from '../../../../shared/audit/chain';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';

const crypto = globalThis.crypto as unknown as WebCrypto;
const event = (i: number, patient: string) =>
  ({
    resourceType: 'AuditEvent',
    id: `e${i}`,
    action: 'R',
    recorded: '2026-12-03T08:00:00Z',
    outcome: '0',
    entity: [{ what: { reference: patient }, role: { code: '1' } }],
    extension: [{ url: 'https://relais.example.org/fhir/StructureDefinition/break-the-glass-reason', valueString: 'raison' }],
  }) as never;

async function chain(n: number): Promise<AuditLink[]> {
  const links: AuditLink[] = [];
  for (let i = 0; i < n; i += 1) links.push(await nextLink(crypto, links.at(-1) ?? null, event(i, `Patient/p${i}`)));
  return links;
}

describe('the audit chain, and withholding a patient from it', () => {
  it('still verifies links of the first form (hash over the event), written before form 2', async () => {
    const first: AuditLink = { seq: 1, previous: genesis, event: event(0, 'Patient/a'), hash: await linkHash(crypto, 1, genesis, event(0, 'Patient/a')) };
    const second = await nextLink(crypto, first, event(1, 'Patient/b'));
    expect(second.form).toBe(2);
    expect(await verifyChain(crypto, [first, second])).toEqual({ intact: true, length: 2 });
    // A first-form link cannot be redacted: its hash needs the whole event.
    expect(await redactedLink(crypto, first)).toBeNull();
  });

  it('a redacted link keeps the chain whole, and main still anchors it', async () => {
    const links = await chain(3);
    const withheld = (await redactedLink(crypto, links[1] as AuditLink)) as AuditLink;
    expect(JSON.stringify(withheld.event)).not.toContain('Patient/p1');
    expect(JSON.stringify(withheld.event)).not.toContain('raison');
    expect(withheld.hash).toBe(links[1]?.hash);
    const trail = [links[0], withheld, links[2]] as AuditLink[];
    expect(await verifyChain(crypto, trail)).toEqual({ intact: true, length: 3 });
    expect(await extendAnchor(crypto, null, 'relais-0123456789abcdef', trail)).toMatchObject({ seq: 3, hash: links[2]?.hash });
  });

  it('attacks: a redacted link with another digest, a whole link rewritten as "redacted", or a redacted event edited, break the chain', async () => {
    const links = await chain(3);
    const withheld = (await redactedLink(crypto, links[1] as AuditLink)) as AuditLink;
    const otherDigest = { ...withheld, eventDigest: 'f'.repeat(64) };
    expect(await verifyChain(crypto, [links[0], otherDigest, links[2]] as AuditLink[])).toMatchObject({ intact: false, brokenAt: 2 });
    // Claiming a link is redacted without its true digest: the digest of what is left is not the original's.
    const { eventDigest: _digest, ...noDigest } = withheld;
    expect(await verifyChain(crypto, [links[0], noDigest, links[2]] as AuditLink[])).toMatchObject({ intact: false, brokenAt: 2 });
    // An edited (non-redacted) event: its digest no longer matches.
    const edited = { ...(links[1] as AuditLink), event: { ...(links[1] as AuditLink).event, outcome: '8' } };
    expect(await verifyChain(crypto, [links[0], edited, links[2]] as AuditLink[])).toMatchObject({ intact: false, brokenAt: 2 });
    // A form-2 link passed off as first form: the hash does not match.
    const { form: _form, ...asFirstForm } = links[1] as AuditLink;
    expect(await verifyChain(crypto, [links[0], asFirstForm, links[2]] as AuditLink[])).toMatchObject({ intact: false, brokenAt: 2 });
  });
});
