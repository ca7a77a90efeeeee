import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { killableTransport, killer, Killed } from './killable';
import { control, hieActor, laptop, practitioners, startTestSandbox, tokenFor, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  [me] = (await practitioners(sandbox)) as [Practitioner];
});
afterAll(async () => {
  await sandbox.close();
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
      const found = await hie.search(`AuditEvent?_id=${id}`);
      expect(found, id).toHaveLength(1);
      expect(JSON.stringify(found[0])).toContain(link.hash);
    }
    // Nothing more to send: a live poll stays idle.
    expect((await l.sync({ audit: l.replica.audit, skipIfUnchanged: true })).auditUploaded).toBe(0);
    await l.close();
  });
});
