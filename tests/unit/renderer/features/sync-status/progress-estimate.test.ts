import { describe, expect, it } from 'vitest';
import { createProgressEstimator, type ProgressSample } from '../../../../../renderer/features/sync-status/progress-estimate';

/** Feeds the estimator a run: one report per page of `page` resources, each taking `costMs(n)` per resource. */
function run(options: { total: number; page: number; costMs: (n: number, type: string) => number; until: number; from?: number; types?: (n: number) => string }) {
  const estimator = createProgressEstimator();
  const from = options.from ?? 0;
  let now = 1_000_000;
  let n = from;
  const typeOf = options.types ?? (() => 'Observation');
  estimator.observe({ received: n, total: options.total, resumedFrom: from, type: typeOf(n) }, now);
  while (n < options.until) {
    const page = Math.min(options.page, options.until - n);
    for (let i = 0; i < page; i += 1) now += options.costMs(n + i, typeOf(n + i));
    n += page;
    estimator.observe({ received: n, total: options.total, resumedFrom: from, type: typeOf(n - 1) }, now);
  }
  // What is really left, by the same cost.
  let actual = 0;
  for (let i = n; i < options.total; i += 1) actual += options.costMs(i, typeOf(i));
  return { estimator, now, actual };
}

describe('initial sync progress', () => {
  it('has no fraction and no estimate while the total is unknown', () => {
    const estimator = createProgressEstimator();
    estimator.observe({ received: 300, total: null }, 0);
    expect(estimator.view(10_000)).toEqual({ fraction: null, remainingMs: null });
  });

  it('at a steady pace, the time left is what remains at that pace', () => {
    // 1,000 of 4,000 at 10 ms each: 3,000 more is 30 s.
    const { estimator, now } = run({ total: 4_000, page: 100, costMs: () => 10, until: 1_000 });
    expect(estimator.view(now)).toEqual({ fraction: 0.25, remainingMs: 30_000 });
  });

  it('gives no estimate on too little to measure (one page, or the first seconds)', () => {
    expect(run({ total: 4_000, page: 10, costMs: () => 1_000, until: 10 }).estimator.view(Number.MAX_SAFE_INTEGER).remainingMs).toBeNull();
    const quick = run({ total: 4_000, page: 400, costMs: () => 1, until: 800 });
    expect(quick.estimator.view(quick.now).remainingMs).toBeNull();
  });

  it('never shows 100 % before the end (deletions and bookkeeping follow the last page)', () => {
    const { estimator, now } = run({ total: 4_000, page: 500, costMs: () => 10, until: 4_000 });
    expect(estimator.view(now)).toEqual({ fraction: 0.99, remainingMs: 0 });
  });

  it('resumed: starts from what earlier runs brought, and measures the pace on this run only', () => {
    // 3,000 of 4,000 were there before the restart; 500 more at 20 ms: 500 left is 10 s.
    const { estimator, now } = run({ total: 4_000, page: 50, costMs: () => 20, from: 3_000, until: 3_500 });
    expect(estimator.view(now)).toEqual({ fraction: 0.875, remainingMs: 10_000 });
    const early = run({ total: 4_000, page: 20, costMs: () => 20, from: 3_000, until: 3_020 });
    expect(early.estimator.view(early.now)).toEqual({ fraction: 0.755, remainingMs: null });
  });

  it('a store that slows as it fills: within 15 % of the truth where the average rate was twice too optimistic', () => {
    // The measured shape of a 500k first sync: 2 ms per resource at the start, 5.4 ms at the end.
    const total = 500_000;
    const costMs = (n: number): number => 2 + (3.4 * n) / total;
    for (const until of [50_000, 150_000, 300_000, 450_000]) {
      const { estimator, now, actual } = run({ total, page: 500, costMs, until });
      const said = estimator.view(now).remainingMs as number;
      expect(Math.abs(said - actual) / actual, `at ${until}`).toBeLessThan(0.15);
      // What the constant average rate would have said (the old estimate): far too low early on.
      let elapsed = 0;
      for (let i = 0; i < until; i += 1) elapsed += costMs(i);
      const average = ((total - until) * elapsed) / until;
      if (until <= 150_000) expect(average / actual, `at ${until}`).toBeLessThan(0.6);
    }
  });

  it('uses the pace of the type being received once measured, not the previous type’s', () => {
    // 10,000 Patients at 1 ms, then Observations at 6 ms: after 20 s of Observations, the rest is at 6 ms.
    const types = (n: number): string => (n < 10_000 ? 'Patient' : 'Observation');
    const costMs = (_n: number, type: string): number => (type === 'Patient' ? 1 : 6);
    const { estimator, now, actual } = run({ total: 100_000, page: 500, costMs, until: 14_000, types });
    const said = estimator.view(now).remainingMs as number;
    expect(Math.abs(said - actual) / actual).toBeLessThan(0.05);
  });

  it('a cost that grows over the first few pages (a change of types) is not squared over the whole sync', () => {
    // Small types first, each costlier than the last (1 → 6 ms over 5,000), then 95,000 at 6 ms: the
    // early slope, extrapolated, would have said about ten times too long (seen in bench:sync at 100k).
    const types = (n: number): string => (n < 5_000 ? `Type${Math.floor(n / 500)}` : 'Observation');
    const costMs = (n: number): number => (n < 5_000 ? 1 + n / 1_000 : 6);
    const { estimator, now, actual } = run({ total: 100_000, page: 250, costMs, until: 5_000, types });
    const said = estimator.view(now).remainingMs as number;
    expect(said / actual).toBeGreaterThan(0.65);
    expect(said / actual).toBeLessThan(1.35);
  });

  it('a sync that speeds up is not held to its slow start', () => {
    // 20 ms per resource for the first 2,000 (a slow network), then 5 ms.
    const { estimator, now, actual } = run({ total: 20_000, page: 100, costMs: (n) => (n < 2_000 ? 20 : 5), until: 6_000 });
    const said = estimator.view(now).remainingMs as number;
    expect(Math.abs(said - actual) / actual).toBeLessThan(0.1);
  });

  it('time since the last report counts as spent, and a new run starts afresh', () => {
    const { estimator, now } = run({ total: 4_000, page: 100, costMs: () => 10, until: 1_000 });
    expect(estimator.view(now + 5_000).remainingMs).toBe(25_000);
    const restarted: ProgressSample = { received: 0, total: 4_000, type: 'Patient' };
    estimator.observe(restarted, now + 6_000);
    expect(estimator.view(now + 6_000).remainingMs).toBeNull();
  });
});
