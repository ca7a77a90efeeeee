/**
 * The synthetic data generator: deterministic (same seed, same data), sized exactly, and
 * clinically well-formed — valid codes, identifiers and structures, plausible series, the
 * interacting pairs and the adversarial set.
 */
import { createHash } from 'node:crypto';
import { validateResource } from '@medplum/core';
import type {
  AllergyIntolerance, Appointment, CareTeam, Coding, Communication, Composition, DocumentReference, MedicationRequest, Observation, Patient, Quantity, Resource,
  ServiceRequest, Task,
} from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { adversarialTag } from '../../../../sandbox/data/adversarial.ts';
import { isAtcCode, isLoincCode, isNhsNumberValid, isNirValid, isSnomedConceptId } from '../../../../sandbox/data/check-digits.ts';
import { interpret, measurements, ucumCodes } from '../../../../sandbox/data/measurements.ts';
import { familyNames, givenNames } from '../../../../sandbox/data/people.ts';
import { createPopulation, type PopulationOptions } from '../../../../sandbox/data/population.ts';
import { loadFhirDefinitions } from '../../../../sandbox/fhir/definitions.ts';

const options: PopulationOptions = { seed: 7, patients: 40, resourcesPerPatient: 200, practitioners: 3, adversarial: false, referenceDate: '2026-11-28' };
let resources: Resource[];

function all(population = createPopulation(options)): Resource[] {
  return [...population.resources()];
}

function digest(list: readonly Resource[]): string {
  return createHash('sha256').update(JSON.stringify(list)).digest('hex');
}

function ofType<T extends Resource>(type: T['resourceType']): T[] {
  return resources.filter((r): r is T => r.resourceType === type);
}

function codings(value: unknown, out: Coding[] = []): Coding[] {
  if (Array.isArray(value)) for (const item of value) codings(item, out);
  else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record['system'] === 'string' && typeof record['code'] === 'string') out.push(record as Coding);
    for (const child of Object.values(record)) codings(child, out);
  }
  return out;
}

function quantities(observation: Observation): Quantity[] {
  return [observation.valueQuantity, ...(observation.component ?? []).map((c) => c.valueQuantity)].filter((q): q is Quantity => q !== undefined);
}

function patientOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  return /"reference":"Patient\/([^"]+)"/.exec(JSON.stringify(resource))?.[1];
}

beforeAll(() => {
  loadFhirDefinitions();
  resources = all();
});

// Three populations generated per test: up to 0.7 s with both cores loaded.
describe('determinism', { timeout: 15_000 }, () => {
  it('produces the same resources for the same seed', () => {
    expect(digest(all())).toBe(digest(resources));
  });

  it('produces different resources for another seed', () => {
    expect(digest(all(createPopulation({ ...options, seed: 8 })))).not.toBe(digest(resources));
  });

  it('makes a smaller population a prefix of a larger one, patient by patient', () => {
    const small = all(createPopulation({ ...options, patients: 10 }));
    const patientsSmall = small.filter((r) => r.resourceType === 'Patient').map((r) => r.id);
    const patientsLarge = ofType<Patient>('Patient').slice(0, 10).map((r) => r.id);
    expect(patientsSmall).toEqual(patientsLarge);
    const firstChart = (list: Resource[]): Resource[] => list.filter((r) => patientOf(r) === patientsSmall[0] && r.resourceType !== 'Group');
    expect(digest(firstChart(small))).toBe(digest(firstChart(resources)));
  });
});

