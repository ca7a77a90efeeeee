import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { uploadedEventQuery } from '../../../shared/audit/upload';
import { clientResourceScopes } from '../../../shared/sync/client-scope';
import { killableTransport, killer, Killed } from './killable';
import { control, hieActor, laptop, tokenFor, useTestSandbox, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

useTestSandbox({}, (started) => {
  ({ sandbox } = started);
  [me] = started.staff as [Practitioner];
});

describe('audit upload', () => {
  it('each event reaches the HIE exactly once, even when the acknowledgement is lost in a crash', async () => {
    await control(sandbox, 'POST', 'reset');
    const token = await tokenFor(sandbox, me.id);
    const name = `audit-${Date.now()}`;
    let l = await laptop(sandbox, me.id, name);
    await l.sync();
    const patient = `Patient/${me.patients[0] as string}`;
    const who = { practitioner: l.practitioner, deviceId: 'device-test', outcome: 'success' as const };
    const links = [
      await l.replica.audit.record({ ...who, action: 'search', patient: null, queryKind: 'name' }),
      await l.replica.audit.record({ ...who, action: 'chart-open', patient }),
      await l.replica.audit.record({ ...who, action: 'update', patient, resource: 'AllergyIntolerance/x' }),
    ];
    // Die right after the HIE stored the second event, before the cursor moved.
    const k = killer(2, 'after');
    await expect(l.sync({ transport: killableTransport(l.transport, k), audit: l.replica.audit })).rejects.toBeInstanceOf(Killed);
    await l.close();
    l = await laptop(sandbox, me.id, name);
    expect((await l.replica.audit.pending()).map((x) => x.seq)).toEqual([2, 3]);
    const report = await l.sync({ audit: l.replica.audit });
    expect(report.auditUploaded).toBe(2);
    expect(await l.replica.audit.pending()).toEqual([]);

    const hie = hieActor(sandbox, token);
    for (const link of links) {
      const id = String(link.event['id']);
      const found = await hie.search(`AuditEvent?${uploadedEventQuery(id)}`);
      expect(found, id).toHaveLength(1);
      expect(JSON.stringify(found[0])).toContain(link.hash);
    }
    // Nothing more to send: a live poll stays idle.
    expect((await l.sync({ audit: l.replica.audit, skipIfUnchanged: true })).auditUploaded).toBe(0);
    await l.close();
  });

  it('once on the HIE, an event cannot be changed or deleted with the clinician’s token (the trail is append-only); the same event sent again is accepted as is', async () => {
    const token = await tokenFor(sandbox, me.id);
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const link = await l.replica.audit.record({ practitioner: l.practitioner, deviceId: 'device-test', outcome: 'success', action: 'chart-open', patient: `Patient/${me.patients[0] as string}` });
    expect((await l.sync({ audit: l.replica.audit })).auditUploaded).toBe(1);
    const hie = hieActor(sandbox, token);
    const [stored] = (await hie.search(`AuditEvent?${uploadedEventQuery(String(link.event['id']))}`)) as Record<string, unknown>[];
    if (stored === undefined) throw new Error('the event did not reach the HIE');
    const id = String(stored['id']);

    const rewritten = await hie.call('PUT', `AuditEvent/${id}`, { ...stored, outcome: '8' });
    expect(rewritten.status, JSON.stringify(rewritten.body)).toBe(403);
    expect(JSON.stringify(rewritten.body)).toContain('append-only');
    expect((await hie.call('DELETE', `AuditEvent/${id}`)).status).toBe(403);
    const inBundle = await hie.call('POST', '', { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: `AuditEvent/${id}` } }] });
    expect(inBundle.status).toBeGreaterThanOrEqual(400);
    const after = (await hie.read(`AuditEvent/${id}`)) as { meta: { versionId: string }; outcome: string };
    expect(after.meta.versionId).toBe((stored['meta'] as { versionId: string }).versionId);
    expect(after.outcome).toBe(stored['outcome']);

    // The same event again (an upload whose answer was lost): accepted, no new version.
    const { meta: _meta, ...same } = stored;
    const replay = await hie.call('PUT', `AuditEvent/${id}`, same);
    expect(replay.status).toBe(200);
    expect(((await hie.read(`AuditEvent/${id}`)) as { meta: { versionId: string } }).meta.versionId).toBe(after.meta.versionId);
    await l.close();
  });

  it('the client’s own token (the scopes Relais asks for) can add to the trail and never rewrite or delete it, nor delete a record', async () => {
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const link = await l.replica.audit.record({ practitioner: l.practitioner, deviceId: 'device-test', outcome: 'success', action: 'chart-open', patient: `Patient/${me.patients[0] as string}` });
    expect((await l.sync({ audit: l.replica.audit })).auditUploaded).toBe(1);
    const [stored] = (await hieActor(sandbox, await tokenFor(sandbox, me.id)).search(`AuditEvent?${uploadedEventQuery(String(link.event['id']))}`)) as Record<string, unknown>[];
    if (stored === undefined) throw new Error('the event did not reach the HIE');
    const own = hieActor(sandbox, await tokenFor(sandbox, me.id, clientResourceScopes.join(' ')));
    const { meta: _meta, ...body } = stored;
    expect((await own.call('PUT', `AuditEvent/${String(stored['id'])}`, { ...body, outcome: '8' })).status).toBe(403);
    expect((await own.call('DELETE', `AuditEvent/${String(stored['id'])}`)).status).toBe(403);
    // Nor delete a clinical record, though it may write them.
    const allergies = await hieActor(sandbox, await tokenFor(sandbox, me.id)).search(`AllergyIntolerance?patient=Patient/${me.patients[0] as string}`);
    const allergy = allergies[0];
    if (allergy === undefined) throw new Error('the seed gave this patient no allergy: change the seed');
    expect((await own.call('DELETE', `AllergyIntolerance/${String(allergy['id'])}`)).status).toBe(403);
    // The same event posted again with its condition: the stored one answers, nothing new is stored.
    const again = await own.call('POST', 'AuditEvent', { ...body, id: undefined }, { 'if-none-exist': uploadedEventQuery(String(link.event['id'])) });
    expect(again.status).toBe(200);
    expect(await hieActor(sandbox, await tokenFor(sandbox, me.id)).search(`AuditEvent?${uploadedEventQuery(String(link.event['id']))}`)).toHaveLength(1);
    await l.close();
  });
});
