/**
 * (The sandbox, Node only.) A second HIE for the same people (issue 15, point 1: several sources, one chart). A sandbox
 * started with `twinOf: S` (CLI `--twin-of S`) is another hospital's server for the population of
 * the sandbox with seed S: every second patient (even index) is also one of its patients. Such a
 * patient has the same identity (name, birth date, INS or NHS number), their own local number, new
 * ids for every resource, about a third of the first HIE's records missing, and about one result
 * in ten with another value. Two patients are made to be shown, not guessed: patient 2's birth date
 * differs by a typing slip (same INS), and patient 4 has a duplicate record here (a second Patient
 * with the same INS, as hospitals have). Odd-index patients are this server's own. Deterministic.
 */
import type { Resource } from '@medplum/fhirtypes';
import { createRandom, mixSeed, type Random } from './random.ts';
import { system } from './terminology.ts';

export const isShared = (index: number): boolean => index % 2 === 0;
/** The shared patient whose birth date is entered differently here. */
export const slipIndex = 2;
/** The shared patient who has a duplicate record here. */
export const duplicateIndex = 4;

/** The id of the duplicate record of patient `duplicateIndex` on the twin of seed `seed`. */
export const duplicateIdOf = (seed: number): string => createRandom(mixSeed(seed, 'twin-duplicate')).uuid();

/** A shared patient's chart as the first HIE has it, carried over: new ids (references rewritten), some left out, some values changed. */
export function twinChart(chart: readonly Resource[], own: Random, patientId: string, index: number): Resource[] {
  const ids = new Map<string, string>();
  for (const resource of chart) {
    if (resource.id === undefined) continue;
    ids.set(resource.id, resource.resourceType === 'Patient' ? patientId : own.uuid());
  }
  let text = JSON.stringify(chart);
  for (const [from, to] of ids) text = text.split(from).join(to);
  const carried = JSON.parse(text) as Resource[];
  const out: Resource[] = [];
  carried.forEach((resource, k) => {
    if (resource.resourceType === 'Patient') {
      out.push(twinPatient(resource, index));
      return;
    }
    // Every third record is not here.
    if (k % 3 === 0) return;
    if (resource.resourceType === 'Observation' && resource.valueQuantity?.value !== undefined && own.chance(0.1)) {
      out.push({ ...resource, valueQuantity: { ...resource.valueQuantity, value: Math.round((resource.valueQuantity.value * 1.25 + 1) * 10) / 10 } });
      return;
    }
    out.push(resource);
  });
  return out;
}

function twinPatient(patient: Resource & { resourceType: 'Patient' }, index: number): Resource {
  const identifier = (patient.identifier ?? []).map((i) =>
    i.system === system.localPatientId ? { ...i, value: `HOSP-${String(900000 + index)}` } : i,
  );
  const birthDate = index === slipIndex && patient.birthDate !== undefined ? slip(patient.birthDate) : patient.birthDate;
  return { ...patient, identifier, ...(birthDate === undefined ? {} : { birthDate }) };
}

/** Day and month swapped where that is still a date, else the day moved by one (back from the 28th on, so it stays a date in every month). */
function slip(date: string): string {
  const [y, m, d] = date.split('-');
  if (y === undefined || m === undefined || d === undefined) return date;
  if (d !== m && Number(d) <= 12) return `${y}-${d}-${m}`;
  const day = Number(d) >= 28 ? Number(d) - 1 : Number(d) + 1;
  return `${y}-${m}-${String(day).padStart(2, '0')}`;
}

/** The duplicate record: the patient again under a new id, with only their identity. */
export function duplicatePatient(patient: Resource, id: string): Resource {
  return { ...patient, id, identifier: (patient.resourceType === 'Patient' ? (patient.identifier ?? []) : []).filter((i) => i.system !== system.localPatientId) } as Resource;
}