describe('size', () => {
  it('yields exactly resourceCount resources with unique ids', () => {
    expect(resources.length).toBe(createPopulation(options).resourceCount);
    const keys = resources.map((r) => `${r.resourceType}/${r.id}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives every patient exactly resourcesPerPatient resources', () => {
    const perPatient = new Map<string, number>();
    for (const resource of resources) {
      if (resource.resourceType === 'Group') continue;
      const patient = patientOf(resource);
      if (patient) perPatient.set(patient, (perPatient.get(patient) ?? 0) + 1);
    }
    expect(perPatient.size).toBe(options.patients);
    for (const count of perPatient.values()) expect(count).toBe(options.resourcesPerPatient);
  });

  it('reaches the design point of 2,500 patients × 200 resources', () => {
    const designPoint = createPopulation({ ...options, patients: 2500, resourcesPerPatient: 200 });
    expect(designPoint.resourceCount).toBeGreaterThanOrEqual(500_000);
    expect(designPoint.practitioners.flatMap((p) => p.patients).length).toBeGreaterThanOrEqual(2500);
  });
});

// Validating every resource against the R4 definitions: 1.5 s with both cores loaded.
describe('well-formed resources', { timeout: 20_000 }, () => {
  it('validates every resource against the R4 structure definitions', () => {
    const failures: string[] = [];
    for (const resource of resources) {
      try {
        validateResource(resource);
      } catch (error) {
        failures.push(`${resource.resourceType}/${resource.id}: ${JSON.stringify((error as { outcome?: unknown }).outcome)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('uses only valid SNOMED CT, LOINC, ATC and RxNorm codes and UCUM units', () => {
    const all = codings(resources);
    const bySystem = (system: string): string[] => [...new Set(all.filter((c) => c.system === system).map((c) => c.code ?? ''))];
    const snomed = bySystem('http://snomed.info/sct');
    const loinc = bySystem('http://loinc.org');
    const atc = bySystem('http://www.whocc.no/atc');
    const rxnorm = bySystem('http://www.nlm.nih.gov/research/umls/rxnorm');
    expect(snomed.length).toBeGreaterThan(20);
    expect(snomed.filter((c) => !isSnomedConceptId(c))).toEqual([]);
    expect(loinc.filter((c) => !isLoincCode(c))).toEqual([]);
    expect(atc.length).toBeGreaterThan(5);
    expect(atc.filter((c) => !isAtcCode(c))).toEqual([]);
    expect(rxnorm.filter((c) => !/^[1-9][0-9]*$/.test(c))).toEqual([]);
    const units = ofType<Observation>('Observation').flatMap(quantities);
    expect(units.every((q) => q.system === 'http://unitsofmeasure.org' && ucumCodes.has(q.code ?? ''))).toBe(true);
  });

  it('gives French patients a valid INS (NIR) matching sex and birth month, English ones a valid NHS number', () => {
    const patients = ofType<Patient>('Patient');
    const ins = patients.flatMap((p) => (p.identifier ?? []).filter((i) => i.system === 'urn:oid:1.2.250.1.213.1.4.8').map((i) => ({ p, value: i.value ?? '' })));
    const nhs = patients.flatMap((p) => (p.identifier ?? []).filter((i) => i.system === 'https://fhir.nhs.uk/Id/nhs-number').map((i) => i.value ?? ''));
    expect(ins.length).toBeGreaterThan(10);
    expect(nhs.length).toBeGreaterThan(3);
    for (const { p, value } of ins) {
      expect(isNirValid(value)).toBe(true);
      expect(value[0]).toBe(p.gender === 'male' ? '1' : '2');
      expect(value.slice(1, 5)).toBe(`${p.birthDate?.slice(2, 4)}${p.birthDate?.slice(5, 7)}`);
    }
    expect(nhs.every(isNhsNumberValid)).toBe(true);
    expect(patients.every((p) => p.birthDate && p.address?.[0]?.city && p.name?.[0]?.family)).toBe(true);
  });

  it('names patients in French (with accents) and English', () => {
    for (const name of ['Hélène', 'Noémie', 'François', 'Bérénice', 'Jérôme']) {
      expect([...givenNames.fr.female, ...givenNames.fr.male]).toContain(name);
    }
    const names = ofType<Patient>('Patient').flatMap((p) => [...(p.name?.[0]?.given ?? []), p.name?.[0]?.family ?? '']);
    expect(names.some((n) => /[éèêëàâçîïôûüœ]/i.test(n))).toBe(true);
    expect(names.some((n) => familyNames.en.includes(n))).toBe(true);
  });

  it('records blood pressure as a panel with systolic and diastolic components, and the core vital signs', () => {
    const observations = ofType<Observation>('Observation');
    const panels = observations.filter((o) => o.code.coding?.[0]?.code === '85354-9');
    expect(panels.length).toBeGreaterThan(10);
    for (const panel of panels) {
      expect(panel.valueQuantity).toBeUndefined();
      expect(panel.component?.map((c) => c.code.coding?.[0]?.code)).toEqual(['8480-6', '8462-4']);
      expect(panel.component?.every((c) => c.valueQuantity?.code === 'mm[Hg]')).toBe(true);
    }
    const codes = new Set(observations.map((o) => o.code.coding?.[0]?.code));
    for (const code of ['8867-4', '8310-5', '59408-5', '29463-7', '2339-0', '4548-4', '14682-9', '6301-6']) expect(codes).toContain(code);
  });

  it('interprets results against their reference ranges and keeps them physiologically plausible', () => {
    const limits: Record<string, [number, number]> = {
      '8480-6': [70, 230], '8462-4': [40, 140], '8867-4': [30, 200], '8310-5': [34, 42], '59408-5': [70, 100], '29463-7': [30, 250],
      '2339-0': [30, 500], '4548-4': [3.5, 15], '14682-9': [30, 600], '6301-6': [0.5, 6], '2823-3': [2.5, 7], '2951-2': [120, 160],
    };
    for (const observation of ofType<Observation>('Observation')) {
      const parts = observation.component
        ? observation.component.map((c) => ({ code: c.code.coding?.[0]?.code ?? '', value: c.valueQuantity?.value ?? NaN, interpretation: c.interpretation }))
        : [{ code: observation.code.coding?.[0]?.code ?? '', value: observation.valueQuantity?.value ?? NaN, interpretation: observation.interpretation }];
      for (const part of parts) {
        const limit = limits[part.code];
        if (limit) {
          expect(part.value, part.code).toBeGreaterThanOrEqual(limit[0]);
          expect(part.value, part.code).toBeLessThanOrEqual(limit[1]);
        }
        const definition = Object.values(measurements).flatMap((m) => m.components).find((q) => q.loinc === part.code);
        if (definition) expect(part.interpretation?.[0]?.coding?.[0]?.code).toBe(interpret(part.value, definition));
      }
    }
  });

  it('shows treated disease improving: HbA1c of diabetic patients falls over the years', () => {
    const series = new Map<string, Observation[]>();
    for (const observation of ofType<Observation>('Observation')) {
      if (observation.code.coding?.[0]?.code !== '4548-4') continue;
      const patient = observation.subject?.reference ?? '';
      series.set(patient, [...(series.get(patient) ?? []), observation]);
    }
    const diabetic = [...series.values()].filter((s) => s.length >= 4 && (s[0]?.valueQuantity?.value ?? 0) > 6.5);
    expect(diabetic.length).toBeGreaterThan(0);
    for (const s of diabetic) {
      const sorted = [...s].sort((a, b) => (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? ''));
      const third = Math.max(1, Math.floor(sorted.length / 3));
      const mean = (list: Observation[]): number => list.reduce((sum, o) => sum + (o.valueQuantity?.value ?? 0), 0) / list.length;
      expect(mean(sorted.slice(-third))).toBeLessThan(mean(sorted.slice(0, third)));
    }
  });

  it('includes well-known interacting pairs, both drugs active: warfarin + aspirin, simvastatin + clarithromycin', () => {
    const active = new Map<string, Set<string>>();
    for (const request of ofType<MedicationRequest>('MedicationRequest')) {
      if (request.status !== 'active') continue;
      const patient = request.subject.reference ?? '';
      const rxnorm = request.medicationCodeableConcept?.coding?.find((c) => c.system === 'http://www.nlm.nih.gov/research/umls/rxnorm')?.code ?? '';
      active.set(patient, (active.get(patient) ?? new Set()).add(rxnorm));
    }
    const carries = (a: string, b: string): boolean => [...active.values()].some((set) => set.has(a) && set.has(b));
    expect(carries('11289', '1191')).toBe(true);
    expect(carries('36567', '21212')).toBe(true);
    expect(ofType<MedicationRequest>('MedicationRequest').every((m) => m.medicationCodeableConcept?.coding?.some((c) => c.system === 'http://www.whocc.no/atc'))).toBe(true);
  });

  it('gives allergies coded reactions', () => {
    const allergies = ofType<AllergyIntolerance>('AllergyIntolerance');
    expect(allergies.length).toBeGreaterThan(5);
    expect(allergies.every((a) => a.reaction?.[0]?.manifestation[0]?.coding?.[0]?.system === 'http://snomed.info/sct')).toBe(true);
  });

  it("books each practitioner's schedule: three visits today, others in the coming two weeks, the rest past with their outcome", () => {
    const reference = Date.parse('2026-11-28T00:00:00Z');
    const appointments = ofType<Appointment>('Appointment');
    const today = appointments.filter((a) => (a.start ?? '').startsWith('2026-11-28'));
    const upcoming = appointments.filter((a) => Date.parse(a.start ?? '') >= reference);
    const past = appointments.filter((a) => Date.parse(a.start ?? '') < reference);
    for (const practitioner of createPopulation(options).practitioners) {
      const theirs = today.filter((a) => a.participant.some((p) => p.actor?.reference === `Practitioner/${practitioner.id}`));
      expect(theirs.length).toBeGreaterThanOrEqual(3);
    }
    for (const appointment of upcoming) {
      expect(Date.parse(appointment.start ?? '')).toBeLessThan(reference + 14 * 86_400_000);
      expect(appointment.status).toBe('booked');
    }
    expect(new Set(past.map((a) => a.status))).toEqual(new Set(['fulfilled', 'cancelled', 'noshow']));
    expect(past.filter((a) => a.status === 'fulfilled').length).toBeGreaterThan(past.length / 2);
    for (const appointment of appointments) {
      expect(appointment.participant.filter((p) => p.actor?.reference?.startsWith('Patient/'))).toHaveLength(1);
      expect(Date.parse(appointment.end ?? '') - Date.parse(appointment.start ?? '')).toBe(20 * 60_000);
    }
  });

  it('seeds message threads between the practitioners who share a patient, and referrals in every Task state', () => {
    const population = createPopulation(options);
    const careTeams = ofType<CareTeam>('CareTeam');
    const messages = ofType<Communication>('Communication');
    expect(messages.length).toBe(2 * careTeams.length);
    for (const message of messages) {
      const team = careTeams.find((t) => t.subject?.reference === message.subject?.reference);
      const members = (team?.participant ?? []).map((p) => p.member?.reference);
      expect(members).toContain(message.sender?.reference);
      for (const recipient of message.recipient ?? []) expect(members).toContain(recipient.reference);
      expect(message.payload?.[0]?.contentString?.length).toBeGreaterThan(10);
    }
    const replies = messages.filter((m) => m.inResponseTo !== undefined);
    expect(replies.length).toBe(careTeams.length);
    for (const reply of replies) expect(messages.some((m) => `Communication/${m.id}` === reply.inResponseTo?.[0]?.reference)).toBe(true);

    const tasks = ofType<Task>('Task');
    const referrals = tasks.filter((t) => t.intent === 'order');
    expect(new Set(referrals.map((t) => t.status))).toEqual(new Set(['requested', 'accepted', 'in-progress', 'completed', 'rejected']));
    const requests = ofType<ServiceRequest>('ServiceRequest');
    for (const task of referrals) {
      const request = requests.find((r) => `ServiceRequest/${r.id}` === task.focus?.reference);
      expect(request?.subject?.reference).toBe(task.for?.reference);
      expect(request?.performer?.[0]?.reference).toBe(task.owner?.reference);
      if (task.status === 'completed') {
        const answer = task.output?.[0]?.valueReference?.reference ?? '';
        expect(ofType<DocumentReference>('DocumentReference').some((d) => `DocumentReference/${d.id}` === answer)).toBe(true);
      }
    }
    const todos = tasks.filter((t) => t.intent === 'plan');
    expect(todos.length).toBeGreaterThan(0);
    for (const todo of todos) expect(todo.owner?.reference).toBe(todo.requester?.reference);
    expect(population.resourceCount).toBe(resources.length);
  });

  it('writes documents with XHTML narrative', () => {
    const xhtml = '<div xmlns="http://www.w3.org/1999/xhtml">';
    const documents = ofType<DocumentReference>('DocumentReference');
    expect(documents.length).toBeGreaterThan(10);
    for (const document of documents) {
      expect(document.text?.div.startsWith(xhtml)).toBe(true);
      const attachment = Buffer.from(document.content[0]?.attachment.data ?? '', 'base64').toString('utf8');
      expect(attachment).toContain('<html xmlns="http://www.w3.org/1999/xhtml"');
    }
    const compositions = ofType<Composition>('Composition');
    expect(compositions.length).toBe(options.patients);
    expect(compositions.every((c) => c.section?.every((s) => s.text?.div.startsWith(xhtml)))).toBe(true);
  });
});

describe('adversarial set', () => {
  it('is opt-in, tagged, and carries the attacks the client must defuse', () => {
    expect(resources.some((r) => r.meta?.tag?.some((t) => t.code === adversarialTag.code))).toBe(false);
    const hostile = all(createPopulation({ ...options, patients: 2, adversarial: true })).filter((r) => r.meta?.tag?.some((t) => t.code === adversarialTag.code));
    expect(hostile.length).toBe(15);
    const text = JSON.stringify(hostile);
    for (const attack of ['<script>', 'onerror=', 'onclick=', 'javascript:', 'url(', '<img src=\\"https://attacker.example', '<iframe', '\u202E']) {
      expect(text, attack).toContain(attack);
    }
    const longest = Math.max(...hostile.flatMap((r) => ((r as Observation).valueString ? [(r as Observation).valueString?.length ?? 0] : [])));
    expect(longest).toBeGreaterThanOrEqual(1_000_000);
  });
});

describe('a twin HIE (twinOf: another hospital for the same people)', () => {
  const first: PopulationOptions = { seed: 11, patients: 6, resourcesPerPatient: 30, practitioners: 2, adversarial: false, referenceDate: '2026-11-28' };
  const twin: PopulationOptions = { ...first, seed: 12, twinOf: 11 };
  const patientsOf = (list: readonly Resource[]): Patient[] => list.filter((r): r is Patient => r.resourceType === 'Patient');
  const official = (p: Patient): string | undefined => p.identifier?.find((i) => i.use === 'official')?.value;

  it('is sized exactly, valid, and shares every second patient by identity only: other ids, no id of the first HIE anywhere', () => {
    const population = createPopulation(twin);
    const ours = all(population);
    const theirs = all(createPopulation(first));
    expect(ours.length).toBe(population.resourceCount);
    expect(new Set(ours.map((r) => `${r.resourceType}/${r.id}`)).size).toBe(ours.length);
    for (const resource of ours) expect(() => validateResource(resource)).not.toThrow();
    const text = JSON.stringify(ours);
    for (const resource of theirs) if (resource.resourceType !== 'Practitioner' && resource.id !== undefined) expect(text).not.toContain(resource.id);
    const theirPatients = patientsOf(theirs);
    const shared = patientsOf(ours).filter((p) => theirPatients.some((q) => official(q) === official(p)));
    // Patients 0, 2, 4 and 4's duplicate record.
    expect(shared).toHaveLength(4);
    const birthDates = shared.map((p) => p.birthDate === theirPatients.find((q) => official(q) === official(p))?.birthDate);
    expect(birthDates.filter((same) => !same)).toHaveLength(1);
  });

  it('refuses to be its own twin', () => {
    expect(() => createPopulation({ ...first, twinOf: first.seed })).toThrow(/another seed/);
  });
});
