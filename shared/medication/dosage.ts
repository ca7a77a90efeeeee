import type { Dosage } from '@medplum/fhirtypes';
import { routes, type Ingredient, type MassUnit, type Route, type Strength } from './knowledge-schema';

/**
 * Structured dosage (issue 13 item 2): what the order form collects, written as a FHIR `Dosage`
 * (timing, doseAndRate, route, asNeededBoolean), and checked for plausibility
 * against the dictionary's usual daily maximum.
 */

export const doseUnits = ['mg', 'g', 'mcg', 'IU', 'U', 'mL', 'tablet', 'capsule', 'puff', 'drop', 'sachet', 'suppository', 'patch', 'application'] as const;
export type DoseUnit = (typeof doseUnits)[number];

const ucum = 'http://unitsofmeasure.org';
/** UCUM codes; countable units are UCUM annotations. */
const ucumOf: Readonly<Record<DoseUnit, string>> = {
  mg: 'mg', g: 'g', mcg: 'ug', IU: '[iU]', U: '[iU]', mL: 'mL',
  tablet: '{tablet}', capsule: '{capsule}', puff: '{puff}', drop: '{drop}', sachet: '{sachet}', suppository: '{suppository}', patch: '{patch}', application: '{application}',
};

export const periodUnits = ['h', 'd', 'wk'] as const;
export type PeriodUnit = (typeof periodUnits)[number];

export type DosageInput = Readonly<{
  dose: number;
  unit: DoseUnit;
  route: Route;
  /** `frequency` times every `period` `periodUnit` (2 / 1 / d: twice a day; 1 / 8 / h: every 8 hours). */
  frequency: number;
  period: number;
  periodUnit: PeriodUnit;
  /** Days of treatment; null: no end set. */
  durationDays: number | null;
  asNeeded: boolean;
}>;

/**
 * The FHIR Dosage of a structured order. `labels` are the unit and route as the clinician reads
 * them (the renderer's i18n); the caller sets `text` from the structure in the clinician's
 * language (renderer/features/record/dosage-text.ts), so the chart reads back what was ordered.
 */
export function toFhirDosage(input: DosageInput, labels: Readonly<{ unit: string; route: string }>): Dosage {
  return {
    timing: {
      repeat: {
        frequency: input.frequency,
        period: input.period,
        periodUnit: input.periodUnit,
        ...(input.durationDays !== null ? { boundsDuration: { value: input.durationDays, unit: 'd', system: ucum, code: 'd' } } : {}),
      },
    },
    asNeededBoolean: input.asNeeded,
    route: { coding: [{ system: 'http://snomed.info/sct', code: routes[input.route] }], text: labels.route },
    doseAndRate: [{ doseQuantity: { value: input.dose, unit: labels.unit, system: ucum, code: ucumOf[input.unit] } }],
  };
}

const massFactor: Readonly<Partial<Record<string, Readonly<{ base: string; factor: number }>>>> = {
  g: { base: 'mg', factor: 1000 },
  mg: { base: 'mg', factor: 1 },
  mcg: { base: 'mg', factor: 0.001 },
  IU: { base: 'IU', factor: 1 },
  U: { base: 'U', factor: 1 },
  mmol: { base: 'mmol', factor: 1 },
};

/** An amount in a comparable base (mg, IU, U, mmol), or null. */
function inBase(value: number, unit: string): Readonly<{ value: number; base: string }> | null {
  const f = massFactor[unit];
  return f ? { value: value * f.factor, base: f.base } : null;
}

const perDay = (input: DosageInput): number => (input.frequency / input.period) * (input.periodUnit === 'h' ? 24 : input.periodUnit === 'd' ? 1 : 1 / 7);

export type Plausibility =
  | Readonly<{ kind: 'ok'; daily: number; unit: MassUnit | string; max: number }>
  | Readonly<{ kind: 'implausible'; daily: number; unit: MassUnit | string; max: number }>
  /** A weekly-only medicine (oral low-dose methotrexate) ordered more often than once a week. */
  | Readonly<{ kind: 'weekly' }>
  /** No maximum known for the ingredient or for this route, or the dose cannot be turned into its unit (no strength chosen for a count of tablets). */
  | Readonly<{ kind: 'unknown' }>;

/**
 * The daily amount against the ingredient's usual maximum: ten times the maximum or more is
 * implausible (a slipped decimal, mg for µg). A count of tablets, puffs or mL counts through the
 * chosen strength.
 */
export function plausibility(input: DosageInput, ingredient: Ingredient, strength: Strength | null): Plausibility {
  const max = ingredient.maxDailyDose;
  const weekly = ingredient.schedule === 'weekly' && (max === null || max.route === input.route);
  if (weekly && (input.periodUnit !== 'wk' || input.frequency / input.period > 1)) return { kind: 'weekly' };
  // A maximum holds for its route: an intravenous maximum says nothing of tablets, nor the reverse.
  if (max === null || max.route !== input.route) return { kind: 'unknown' };
  const maxBase = inBase(max.value, max.unit);
  if (maxBase === null) return { kind: 'unknown' };
  let amount = inBase(input.dose, input.unit);
  if (amount === null && strength !== null) {
    if (input.unit === 'mL' && strength.unit.endsWith('/mL')) amount = inBase(input.dose * strength.value, strength.unit.slice(0, -3));
    else if (input.unit !== 'mL' && !strength.unit.includes('/') && strength.unit !== '%') amount = inBase(input.dose * strength.value, strength.unit);
    else if ((input.unit === 'puff' || input.unit === 'drop') && strength.unit.endsWith('/dose')) amount = inBase(input.dose * strength.value, strength.unit.slice(0, -5));
  }
  if (amount === null || amount.base !== maxBase.base) return { kind: 'unknown' };
  // A weekly medicine's maximum is for its one weekly dose.
  const daily = amount.value * (weekly ? 1 : perDay(input));
  const result = { daily: daily / (massFactor[max.unit]?.factor ?? 1), unit: max.unit, max: max.value };
  return daily >= 10 * maxBase.value ? { kind: 'implausible', ...result } : { kind: 'ok', ...result };
}
