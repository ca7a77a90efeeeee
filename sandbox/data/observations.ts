/**
 * Vital signs at each encounter and laboratory panels between them, as time series that move the
 * way treated chronic disease does (blood pressure falling on treatment, HbA1c improving, INR in
 * the therapeutic band on warfarin, creatinine creeping up in kidney disease).
 */
import type { Observation, ObservationComponent, Quantity } from '@medplum/fhirtypes';
import { atMinute, dayOffset } from './dates.ts';
import type { ChartContext, EncounterSlot } from './clinical.ts';
import type { MedicationKey } from './medications.ts';
import {
  interpret, interpretationDisplay, measurements, type MeasurementDefinition, type MeasurementKey, type QuantityDefinition,
} from './measurements.ts';
import type { Random } from './random.ts';
import { system, type ProblemKey } from './terminology.ts';

type Physiology = (loinc: string, yearsAgo: number, episode: boolean) => number;

const yearMs = 365.25 * 86_400_000;

/** Per-patient baselines, drawn once, then a trend over time plus measurement noise. */
function physiologyOf(
  random: Random,
  female: boolean,
  age: number,
  problems: ReadonlySet<ProblemKey>,
  meds: ReadonlySet<MedicationKey>,
): Physiology {
  const has = (key: ProblemKey): boolean => problems.has(key);
  const weightBase = (female ? 66 : 80) + random.normal(0, 9) + (has('obesity') ? 28 : 0);
  const creatinineBase = female ? 68 : 85;
  const hemoglobinBase = female ? 13.4 : 14.9;
  const n = (sd: number): number => random.normal(0, sd);
  return (loinc, yearsAgo, episode) => {
    switch (loinc) {
      case '8480-6': return has('hypertension') ? 128 + 8 * yearsAgo + n(6) : 112 + age * 0.15 + n(6);
      case '8462-4': return has('hypertension') ? 80 + 4 * yearsAgo + n(4) : 72 + n(5);
      case '8867-4': return (has('atrialFibrillation') ? 88 + n(14) : 72 + n(7)) - (meds.has('bisoprolol') ? 10 : 0);
      case '8310-5': return episode ? 38.7 + n(0.3) : 36.8 + n(0.25);
      case '59408-5': return Math.min(100, has('copd') ? 92 + n(1.5) : 97.5 + n(1));
      case '29463-7': return weightBase + (has('obesity') ? 0.8 * yearsAgo : 0) + n(0.6);
      case '2339-0': return has('diabetes') ? 130 + 15 * yearsAgo + n(20) : 92 + n(8);
      case '4548-4': return has('diabetes') ? 6.9 + 0.5 * yearsAgo + n(0.25) : 5.3 + n(0.2);
      case '14682-9': return has('kidneyDisease') ? 150 - 10 * yearsAgo + n(8) : creatinineBase + n(8);
      case '62238-1': return Math.max(10, Math.min(120, has('kidneyDisease') ? 38 + 5 * yearsAgo + n(3) : 90 - Math.max(0, age - 40) * 0.5 + n(5)));
      case '2823-3': return meds.has('spironolactone') && meds.has('ramipril') ? 5.2 - 0.1 * yearsAgo + n(0.2) : 4.2 + n(0.3);
      case '2951-2': return 140 + n(2);
      case '13457-7': return has('hyperlipidemia') ? 105 + 25 * yearsAgo + n(10) : 120 + n(18);
      case '2093-3': return has('hyperlipidemia') ? 185 + 25 * yearsAgo + n(12) : 190 + n(20);
      case '718-7': return has('anemia') ? 10.8 - 0.4 * yearsAgo + n(0.4) : hemoglobinBase + n(0.6);
      case '6301-6': return meds.has('warfarin') ? (meds.has('amiodarone') ? 3.3 : 2.5) + n(0.35) : 1 + n(0.08);
      case '3016-3': return Math.max(0.1, has('hypothyroidism') ? 2.4 + 1.5 * yearsAgo + n(0.5) : 1.9 + n(0.7));
      case '1988-5': return Math.max(0.3, episode ? 85 + n(20) : 2.5 + n(1.5));
      default: return 0;
    }
  };
}

type ObservationSpec = Readonly<{
  measurement: MeasurementDefinition;
  dayMs: number;
  minute: number;
  encounterId?: string;
  episode: boolean;
  /** Lower is kept first when the budget is short. */
  priority: number;
}>;

const vitalOrder: readonly MeasurementKey[] = ['bloodPressure', 'heartRate', 'weight', 'temperature', 'oxygenSaturation', 'glucose'];

