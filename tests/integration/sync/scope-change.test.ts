import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import type { FhirTransport } from '../../../shared/hie/transport';
import { control, laptop, useTestSandbox, type Practitioner } from './support';

/**
 * A scope change that lands while a sync is under way (after it read the scope, before it read the
 * HIE's history): the history position moves past it, so a quick "anything new?" check would find
 * nothing and the patient withdrawn from the clinician would stay until the next whole run. The
 * run notes it (history.ts `scopeChanged`), and the next poll is a whole run that purges.
 */
let sandbox: Sandbox;
let staff: Practitioner[];
useTestSandbox({ patients: 6, resourcesPerPatient: 20, practitioners: 1 }, (started) => {
  ({ sandbox } = started);
  staff = started.staff;
});

describe('a scope change during a sync', () => {
  it('is acted on at the next poll, even though that run’s history already went past it', async () => {
    const me = staff[0] as Practitioner;
    const l = await laptop(sandbox, me.id);
    await l.sync();
    const leaving = `Patient/${me.patients[0] as string}`;
    expect(await l.replica.patientsInReplica()).toContain(leaving);

    // The withdrawal happens once the run has read the scope, right before it reads the history.
    let withdrawn = false;
    const racing: FhirTransport = {
      async send(request) {
        if (!withdrawn && request.target.startsWith('_history?_since=')) {
          withdrawn = true;
          expect((await control(sandbox, 'POST', 'panel', { patient: leaving.slice('Patient/'.length), practitioner: me.id, member: false })).status).toBe(204);
        }
        return l.transport.send(request);
      },
    };
    const during = await l.sync({ transport: racing });
    expect(withdrawn).toBe(true);
    expect(during.deletions.scopeChanged).toBe(true);
    // That run read the scope before the change: the patient is still here.
    expect(await l.replica.patientsInReplica()).toContain(leaving);

    // The next poll is not skipped: it reads the scope again and purges.
    const next = await l.sync({ skipIfUnchanged: true });
    expect(next.idle).toBe(false);
    expect(next.purged).toBe(1);
    expect(await l.replica.patientsInReplica()).not.toContain(leaving);
    // And then polls are quiet again.
    expect((await l.sync({ skipIfUnchanged: true })).idle).toBe(true);
    await l.close();
  });
});
