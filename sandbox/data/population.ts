/**
 * The seeded population: an organisation, practitioners with their panels (a Group each, plus
 * CareTeams sharing some patients), and every patient's chart. Same options, same resources —
 * and patient i's chart depends only on the seed and i, so a small population is a prefix of a
 * larger one. Resources are produced lazily so 500k of them never sit in an array.
 */
import type { Group, Organization, Practitioner, Resource } from '@medplum/fhirtypes';
import { generateAdversarialChart, adversarialPatientCount } from './adversarial.ts';
import { minimumResourcesPerPatient } from './chart-plan.ts';
import { generateChart } from './chart.ts';
import { parseReferenceDate } from './dates.ts';
import { demoPassword, demoPractitioners, familyNames, givenNames, type PractitionerProfile } from './people.ts';
import { createRandom, mixSeed } from './random.ts';
import { system } from './terminology.ts';
import { duplicateIdOf, duplicateIndex, duplicatePatient, isShared, twinChart } from './twin.ts';

export type PopulationOptions = Readonly<{
  seed: number;
  patients: number;
  resourcesPerPatient: number;
  practitioners: number;
  adversarial: boolean;
  /** The "today" of the data (YYYY-MM-DD): series end there, appointments follow it. */
  referenceDate: string;
  /** A second HIE for the population of the sandbox with this seed (twin.ts); same patients, per-patient count and reference date expected. */
  twinOf?: number;
}>;

export type DemoPractitioner = Readonly<{
  id: string;
  name: string;
  username: string;
  /** Demo-only; never a real secret. */
  password: string;
  /** Patients this practitioner may see, from their Group and the CareTeams they are in. */
  patients: readonly string[];
}>;

export type Population = Readonly<{
  options: PopulationOptions;
  organizationId: string;
  practitioners: readonly DemoPractitioner[];
  /** Each practitioner's panel (a Group), in the same order. */
  panelGroupIds: readonly string[];
  /** How many resources `resources()` yields. */
  resourceCount: number;
  resources(): Generator<Resource, void, undefined>;
}>;

function practitionerProfile(seed: number, k: number): PractitionerProfile {
  const fixed = demoPractitioners[k];
  if (fixed) return fixed;
  const random = createRandom(mixSeed(seed, 'practitioner-profile', k));
  const locale = random.chance(0.75) ? 'fr' : 'en';
  const gender = random.chance(0.5) ? 'female' : 'male';
  return {
    given: random.pick(givenNames[locale][gender]),
    family: random.pick(familyNames[locale]),
    gender,
    locale,
    username: `pract${k + 1}`,
  };
}

export function patientIdAt(seed: number, index: number): string {
  return createRandom(mixSeed(seed, 'patient', index)).uuid();
}

/** Whether patient `index` is shared with a second practitioner through a CareTeam. */
export function sharesCareTeam(index: number, options: PopulationOptions): boolean {
  return options.practitioners > 1 && index % 4 === 0 && options.resourcesPerPatient >= 12;
}

export function validatePopulationOptions(options: PopulationOptions): void {
  if (!Number.isInteger(options.seed)) throw new RangeError('seed must be an integer');
  if (!Number.isInteger(options.patients) || options.patients < 0) throw new RangeError('patients must be a non-negative integer');
  if (!Number.isInteger(options.resourcesPerPatient) || options.resourcesPerPatient < minimumResourcesPerPatient) {
    throw new RangeError(`resourcesPerPatient must be an integer of at least ${minimumResourcesPerPatient}`);
  }
  if (!Number.isInteger(options.practitioners) || options.practitioners < 1) throw new RangeError('practitioners must be at least 1');
  if (options.twinOf !== undefined && (!Number.isInteger(options.twinOf) || options.twinOf === options.seed)) throw new RangeError('twinOf must be another seed than this sandbox\'s');
  parseReferenceDate(options.referenceDate);
}

