import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { Timing } from './timing.ts';

/** Reading the timings the reporters wrote: the slowest tests, and the limits nearest their durations. */
export const headroomWanted = 3;

export function loadTimings(directory: string): Timing[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((f) => f.endsWith('-timings.json'))
    .flatMap((f) => JSON.parse(readFileSync(`${directory}/${f}`, 'utf8')) as Timing[]);
}

export const ratioOf = (t: Timing): number => (t.limitMs > 0 ? t.durationMs / t.limitMs : 0);

export const slowest = (rows: readonly Timing[], n: number): Timing[] =>
  rows.filter((t) => t.kind === 'test').sort((a, b) => b.durationMs - a.durationMs).slice(0, n);

export const tightest = (rows: readonly Timing[], n: number): Timing[] => [...rows].sort((a, b) => ratioOf(b) - ratioOf(a)).slice(0, n);

/** Limits with less than the wanted headroom (a limit under three times the duration). */
export const short = (rows: readonly Timing[]): Timing[] => rows.filter((t) => ratioOf(t) > 1 / headroomWanted);

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function line(t: Timing): string {
  return `${seconds(t.durationMs).padStart(8)} of ${seconds(t.limitMs).padStart(7)} (${(ratioOf(t) * 100).toFixed(0).padStart(3)} %)  [${t.runner} ${t.kind}] ${t.file} › ${t.name}`;
}

/** The same test across several runs: its slowest time, against its limit. */
export function worstOfRuns(runs: readonly (readonly Timing[])[]): Timing[] {
  const worst = new Map<string, Timing>();
  for (const rows of runs) {
    for (const t of rows) {
      const key = `${t.runner}|${t.kind}|${t.file}|${t.name}`;
      const seen = worst.get(key);
      if (seen === undefined || ratioOf(t) > ratioOf(seen)) worst.set(key, t);
    }
  }
  return [...worst.values()];
}
