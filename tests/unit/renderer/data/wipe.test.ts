import { describe, expect, it } from 'vitest';
import { carryOutWipe, type WipeStep } from '../../../../renderer/data/wipe';

describe('a remote wipe', () => {
  const steps = (failing: Partial<Record<WipeStep, number>>) => {
    const calls: WipeStep[] = [];
    const left = { ...failing };
    const step = (name: WipeStep) => async () => {
      calls.push(name);
      if ((left[name] ?? 0) > 0) {
        left[name] = (left[name] ?? 0) - 1;
        throw new Error(`${name} refused`);
      }
    };
    return { calls, steps: { 'device-secret': step('device-secret'), replica: step('replica'), 'local-data': step('local-data') } };
  };

  it('runs every step in order and says it is complete', async () => {
    const { calls, steps: s } = steps({});
    expect(await carryOutWipe(s)).toEqual({ complete: true, failed: [] });
    expect(calls).toEqual(['device-secret', 'replica', 'local-data']);
  });

  it('a keychain that refuses is tried again, the other steps still run, and the failure is reported, not swallowed', async () => {
    const { calls, steps: s } = steps({ 'device-secret': 5 });
    expect(await carryOutWipe(s)).toEqual({ complete: false, failed: ['device-secret'] });
    expect(calls).toEqual(['device-secret', 'device-secret', 'replica', 'local-data']);
    const once = steps({ 'device-secret': 1 });
    expect(await carryOutWipe(once.steps)).toEqual({ complete: true, failed: [] });
  });
});
