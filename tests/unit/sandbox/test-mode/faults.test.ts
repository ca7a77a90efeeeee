import { describe, expect, it } from 'vitest';
import { FaultController, faultSpecSchema } from '../../../../sandbox/test-mode/faults.ts';

describe('fault controller', () => {
  it('applies to the next `count` requests only', () => {
    const faults = new FaultController();
    faults.set({ status: 503, count: 2 });
    expect(faults.next('GET')?.status).toBe(503);
    expect(faults.next('GET')?.status).toBe(503);
    expect(faults.next('GET')).toBeUndefined();
  });

  it('drops only writes, as many as asked', () => {
    const faults = new FaultController();
    faults.set({ dropAfterCommit: 1 });
    expect(faults.next('GET')?.dropAfterCommit).toBe(false);
    expect(faults.next('PUT')?.dropAfterCommit).toBe(true);
    expect(faults.next('PUT')?.dropAfterCommit).toBe(false);
  });

  it('accepts only 503 and 429 and known fields', () => {
    expect(faultSpecSchema.safeParse({ status: 500 }).success).toBe(false);
    expect(faultSpecSchema.safeParse({ latencyMs: 10, reorderPages: true }).success).toBe(true);
    expect(faultSpecSchema.safeParse({ unknown: 1 }).success).toBe(false);
  });
});
