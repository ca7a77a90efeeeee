import { describe, expect, it } from 'vitest';
import { createSyncRunner } from '../../../renderer/sync/sync-runner';
import { createSyncStatusStore } from '../../../renderer/sync/sync-status';
import type { Sandbox } from '../../../sandbox/server.ts';
import { control, hieActor, laptop, tokenFor, useTestSandbox, type Practitioner } from './support';

let sandbox: Sandbox;
let me: Practitioner;

useTestSandbox({}, (started) => {
  ({ sandbox } = started);
  [me] = started.staff as [Practitioner];
});

describe('live sync', () => {
  it('a change committed on the HIE is in the replica within 5 seconds, through idle polls', async () => {
    const l = await laptop(sandbox, me.id);
    const status = createSyncStatusStore();
    let runs = 0;
    let idleRuns = 0;
    const runner = createSyncRunner({
      synchronize: async (options) => {
        runs += 1;
        const report = await l.sync(options);
        if (report.idle) idleRuns += 1;
        return report;
      },
      counts: async () => ({ pendingEdits: 0, openConflicts: 0 }),
      status,
      network: { online: () => true, subscribe: () => () => {} },
    });
    runner.start();
    await expect.poll(() => status.getState().lastSuccessAt, { timeout: 20_000 }).not.toBeNull();
    await expect.poll(() => idleRuns, { timeout: 20_000 }).toBeGreaterThan(0); // at least one idle poll has happened
    const patient = `Patient/${me.patients[0] as string}`;
    const created = await hieActor(sandbox, await tokenFor(sandbox, me.id)).call('POST', 'Condition', {
      resourceType: 'Condition', subject: { reference: patient }, code: { text: 'Live change' },
    });
    const ref = `Condition/${String(created.body?.['id'])}`;
    const committedAt = Date.now();
    await expect.poll(async () => (await l.replica.getResource(ref))?.resource ?? null, { timeout: 5_000, interval: 100 }).toMatchObject({ code: { text: 'Live change' } });
    const latency = Date.now() - committedAt;
    runner.stop();
    await runner.settled();
    expect(latency).toBeLessThan(5_000);
    expect(idleRuns).toBeGreaterThan(0);
    expect(runs).toBeGreaterThan(idleRuns);
    process.stdout.write(`live sync: visible after ${latency} ms (${runs} runs, ${idleRuns} idle)\n`);
    await l.close();
  });

  it('the status store reports a revoked token as a sentence code and pauses', async () => {
    await control(sandbox, 'POST', 'reset');
    const l = await laptop(sandbox, me.id);
    const status = createSyncStatusStore();
    await control(sandbox, 'POST', 'revoke', { token: l.token.value });
    const runner = createSyncRunner({
      synchronize: (options) => l.sync(options),
      counts: async () => l.replica.countByState().then((c) => ({ pendingEdits: c.pending, openConflicts: c.conflicts })),
      status,
      network: { online: () => true, subscribe: () => () => {} },
    });
    runner.start();
    await expect.poll(() => status.getState().needsSignIn, { timeout: 10_000 }).toBe(true);
    expect(status.getState().error).toBe('AUTH_REQUIRED');
    runner.stop();
    await runner.settled();
    await l.close();
  });
});