export function createPopulation(options: PopulationOptions): Population {
  validatePopulationOptions(options);
  const { seed, practitioners: practitionerCount } = options;
  const referenceMs = parseReferenceDate(options.referenceDate);
  const organizationId = createRandom(mixSeed(seed, 'organization')).uuid();
  const practitionerIds = Array.from({ length: practitionerCount }, (_, k) => createRandom(mixSeed(seed, 'practitioner', k)).uuid());
  const groupIds = Array.from({ length: practitionerCount }, (_, k) => createRandom(mixSeed(seed, 'group', k)).uuid());
  const adversarialCount = options.adversarial ? adversarialPatientCount : 0;
  const adversarialIds = Array.from({ length: adversarialCount }, (_, a) => createRandom(mixSeed(seed, 'adversarial', a)).uuid());
  const patientIds = Array.from({ length: options.patients }, (_, i) => patientIdAt(seed, i));

  const owner = (index: number): number => index % practitionerCount;
  const careTeamMember = (index: number): number | undefined =>
    sharesCareTeam(index, options) ? (index + 1) % practitionerCount : undefined;

  const panels: string[][] = practitionerIds.map(() => []);
  patientIds.forEach((id, index) => {
    panels[owner(index)]?.push(id);
    const member = careTeamMember(index);
    if (member !== undefined) panels[member]?.push(id);
  });
  panels[0]?.push(...adversarialIds);
  const twin = options.twinOf;
  const duplicateId = twin !== undefined && duplicateIndex < options.patients ? duplicateIdOf(seed) : null;
  if (duplicateId !== null) panels[owner(duplicateIndex)]?.push(duplicateId);

  const practitioners: DemoPractitioner[] = practitionerIds.map((id, k) => {
    const profile = practitionerProfile(seed, k);
    return {
      id,
      name: `Dr ${profile.given} ${profile.family}`,
      username: profile.username,
      password: demoPassword(profile.username),
      patients: panels[k] ?? [],
    };
  });

  const adversarialResourcesEach = 5;
  // A twin carries a shared patient's chart without every third record (the Patient stays), and one duplicate Patient.
  const perPatient = options.resourcesPerPatient;
  const sharedCount = twin === undefined ? 0 : Array.from({ length: options.patients }, (_, i) => i).filter(isShared).length;
  const chartResources = options.patients * perPatient - sharedCount * Math.floor((perPatient - 1) / 3) + (duplicateId === null ? 0 : 1);
  const resourceCount = 1 + 2 * practitionerCount + chartResources + adversarialCount * adversarialResourcesEach;

  function* resources(): Generator<Resource, void, undefined> {
    const organization: Organization = {
      resourceType: 'Organization',
      id: organizationId,
      identifier: [{ system: system.finess, value: '750000001' }],
      active: true,
      name: 'Maison de santé pluriprofessionnelle du Val',
      address: [{ line: ['1 place de la Mairie'], city: 'Périgueux', postalCode: '24000', country: 'FR' }],
    };
    yield organization;
    for (let k = 0; k < practitionerCount; k++) {
      const profile = practitionerProfile(seed, k);
      const random = createRandom(mixSeed(seed, 'practitioner-identifier', k));
      const practitioner: Practitioner = {
        resourceType: 'Practitioner',
        id: practitionerIds[k] ?? '',
        identifier: [profile.locale === 'fr'
          ? { system: system.rpps, value: `10${random.digits(9)}` }
          : { system: system.gmc, value: random.digits(7) }],
        active: true,
        name: [{ use: 'official', family: profile.family, given: [profile.given], prefix: ['Dr'] }],
        gender: profile.gender,
        telecom: [{ system: 'email', value: `${profile.username}@hie.relais.example.org`, use: 'work' }],
      };
      yield practitioner;
      const group: Group = {
        resourceType: 'Group',
        id: groupIds[k] ?? '',
        type: 'person',
        actual: true,
        name: profile.locale === 'fr' ? `Patientèle du Dr ${profile.family}` : `Dr ${profile.family}'s panel`,
        managingEntity: { reference: `Practitioner/${practitionerIds[k] ?? ''}` },
        member: patientIds
          .filter((_, index) => owner(index) === k)
          .concat(k === 0 ? adversarialIds : [])
          .concat(duplicateId !== null && owner(duplicateIndex) === k ? [duplicateId] : [])
          .map((id) => ({ entity: { reference: `Patient/${id}` } })),
      };
      group.quantity = group.member?.length ?? 0;
      yield group;
    }
    for (let index = 0; index < options.patients; index++) {
      const random = createRandom(mixSeed(seed, 'patient', index));
      const patientId = random.uuid();
      const member = careTeamMember(index);
      const chartOptions = {
        index,
        patientId,
        referenceMs,
        resourcesPerPatient: options.resourcesPerPatient,
        generalPractitionerId: practitionerIds[owner(index)] ?? '',
        organizationId,
        panelRank: Math.floor(index / practitionerCount),
        ...(member !== undefined ? { careTeamMemberId: practitionerIds[member] ?? '' } : {}),
      };
      if (twin === undefined || !isShared(index)) {
        yield* generateChart(random, chartOptions);
        continue;
      }
      // The first HIE's chart of this patient (its stream, its patient id), carried over here.
      const first = createRandom(mixSeed(twin, 'patient', index));
      const firstId = first.uuid();
      const chart = twinChart([...generateChart(first, { ...chartOptions, patientId: firstId })], random, patientId, index);
      yield* chart;
      const patient = chart.find((r) => r.resourceType === 'Patient');
      if (duplicateId !== null && index === duplicateIndex && patient !== undefined) yield duplicatePatient(patient, duplicateId);
    }
    for (let a = 0; a < adversarialCount; a++) {
      const random = createRandom(mixSeed(seed, 'adversarial-chart', a));
      yield* generateAdversarialChart({
        index: a,
        patientId: adversarialIds[a] ?? '',
        ids: () => random.uuid(),
        referenceMs,
        practitionerId: practitionerIds[0] ?? '',
        organizationId,
      });
    }
  }

  return { options, organizationId, practitioners, panelGroupIds: groupIds, resourceCount, resources };
}
