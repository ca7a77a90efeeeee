/**
 * What the initial-sync panel shows: how far, and roughly how long is left.
 *
 * The time left is not "what remains at the average rate so far": a store's cost per resource grows
 * as it fills (measured: 500/s at the start of a 500k sync, 185/s near the end), so a constant rate
 * said 14 minutes with 28 left. The estimator instead models the cost of one resource as
 * `a + b·n` (n: resources in the replica), fits a and b (b ≥ 0) by least squares on this run's
 * measured pace, weighted by resources, and integrates that cost over what remains:
 *   left = a·(N − n) + b/2·(N² − n²).
 * When the type being received changes, the fit uses that type's own pace as soon as there is
 * enough of it (a Patient does not cost what an Observation does); a pace that does not grow
 * gives the recent cost, so a sync that speeds up is not held to its slow start. A resumed sync
 * is measured on its own pace only. No estimate is given before there is enough to measure.
 */
export type ProgressSample = Readonly<{
  received: number;
  total: number | null;
  /** Of `received`, what earlier runs brought before an interruption: not part of this run's pace. */
  resumedFrom?: number;
  /** The type being received, when the engine says. */
  type?: string | null;
}>;

export type ProgressView = Readonly<{
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
  /** Milliseconds left, or null while there is not enough to estimate. */
  remainingMs: number | null;
}>;

/** How far, 0..0.99 (100 % only when the run says it is done: deletions and bookkeeping follow the last page), or null without a total. */
export function fractionOf(sample: Pick<ProgressSample, 'received' | 'total'>): number | null {
  return sample.total === null || sample.total <= 0 ? null : Math.min(0.99, sample.received / sample.total);
}

export const minimumElapsedMs = 3_000;
export const minimumReceived = 50;
/** Samples closer than this are merged: the pace is read over at least this long. */
const sampleSpacingMs = 500;
/** A type's own pace is used once it has been measured this long. */
const ownTypeMs = 10_000;
const keptSamples = 2_000;

type Point = Readonly<{ atMs: number; received: number; type: string | null }>;

export type ProgressEstimator = Readonly<{
  /** A progress report from the sync, at `nowMs`. */
  observe(sample: ProgressSample, nowMs: number): void;
  view(nowMs: number): ProgressView;
  /** The run ended (or went idle): the next report starts a new measurement. */
  reset(): void;
}>;

/**
 * A growth in cost is extrapolated over what remains only once it was measured over at least this
 * share of the total: a slope read on a few pages (or on a change of type) is noise, and squared
 * over the rest it said 18 minutes for a sync that took 2 (bench:sync, 100k).
 */
const minimumSlopeSpan = 0.08;

/** Weighted least squares of cost = a + b·n on [n, cost, weight] points; b is kept ≥ 0, and 0 over a span under `minSpan`. */
function fitCost(points: ReadonlyArray<readonly [number, number, number]>, minSpan: number): { a: number; b: number } | null {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y, w] of points) {
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
  }
  if (sw === 0) return null;
  const meanCost = sy / sw;
  const spread = sxx - (sx * sx) / sw;
  const span = points.length === 0 ? 0 : Math.max(...points.map(([x]) => x)) - Math.min(...points.map(([x]) => x));
  const b = spread > 0 && span >= minSpan ? (sxy - (sx * sy) / sw) / spread : 0;
  if (b > 0) return { a: (sy - b * sx) / sw, b };
  // Not growing: the recent cost (the last half of what was measured).
  const recent = points.slice(Math.floor(points.length / 2));
  const rw = recent.reduce((sum, [, , w]) => sum + w, 0);
  return { a: rw > 0 ? recent.reduce((sum, [, y, w]) => sum + y * w, 0) / rw : meanCost, b: 0 };
}

export function createProgressEstimator(): ProgressEstimator {
  let points: Point[] = [];
  let last: ProgressSample | null = null;
  return {
    observe(sample, nowMs) {
      last = sample;
      const type = sample.type ?? null;
      const previous = points.at(-1);
      if (previous !== undefined && sample.received < previous.received) points = []; // a new run
      const point = { atMs: nowMs, received: sample.received, type };
      if (previous !== undefined && previous.type === type && nowMs - previous.atMs < sampleSpacingMs && points.length > 1) {
        points[points.length - 1] = point;
      } else {
        points.push(point);
      }
      if (points.length > keptSamples) points = points.filter((_, i) => i % 2 === 0 || i === points.length - 1);
    },
    view(nowMs) {
      const sample = last;
      if (sample === null) return { fraction: null, remainingMs: null };
      const total = sample.total;
      const fraction = fractionOf(sample);
      if (total === null || fraction === null) return { fraction: null, remainingMs: null };
      const first = points[0];
      if (first === undefined) return { fraction, remainingMs: null };
      const thisRun = sample.received - (sample.resumedFrom ?? 0);
      if (nowMs - first.atMs < minimumElapsedMs || thisRun < minimumReceived) return { fraction, remainingMs: null };
      const left = Math.max(0, total - sample.received);
      if (left === 0) return { fraction, remainingMs: 0 };
      // The pace between successive samples: [resources in the replica, ms per resource, resources].
      const paces = (from: number): Array<readonly [number, number, number]> => {
        const out: Array<readonly [number, number, number]> = [];
        for (let i = Math.max(1, from); i < points.length; i += 1) {
          const a = points[i - 1] as Point;
          const b = points[i] as Point;
          const dn = b.received - a.received;
          if (dn > 0) out.push([(a.received + b.received) / 2, (b.atMs - a.atMs) / dn, dn]);
        }
        return out;
      };
      const current = points.at(-1) as Point;
      let since = points.length - 1;
      while (since > 0 && (points[since - 1] as Point).type === current.type) since -= 1;
      const ownType = current.atMs - (points[since] as Point).atMs >= ownTypeMs ? paces(since + 1) : [];
      const fit = fitCost(ownType.length >= 3 ? ownType : paces(1), minimumSlopeSpan * total);
      if (fit === null) return { fraction, remainingMs: null };
      const n = sample.received;
      const ms = fit.a * (total - n) + (fit.b / 2) * (total * total - n * n);
      // Time since the last report counts as spent.
      const spent = nowMs - current.atMs;
      return { fraction, remainingMs: Math.max(0, Math.round(ms - spent)) };
    },
    reset() {
      points = [];
      last = null;
    },
  };
}
