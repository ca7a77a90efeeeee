import type { SyncedResource } from '../../shared/fhir/resource';

/**
 * The benchmark's workload, identical for every variant: `total` resources for total/200
 * patients (one Patient and 199 Observations each), in the order the sync engine pulls them
 * (StreamOrder below).
 * Each Observation is a realistic ~1.6 KB lab or vital-sign result. Document k depends only on
 * k and `total`, so a page is generated on demand and 500k never sit in memory.
 */
export const resourcesPerPatient = 200;

export type BenchDoc = Readonly<{
  ref: string;
  type: 'Patient' | 'Observation';
  /** `Patient/<id>`: the patient the resource belongs to. */
  patient: string;
  lastUpdated: string;
  resource: SyncedResource;
}>;

/** mulberry32: a small seeded PRNG, so every variant and every run gets the same documents. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;

export const familyNames = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent',
  'Lefèvre', 'Michel', 'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Lefebvre',
  'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François', 'Martinez', 'Œuvray', 'Lemaître', 'Smith', 'Johnson', 'Williams',
  'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'White', 'Harris', 'Clarke',
  'Lewis', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell',
] as const;

const givenNames = [
  'Hélène', 'Jean-Pierre', 'Marie', 'Camille', 'Louis', 'Chloé', 'Léa', 'Hugo', 'Émile', 'Zoé', 'Gabriel', 'Inès', 'Arthur',
  'Manon', 'Théo', 'Sarah', 'Noah', 'Olivia', 'James', 'Emily', 'George', 'Charlotte', 'Oliver', 'Amelia', 'Harry', 'Grace',
] as const;

type Analyte = Readonly<{ code: string; display: string; text: string; unit: string; ucum: string; low: number; high: number; category: 'laboratory' | 'vital-signs' }>;

const analytes: readonly Analyte[] = [
  { code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma', text: 'Glycémie', unit: 'mg/dL', ucum: 'mg/dL', low: 70, high: 99, category: 'laboratory' },
  { code: '2160-0', display: 'Creatinine [Mass/volume] in Serum or Plasma', text: 'Créatininémie', unit: 'mg/dL', ucum: 'mg/dL', low: 0.6, high: 1.2, category: 'laboratory' },
  { code: '2951-2', display: 'Sodium [Moles/volume] in Serum or Plasma', text: 'Natrémie', unit: 'mmol/L', ucum: 'mmol/L', low: 135, high: 145, category: 'laboratory' },
  { code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma', text: 'Kaliémie', unit: 'mmol/L', ucum: 'mmol/L', low: 3.5, high: 5.1, category: 'laboratory' },
  { code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', text: 'Hémoglobine', unit: 'g/dL', ucum: 'g/dL', low: 12, high: 17, category: 'laboratory' },
  { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', text: 'HbA1c', unit: '%', ucum: '%', low: 4, high: 5.6, category: 'laboratory' },
  { code: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', text: 'Cholestérol total', unit: 'mg/dL', ucum: 'mg/dL', low: 125, high: 200, category: 'laboratory' },
  { code: '8867-4', display: 'Heart rate', text: 'Fréquence cardiaque', unit: 'beats/minute', ucum: '/min', low: 60, high: 100, category: 'vital-signs' },
  { code: '8480-6', display: 'Systolic blood pressure', text: 'Pression artérielle systolique', unit: 'mmHg', ucum: 'mm[Hg]', low: 90, high: 130, category: 'vital-signs' },
  { code: '29463-7', display: 'Body weight', text: 'Poids', unit: 'kg', ucum: 'kg', low: 50, high: 100, category: 'vital-signs' },
  { code: '8310-5', display: 'Body temperature', text: 'Température', unit: 'Cel', ucum: 'Cel', low: 36.1, high: 37.8, category: 'vital-signs' },
  { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', text: 'SpO2', unit: '%', ucum: '%', low: 94, high: 100, category: 'vital-signs' },
];

const notes = [
  'Prélèvement réalisé à jeun au laboratoire de ville, transmis par le biologiste. Résultat contrôlé et validé. À interpréter selon le contexte clinique et le traitement en cours.',
  'Measured at the rural practice during the routine follow-up visit; patient seated for five minutes beforehand. Compare with the previous values before changing the treatment plan.',
  'Mesure effectuée lors de la consultation de suivi à domicile par l’infirmière coordinatrice. Valeur transmise au médecin traitant via la messagerie sécurisée de santé.',
] as const;

export const patientCount = (total: number): number => Math.floor(total / resourcesPerPatient);
export const patientRef = (index: number): string => `Patient/p${index.toString().padStart(6, '0')}`;

const baseTime = Date.parse('2024-01-01T00:00:00.000Z');
const hex = (next: () => number, n: number): string => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');

export function familyOf(index: number): string {
  return pick(random(index * 7919 + 17), familyNames);
}

function patientResource(index: number, lastUpdated: string): SyncedResource {
  const next = random(index * 7919 + 17);
  const family = pick(next, familyNames);
  const given = pick(next, givenNames);
  const female = next() < 0.5;
  const year = 1930 + Math.floor(next() * 80);
  const birthDate = `${year}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
  return {
    resourceType: 'Patient',
    id: patientRef(index).slice('Patient/'.length),
    meta: { versionId: hex(next, 32), lastUpdated, source: '#relais-bench' },
    identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: `${female ? 2 : 1}${String(year).slice(2)}${hex(next, 10)}`, type: { text: 'INS-NIR' } }],
    active: true,
    name: [{ use: 'official', family, given: [given] }],
    telecom: [{ system: 'phone', value: `+33 6 ${Math.floor(next() * 1e8).toString().padStart(8, '0')}`, use: 'mobile' }],
    gender: female ? 'female' : 'male',
    birthDate,
    address: [{ line: [`${1 + Math.floor(next() * 120)} rue des Tilleuls`], city: 'Aurillac', postalCode: '15000', country: 'FR' }],
    generalPractitioner: [{ reference: 'Practitioner/pr-1' }],
  };
}

function observationResource(patient: number, j: number, lastUpdated: string): SyncedResource {
  const next = random(patient * 1_000_003 + j * 31 + 5);
  const analyte = pick(next, analytes);
  const span = analyte.high - analyte.low;
  const value = Math.round((analyte.low - span * 0.2 + next() * span * 1.4) * 100) / 100;
  const flag = value < analyte.low ? ['L', 'Low'] : value > analyte.high ? ['H', 'High'] : ['N', 'Normal'];
  const effective = new Date(Date.parse(lastUpdated) - Math.floor(next() * 86_400_000)).toISOString();
  return {
    resourceType: 'Observation',
    id: `o${patient.toString().padStart(6, '0')}-${j.toString().padStart(3, '0')}`,
    meta: { versionId: hex(next, 32), lastUpdated, source: '#relais-bench' },
    identifier: [{ system: 'urn:oid:1.2.250.1.71.4.2.1', value: `LAB-${hex(next, 12)}` }],
    basedOn: [{ reference: `ServiceRequest/sr${patient}-${Math.floor(j / 4)}` }],
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: analyte.category, display: analyte.category === 'laboratory' ? 'Laboratory' : 'Vital Signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: analyte.code, display: analyte.display }], text: analyte.text },
    subject: { reference: patientRef(patient) },
    encounter: { reference: `Encounter/e${patient}-${Math.floor(j / 4)}` },
    effectiveDateTime: effective,
    issued: lastUpdated,
    performer: [{ reference: 'Practitioner/pr-1' }, { reference: 'Organization/lab-1' }],
    valueQuantity: { value, unit: analyte.unit, system: 'http://unitsofmeasure.org', code: analyte.ucum },
    method: { coding: [{ system: 'http://snomed.info/sct', code: '702659008', display: 'Automated count technique' }] },
    specimen: { reference: `Specimen/s${patient}-${j}` },
    interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: flag[0], display: flag[1] }] }],
    referenceRange: [{
      low: { value: analyte.low, unit: analyte.unit, system: 'http://unitsofmeasure.org', code: analyte.ucum },
      high: { value: analyte.high, unit: analyte.unit, system: 'http://unitsofmeasure.org', code: analyte.ucum },
      text: `${analyte.low}–${analyte.high} ${analyte.unit}`,
    }],
    note: [{ text: pick(next, notes) }],
  };
}

/**
 * How the stream is ordered: `interleaved` is the engine's pull (per type, `_lastUpdated`
 * ascending: every Patient, then Observations with patients mixed); `grouped` is patient by
 * patient (a `Patient/$everything` initial load), the Patient first, then its Observations.
 */
