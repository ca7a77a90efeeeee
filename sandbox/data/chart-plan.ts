/**
 * How one patient's resource budget is spent: which problems, treatments and allergies, how many
 * encounters, appointments and documents; observations take what is left, so every chart holds
 * exactly `resourcesPerPatient` resources.
 */
import { interactions, oncHalves, treatments, type MedicationKey } from './medications.ts';
import { referralStates, type ReferralState } from './coordination.ts';
import type { PatientProfile } from './patient.ts';
import type { Random } from './random.ts';
import { allergies, problems, type AllergyDefinition, type ProblemKey } from './terminology.ts';

export type ChartPlan = Readonly<{
  problems: readonly ProblemKey[];
  medications: readonly MedicationKey[];
  /** Medications that must stay active: an interacting pair given on purpose, or one half of an ONC pair. */
  forcedPair: readonly MedicationKey[];
  allergies: readonly AllergyDefinition[];
  encounters: number;
  appointments: number;
  documentReferences: number;
  compositions: number;
  careTeam: boolean;
  /** With a colleague sharing the patient: a message thread (2) and a referral (2, 3 answered). */
  coordination: Readonly<{ thread: boolean; referral: ReferralState | null }>;
  /** A to-do the practitioner keeps for the patient. */
  todo: boolean;
  observations: number;
}>;

export const minimumResourcesPerPatient = 10;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function chooseProblems(random: Random, profile: PatientProfile, forced: readonly ProblemKey[]): ProblemKey[] {
  const chosen = new Set<ProblemKey>(forced);
  for (const problem of problems) {
    if (profile.age < problem.minAge) continue;
    const ageFactor = profile.age < 50 ? 0.4 : profile.age > 70 ? 1.5 : 1;
    if (random.chance(problem.prevalence * ageFactor)) chosen.add(problem.key);
  }
  if (chosen.size === 0) chosen.add(profile.age > 45 ? 'hypertension' : 'migraine');
  return [...chosen];
}

function chooseMedications(random: Random, chosen: readonly ProblemKey[], forcedPair: readonly MedicationKey[]): MedicationKey[] {
  const meds = new Set<MedicationKey>(forcedPair);
  for (const problem of chosen) {
    const options = treatments[problem];
    if (options.length === 0) continue;
    meds.add(random.pick(options.slice(0, Math.min(2, options.length))));
    if (options.length > 2 && random.chance(0.35)) meds.add(random.pick(options.slice(2)));
  }
  // Two anticoagulants at once would be a prescribing error, not a test case.
  if (meds.has('warfarin') && meds.has('apixaban')) meds.delete('apixaban');
  return [...meds];
}

export function planChart(
  random: Random,
  profile: PatientProfile,
  resourcesPerPatient: number,
  careTeam: boolean,
  panelRank = 0,
): ChartPlan {
  if (resourcesPerPatient < minimumResourcesPerPatient) {
    throw new RangeError(`resourcesPerPatient must be at least ${minimumResourcesPerPatient}`);
  }
  // A share of patients carries a known interacting pair, the first six one of each; the next ten
  // one half of an ONC high-priority pair each (the other half is for the clinician to order).
  const slot = profile.index % 20;
  const interaction = slot < interactions.length ? interactions[slot] : undefined;
  const half = slot >= interactions.length ? oncHalves[slot - interactions.length] : undefined;
  const forcedPair: readonly MedicationKey[] = interaction ? interaction.pair : half ? [half] : [];
  const forcedProblems: readonly ProblemKey[] = interaction ? interaction.problems : [];

  const chosenProblems = chooseProblems(random, profile, forcedProblems);
  const meds = chooseMedications(random, chosenProblems, forcedPair);
  const allergyCount = resourcesPerPatient >= 20 ? random.pick([0, 0, 1, 1, 2, 3]) : 0;
  const chosenAllergies: AllergyDefinition[] = [];
  while (chosenAllergies.length < allergyCount) {
    const allergy = random.pick(allergies);
    if (!chosenAllergies.includes(allergy)) chosenAllergies.push(allergy);
  }

  const plan = {
    problems: chosenProblems,
    medications: meds,
    forcedPair,
    allergies: chosenAllergies,
    encounters: clamp(Math.round(resourcesPerPatient * 0.06), 1, 24),
    appointments: resourcesPerPatient >= 15 ? random.int(1, 2) : 0,
    documentReferences: 0,
    compositions: resourcesPerPatient >= 20 ? 1 : 0,
    careTeam: careTeam && resourcesPerPatient >= 12,
    // Coordination records need room beside the clinical ones (and a colleague for a thread).
    coordination: careTeam && resourcesPerPatient >= 30
      ? { thread: true, referral: referralStates[Math.floor(profile.index / 4) % referralStates.length] ?? 'requested' }
      : { thread: false, referral: null },
    todo: resourcesPerPatient >= 30 && panelRank % 10 === 1,
    observations: 0,
  };
  plan.documentReferences = clamp(Math.round(plan.encounters / 3), resourcesPerPatient >= 12 ? 1 : 0, 8);

  const used = (): number =>
    1 + plan.problems.length + plan.medications.length + plan.allergies.length + plan.encounters +
    plan.appointments + plan.documentReferences + plan.compositions + (plan.careTeam ? 1 : 0) +
    (plan.coordination.thread ? 2 : 0) + (plan.coordination.referral === null ? 0 : plan.coordination.referral === 'completed' ? 3 : 2) +
    (plan.todo ? 1 : 0);

  // Trim until the fixed part fits, least clinically important first, never the forced pair
  // (nor the care team, which decides who may see the patient).
  while (used() > resourcesPerPatient) {
    const optionalMeds = plan.medications.filter((m) => !forcedPair.includes(m));
    const optionalProblems = plan.problems.filter((p) => !forcedProblems.includes(p));
    if (plan.allergies.length > 0) plan.allergies = plan.allergies.slice(1);
    else if (plan.documentReferences > 0) plan.documentReferences -= 1;
    else if (plan.todo) plan.todo = false;
    else if (plan.coordination.referral !== null) plan.coordination = { ...plan.coordination, referral: null };
    else if (plan.coordination.thread) plan.coordination = { ...plan.coordination, thread: false };
    else if (optionalMeds.length > 0 && plan.medications.length > 1) {
      plan.medications = plan.medications.filter((m) => m !== optionalMeds[optionalMeds.length - 1]);
    } else if (optionalProblems.length > 0 && plan.problems.length > 1) {
      plan.problems = plan.problems.filter((p) => p !== optionalProblems[optionalProblems.length - 1]);
    } else if (plan.encounters > 1) plan.encounters -= 1;
    else if (plan.appointments > 0) plan.appointments -= 1;
    else if (plan.compositions > 0) plan.compositions -= 1;
    else break;
  }
  plan.observations = Math.max(0, resourcesPerPatient - used());
  return plan;
}
