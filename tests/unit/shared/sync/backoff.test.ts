import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../../shared/sync/backoff';

describe('retry delay', () => {
  it('grows exponentially up to the ceiling, with jitter in [ceiling/2, ceiling]', () => {
    expect(retryDelayMs(1, null, () => 0)).toBe(500);
    expect(retryDelayMs(1, null, () => 1)).toBe(1000);
    expect(retryDelayMs(4, null, () => 1)).toBe(8000);
    expect(retryDelayMs(40, null, () => 1)).toBe(300_000);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => retryDelayMs(3, null, () => i / 50)));
    expect(spread.size).toBeGreaterThan(40);
  });

  it('never retries sooner than Retry-After', () => {
    expect(retryDelayMs(1, 30_000, () => 0)).toBe(30_000);
    expect(retryDelayMs(20, 1_000, () => 1)).toBe(300_000);
  });
});
