import { primarySourceId } from '../../../shared/exchange/source-policy';
import { sourceOfRef } from './chart-sources';
import type { VitalPoint } from './observations';

/**
 * (The page thread.) Which series a vital-sign trend draws, and how (VitalTrendPlot): the clinic's
 * measurements recorded on the HIE as a solid line; another source's (issue 15, a hospital) as a
 * dashed line of its own, per source; the patient's own (home) as hollow points, never joined to
 * either. A value is in exactly one series, so nothing is drawn twice and nothing is left out.
 */
export type PlotStyle = 'clinic' | 'source' | 'home';
export type PlotGroup = Readonly<{ style: PlotStyle; source: string | null; values: readonly (readonly (number | null)[])[] }>;

export function plotGroups(points: readonly VitalPoint[], lines: number): PlotGroup[] {
  const groupOf = (p: VitalPoint): string => (p.home ? 'home' : sourceOfRef(p.ref).source);
  const keys = [...new Set(points.map(groupOf))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  // The clinic's line is always there (a legend entry even when every value came from elsewhere).
  if (!keys.includes(primarySourceId)) keys.unshift(primarySourceId);
  return keys.map((key) => ({
    style: key === 'home' ? 'home' : key === primarySourceId ? 'clinic' : 'source',
    source: key === 'home' || key === primarySourceId ? null : key,
    values: Array.from({ length: lines }, (_, i) => points.map((p) => (groupOf(p) === key ? (p.values[i] ?? null) : null))),
  }));
}

const rank = (key: string): number => (key === primarySourceId ? 0 : key === 'home' ? 2 : 1);