export type StreamOrder = 'interleaved' | 'grouped';

function placeOf(total: number, k: number, order: StreamOrder): { patient: number; j: number } {
  const patients = patientCount(total);
  if (order === 'grouped') {
    const patient = Math.floor(k / resourcesPerPatient);
    return { patient, j: (k % resourcesPerPatient) - 1 };
  }
  if (k < patients) return { patient: k, j: -1 };
  const t = k - patients;
  return { patient: t % patients, j: Math.floor(t / patients) };
}

/** Document k of a workload of `total`; j = -1 is the Patient itself. */
export function docAt(total: number, k: number, order: StreamOrder = 'interleaved'): BenchDoc {
  const { patient, j } = placeOf(total, k, order);
  const lastUpdated = new Date(baseTime + k * 1000).toISOString();
  if (j < 0) {
    const resource = patientResource(patient, lastUpdated);
    return { ref: patientRef(patient), type: 'Patient', patient: patientRef(patient), lastUpdated, resource };
  }
  const resource = observationResource(patient, j, lastUpdated);
  return { ref: `Observation/${resource.id}`, type: 'Observation', patient: patientRef(patient), lastUpdated, resource };
}

export function pageAt(total: number, pageIndex: number, pageSize: number, order: StreamOrder = 'interleaved'): BenchDoc[] {
  const start = pageIndex * pageSize;
  const end = Math.min(total, start + pageSize);
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => docAt(total, start + i, order));
}

/** `count` distinct patient indexes in [0, patients), the same for every variant. */
export function samplePatients(patients: number, count: number, seed = 42): number[] {
  const next = random(seed);
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, patients)) chosen.add(Math.floor(next() * patients));
  return [...chosen];
}
