import { describe, expect, it } from 'vitest';
import { auditEvent, type AuditAction } from '../../../../shared/audit/audit-event';
import { canonicalJson } from '../../../../shared/audit/canonical-json';
import { nextLink, verifyChain, type AuditLink } from '../../../../shared/audit/chain';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';

const webcrypto = globalThis.crypto as unknown as WebCrypto;
const base = { practitioner: 'Practitioner/pr1', deviceId: 'device-1', patient: 'Patient/p1', outcome: 'success' as const, recorded: '2026-11-28T10:00:00Z' };

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });
});

describe('BALP AuditEvent', () => {
  it.each<[AuditAction, string, string]>([
    ['chart-open', 'R', 'read'],
    ['search', 'E', 'search-type'],
    ['create', 'C', 'create'],
    ['update', 'U', 'update'],
    ['delete', 'D', 'delete'],
  ])('%s: action %s, RESTful subtype %s, who, patient, device, outcome', (action, code, subtype) => {
    const event = auditEvent({ ...base, id: 'e1', action, resource: 'Condition/c1' }) as unknown as Record<string, unknown> & { agent: Array<Record<string, unknown>>; entity: Array<Record<string, unknown>> };
    expect(event).toMatchObject({ resourceType: 'AuditEvent', id: 'e1', action: code, outcome: '0', recorded: base.recorded, subtype: [{ code: subtype }] });
    expect(event.agent[0]).toMatchObject({ who: { reference: 'Practitioner/pr1' }, requestor: true });
    expect(event.agent[1]).toMatchObject({ who: { identifier: { value: 'device-1' } }, requestor: false });
    expect(event['source']).toMatchObject({ observer: { identifier: { value: 'device-1' } } });
    expect(event.entity[0]).toMatchObject({ what: { reference: 'Patient/p1' }, role: { code: '1' } });
    expect(event['purposeOfEvent']).toBeUndefined();
  });

  it('export uses the DICOM Export type', () => {
    expect(auditEvent({ ...base, id: 'e', action: 'export' })).toMatchObject({ type: { code: '110106', display: 'Export' } });
    expect(auditEvent({ ...base, id: 'f', action: 'import' })).toMatchObject({ type: { code: '110107', display: 'Import' }, action: 'C' });
  });

  it('a search records the kind of search, never the text typed', () => {
    const event = auditEvent({ ...base, id: 'e', action: 'search', patient: null, queryKind: 'name' });
    expect(JSON.stringify(event)).toContain('search by name');
    expect(event['entity']).toHaveLength(1);
  });

  it('break-the-glass is flagged BTG with its reason, and an offline action is marked', () => {
    const event = auditEvent({ ...base, id: 'e', action: 'break-the-glass', emergency: { reason: 'Unconscious patient in the ER' }, offline: true });
    expect(event).toMatchObject({ purposeOfEvent: [{ coding: [{ code: 'BTG' }] }] });
    expect((event['agent'] as Array<Record<string, unknown>>)[0]).toMatchObject({ purposeOfUse: [{ coding: [{ code: 'BTG' }] }] });
    expect(JSON.stringify(event['extension'])).toContain('Unconscious patient in the ER');
    expect(JSON.stringify(event['extension'])).toContain('recorded-offline');
  });

  it('an act under an emergency grant carries purpose BTG but no reason (the access carries it); an ordinary one neither', () => {
    const under = auditEvent({ ...base, id: 'e', action: 'chart-open', underEmergencyAccess: true });
    expect(under).toMatchObject({ action: 'R', purposeOfEvent: [{ coding: [{ code: 'BTG' }] }] });
    expect((under['agent'] as Array<Record<string, unknown>>)[0]).toMatchObject({ purposeOfUse: [{ coding: [{ code: 'BTG' }] }] });
    expect(under['extension']).toBeUndefined();
    const ordinary = auditEvent({ ...base, id: 'e', action: 'chart-open' });
    expect(ordinary['purposeOfEvent']).toBeUndefined();
    expect((ordinary['agent'] as Array<Record<string, unknown>>)[0]?.['purposeOfUse']).toBeUndefined();
  });

  it('outcome codes follow FHIR (0 success, 4 minor, 8 serious)', () => {
    expect(auditEvent({ ...base, id: 'e', action: 'update', outcome: 'minor-failure' })['outcome']).toBe('4');
    expect(auditEvent({ ...base, id: 'e', action: 'update', outcome: 'serious-failure' })['outcome']).toBe('8');
  });
});

describe('hash chain', () => {
  async function chain(n: number): Promise<AuditLink[]> {
    const links: AuditLink[] = [];
    for (let i = 0; i < n; i += 1) links.push(await nextLink(webcrypto, links.at(-1) ?? null, auditEvent({ ...base, id: `e${i}`, action: 'chart-open' })));
    return links;
  }

  it('an intact chain verifies', async () => {
    expect(await verifyChain(webcrypto, await chain(5))).toEqual({ intact: true, length: 5 });
  });

  it('an edited event breaks the chain where it was edited', async () => {
    const links = await chain(5);
    links[2] = { ...links[2]!, event: { ...links[2]!.event, outcome: '8' } };
    expect(await verifyChain(webcrypto, links)).toEqual({ intact: false, brokenAt: 3, length: 5 });
  });

  it('a removed event breaks the chain', async () => {
    const links = await chain(5);
    links.splice(1, 1);
    expect(await verifyChain(webcrypto, links)).toMatchObject({ intact: false, brokenAt: 2 });
  });

  it('an event rebuilt with a fresh hash still breaks the next link', async () => {
    const links = await chain(4);
    const forged = await nextLink(webcrypto, links[0]!, { ...links[1]!.event, action: 'D' });
    links[1] = forged;
    expect(await verifyChain(webcrypto, links)).toMatchObject({ intact: false, brokenAt: 3 });
  });
});
