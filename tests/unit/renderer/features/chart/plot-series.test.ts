import { describe, expect, it } from 'vitest';
import type { VitalPoint } from '../../../../../renderer/features/chart/observations';
import { plotGroups } from '../../../../../renderer/features/chart/plot-series';

const point = (ref: string, time: number, values: number[], home = false): VitalPoint => ({ ref, pending: false, home, when: null as unknown as VitalPoint['when'], time, values, unitCode: 'mm[Hg]', unit: 'mmHg' });

describe('the series of a vital-sign trend', () => {
  it('draws the clinic’s values, each other source’s and the patient’s own apart: each value in one series only', () => {
    const points = [
      point('Observation/a', 1, [130, 80]),
      point('ch-sud~Observation/900', 2, [150, 95]),
      point('Observation/h', 3, [142, 88], true),
      point('ch-nord~Observation/7', 4, [128, 79]),
      point('ch-sud~Observation/901', 5, [149, 90], true),
    ];
    const groups = plotGroups(points, 2);
    expect(groups.map((g) => [g.style, g.source])).toEqual([
      ['clinic', null],
      ['source', 'ch-nord'],
      ['source', 'ch-sud'],
      ['home', null],
    ]);
    expect(groups[0]?.values).toEqual([
      [130, null, null, null, null],
      [80, null, null, null, null],
    ]);
    expect(groups[2]?.values[0]).toEqual([null, 150, null, null, null]);
    expect(groups[3]?.values[1]).toEqual([null, null, 88, null, 90]);
    // Every value drawn exactly once.
    for (let i = 0; i < points.length; i += 1) {
      for (let line = 0; line < 2; line += 1) expect(groups.filter((g) => g.values[line]?.[i] !== null)).toHaveLength(1);
    }
  });

  it('keeps the clinic’s line (and legend) when every value came from elsewhere; no source or home series without values', () => {
    expect(plotGroups([point('ch-sud~Observation/1', 1, [70])], 1).map((g) => [g.style, g.source, g.values])).toEqual([
      ['clinic', null, [[null]]],
      ['source', 'ch-sud', [[70]]],
    ]);
    expect(plotGroups([point('Observation/1', 1, [70])], 1).map((g) => g.style)).toEqual(['clinic']);
  });
});
