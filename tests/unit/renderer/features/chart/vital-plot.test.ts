import { describe, expect, it } from 'vitest';
import { tickLabels } from '../../../../../renderer/features/chart/plot-ticks';

const day = 86_400;
const at = (iso: string): number => Date.parse(iso) / 1000;

describe('trend plot date labels', () => {
  it('are as coarse as the tick spacing, so ten years never crowd: years, months, days, hours', () => {
    const original = process.env['TZ'];
    process.env['TZ'] = 'UTC';
    try {
      expect(tickLabels([at('2015-01-01T00:00:00Z'), at('2020-01-01T00:00:00Z')], 5 * 365 * day, 'fr')).toEqual(['2015', '2020']);
      expect(tickLabels([at('2024-03-01T00:00:00Z')], 30 * day, 'en')).toEqual(['Mar 2024']);
      expect(tickLabels([at('2024-03-12T00:00:00Z')], 2 * day, 'fr')).toEqual(['12/03/24']);
      expect(tickLabels([at('2024-04-07T14:00:00Z')], 6 * 3600, 'fr')).toEqual(['07/04 14:00']);
    } finally {
      process.env['TZ'] = original;
    }
  });
});
