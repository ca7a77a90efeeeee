import { describe, expect, it } from 'vitest';
import { buildChart } from '../../../../../renderer/features/chart/chart-model';
import { medicationEntries } from '../../../../../renderer/features/medication/patient-medications';
import { medicationKnowledge } from '../../../../../shared/medication/knowledge';
import { fixtureCharts } from '../chart/fixture-charts';

/**
 * Medications as other systems send them (tests/fixtures/fhir: Synthea, an Australian, an English,
 * a French and a US record): coded in RxNorm at product level, in SNOMED CT-AU or dm+d, by a
 * contained or referenced Medication, by a reference's display — every active one is matched to
 * the dictionary by RxNorm, ATC or name, so none of them escapes the checks.
 */
const { base } = medicationKnowledge();

describe('the fixture records’ current medications', () => {
  it('are all matched to the dictionary', () => {
    const matched: string[] = [];
    const unmatched: string[] = [];
    for (const entries of fixtureCharts().values()) {
      const chart = buildChart(entries, { medications: new Map(entries.filter((e) => e.resourceType === 'Medication' && e.resource).map((e) => [e.ref, e.resource as Record<string, unknown>])) });
      for (const entry of medicationEntries(base, chart.medications)) (entry.ingredients.length > 0 ? matched : unmatched).push(`${entry.label} → ${entry.ingredients.join(' + ')}`);
    }
    expect(unmatched).toEqual([]);
    expect(matched.length).toBeGreaterThanOrEqual(5);
    expect(matched).toEqual(expect.arrayContaining(['dolutegravir 50 mg tablet → dolutegravir', 'oxycodone hydrochloride 5 MG Oral Tablet → oxycodone', 'Linagliptin 5mg tablets → linagliptin']));
  });
});