function labPanelFor(problems: ReadonlySet<ProblemKey>, meds: ReadonlySet<MedicationKey>): MeasurementKey[] {
  const panel: MeasurementKey[] = ['creatinine', 'egfr', 'potassium', 'sodium', 'hemoglobin'];
  if (problems.has('diabetes')) panel.push('hba1c');
  if (problems.has('hyperlipidemia') || meds.has('simvastatin') || meds.has('atorvastatin')) panel.push('ldl', 'cholesterol');
  if (meds.has('warfarin')) panel.push('inr');
  if (problems.has('hypothyroidism')) panel.push('tsh');
  panel.push('crp');
  return panel;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function quantityOf(value: number, quantity: QuantityDefinition): Quantity {
  return { value: round(value, quantity.decimals), unit: quantity.unit, system: system.ucum, code: quantity.ucum };
}

function rangeAndInterpretation(value: number, quantity: QuantityDefinition): Pick<Observation, 'interpretation' | 'referenceRange'> {
  const code = interpret(round(value, quantity.decimals), quantity);
  if (code === undefined) return {};
  return {
    interpretation: [{ coding: [{ system: system.interpretation, code, display: interpretationDisplay[code] }] }],
    referenceRange: [{
      ...(quantity.low !== undefined ? { low: quantityOf(quantity.low, quantity) } : {}),
      ...(quantity.high !== undefined ? { high: quantityOf(quantity.high, quantity) } : {}),
    }],
  };
}

export type ObservationInputs = Readonly<{
  context: ChartContext;
  encounters: readonly EncounterSlot[];
  problems: ReadonlySet<ProblemKey>;
  meds: ReadonlySet<MedicationKey>;
  /** The day of an acute infectious episode, if any (fever, raised CRP). */
  episodeDayMs?: number;
  count: number;
}>;

function planSpecs(inputs: ObservationInputs): ObservationSpec[] {
  const { context, encounters, problems, meds, count } = inputs;
  const vitals: ObservationSpec[] = [];
  encounters.forEach((slot, index) => {
    for (const [rank, key] of vitalOrder.entries()) {
      if (key === 'glucose' && !problems.has('diabetes')) continue;
      // Recent encounters and the main vitals survive a short budget.
      vitals.push({ measurement: measurements[key], dayMs: slot.dayMs, minute: slot.minute + 5, encounterId: slot.id, episode: slot.dayMs === inputs.episodeDayMs, priority: rank * 1000 + (encounters.length - index) });
    }
  });
  if (vitals.length >= count) {
    return vitals.sort((a, b) => a.priority - b.priority).slice(0, count);
  }
  const remaining = count - vitals.length;
  const panel = labPanelFor(problems, meds);
  const labDays = Math.ceil(remaining / panel.length);
  const labs: ObservationSpec[] = [];
  for (let d = 0; d < labDays; d++) {
    // Evenly spaced over three years, the most recent a week before the reference date.
    const daysAgo = labDays === 1 ? 7 : Math.round(7 + (1088 * (labDays - 1 - d)) / (labDays - 1));
    const dayMs = dayOffset(context.referenceMs, -daysAgo);
    for (const key of panel) {
      labs.push({ measurement: measurements[key], dayMs, minute: 7 * 60 + 45, episode: false, priority: 0 });
    }
  }
  if (inputs.episodeDayMs !== undefined && labs.length > 0) {
    const crp = labs.find((s) => s.measurement.key === 'crp');
    if (crp) labs[labs.indexOf(crp)] = { ...crp, dayMs: inputs.episodeDayMs, minute: 9 * 60, episode: true };
  }
  // Keep the most recent lab results when the last panel cannot be complete.
  return [...vitals, ...labs.slice(labs.length - remaining)];
}

export function buildObservations(inputs: ObservationInputs): Observation[] {
  const { context } = inputs;
  const { random, profile } = context;
  const physiology = physiologyOf(random, profile.gender === 'female', profile.age, inputs.problems, inputs.meds);
  const fr = profile.locale === 'fr';
  return planSpecs(inputs)
    .sort((a, b) => a.dayMs - b.dayMs || a.minute - b.minute)
    .map((spec): Observation => {
      const { measurement } = spec;
      const yearsAgo = Math.max(0, (context.referenceMs - spec.dayMs) / yearMs);
      const effective = atMinute(spec.dayMs, spec.minute);
      const base: Observation = {
        resourceType: 'Observation',
        id: random.uuid(),
        status: 'final',
        category: [{
          coding: [{
            system: system.observationCategory,
            code: measurement.category,
            display: measurement.category === 'vital-signs' ? 'Vital Signs' : 'Laboratory',
          }],
        }],
        code: { coding: [{ system: system.loinc, code: measurement.loinc, display: measurement.display }], text: fr ? measurement.displayFr : measurement.display },
        subject: { reference: `Patient/${profile.id}` },
        ...(spec.encounterId ? { encounter: { reference: `Encounter/${spec.encounterId}` } } : {}),
        effectiveDateTime: effective,
        ...(measurement.category === 'laboratory' ? { issued: atMinute(spec.dayMs, spec.minute + 240) } : {}),
        performer: [{ reference: `Practitioner/${context.generalPractitionerId}` }],
      };
      if (measurement.panel) {
        base.component = measurement.components.map((quantity): ObservationComponent => {
          const value = physiology(quantity.loinc, yearsAgo, spec.episode);
          return {
            code: { coding: [{ system: system.loinc, code: quantity.loinc, display: quantity.display }] },
            valueQuantity: quantityOf(value, quantity),
            ...rangeAndInterpretation(value, quantity),
          };
        });
        return base;
      }
      const quantity = measurement.components[0];
      if (!quantity) return base;
      const value = physiology(quantity.loinc, yearsAgo, spec.episode);
      return { ...base, valueQuantity: quantityOf(value, quantity), ...rangeAndInterpretation(value, quantity) };
    });
}
