/**
 * The coded vocabulary of the synthetic charts: code system URIs, SNOMED CT problems, allergies,
 * reactions and encounter types. Every SNOMED code here passes the SCTID check digit (tested).
 */
export const system = {
  snomed: 'http://snomed.info/sct',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  atc: 'http://www.whocc.no/atc',
  ucum: 'http://unitsofmeasure.org',
  ins: 'urn:oid:1.2.250.1.213.1.4.8',
  nhsNumber: 'https://fhir.nhs.uk/Id/nhs-number',
  rpps: 'urn:oid:1.2.250.1.71.4.2.1',
  gmc: 'https://fhir.hl7.org.uk/Id/gmc-number',
  finess: 'urn:oid:1.2.250.1.71.4.2.2',
  localPatientId: 'https://hie.relais.example.org/sid/ipp',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  insIdentifierType: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  appointmentReason: 'http://terminology.hl7.org/CodeSystem/v2-0276',
  language: 'urn:ietf:bcp:47',
} as const;

export type ProblemKey =
  | 'hypertension' | 'diabetes' | 'atrialFibrillation' | 'hyperlipidemia' | 'coronaryDisease'
  | 'heartFailure' | 'kidneyDisease' | 'asthma' | 'copd' | 'hypothyroidism' | 'depression'
  | 'anxiety' | 'osteoarthritis' | 'reflux' | 'obesity' | 'pneumonia' | 'migraine' | 'anemia';

export type ProblemDefinition = Readonly<{
  key: ProblemKey;
  snomed: string;
  display: string;
  displayFr: string;
  /** Rough prevalence among adults over 50 in primary care; younger patients get less. */
  prevalence: number;
  minAge: number;
  /** Acute problems are recorded as resolved episodes. */
  acute: boolean;
}>;

export const problems: readonly ProblemDefinition[] = [
  { key: 'hypertension', snomed: '38341003', display: 'Hypertensive disorder, systemic arterial', displayFr: 'Hypertension artérielle', prevalence: 0.35, minAge: 30, acute: false },
  { key: 'diabetes', snomed: '44054006', display: 'Diabetes mellitus type 2', displayFr: 'Diabète de type 2', prevalence: 0.15, minAge: 30, acute: false },
  { key: 'atrialFibrillation', snomed: '49436004', display: 'Atrial fibrillation', displayFr: 'Fibrillation atriale', prevalence: 0.08, minAge: 55, acute: false },
  { key: 'hyperlipidemia', snomed: '55822004', display: 'Hyperlipidemia', displayFr: 'Hyperlipidémie', prevalence: 0.25, minAge: 30, acute: false },
  { key: 'coronaryDisease', snomed: '53741008', display: 'Coronary arteriosclerosis', displayFr: 'Athérosclérose coronarienne', prevalence: 0.08, minAge: 45, acute: false },
  { key: 'heartFailure', snomed: '42343007', display: 'Congestive heart failure', displayFr: 'Insuffisance cardiaque congestive', prevalence: 0.05, minAge: 60, acute: false },
  { key: 'kidneyDisease', snomed: '709044004', display: 'Chronic kidney disease', displayFr: 'Maladie rénale chronique', prevalence: 0.08, minAge: 50, acute: false },
  { key: 'asthma', snomed: '195967001', display: 'Asthma', displayFr: 'Asthme', prevalence: 0.07, minAge: 0, acute: false },
  { key: 'copd', snomed: '13645005', display: 'Chronic obstructive lung disease', displayFr: 'Bronchopneumopathie chronique obstructive', prevalence: 0.06, minAge: 45, acute: false },
  { key: 'hypothyroidism', snomed: '40930008', display: 'Hypothyroidism', displayFr: 'Hypothyroïdie', prevalence: 0.06, minAge: 20, acute: false },
  { key: 'depression', snomed: '35489007', display: 'Depressive disorder', displayFr: 'Trouble dépressif', prevalence: 0.1, minAge: 16, acute: false },
  { key: 'anxiety', snomed: '197480006', display: 'Anxiety disorder', displayFr: 'Trouble anxieux', prevalence: 0.08, minAge: 16, acute: false },
  { key: 'osteoarthritis', snomed: '396275006', display: 'Osteoarthritis', displayFr: 'Arthrose', prevalence: 0.2, minAge: 45, acute: false },
  { key: 'reflux', snomed: '235595009', display: 'Gastroesophageal reflux disease', displayFr: 'Reflux gastro-œsophagien', prevalence: 0.12, minAge: 18, acute: false },
  { key: 'obesity', snomed: '414916001', display: 'Obesity', displayFr: 'Obésité', prevalence: 0.15, minAge: 18, acute: false },
  { key: 'pneumonia', snomed: '233604007', display: 'Pneumonia', displayFr: 'Pneumopathie', prevalence: 0.05, minAge: 0, acute: true },
  { key: 'migraine', snomed: '37796009', display: 'Migraine', displayFr: 'Migraine', prevalence: 0.08, minAge: 12, acute: false },
  { key: 'anemia', snomed: '271737000', display: 'Anemia', displayFr: 'Anémie', prevalence: 0.05, minAge: 0, acute: false },
];

export function problemByKey(key: ProblemKey): ProblemDefinition {
  const found = problems.find((p) => p.key === key);
  if (!found) throw new RangeError(`unknown problem ${key}`);
  return found;
}

export type CodedConcept = Readonly<{ snomed: string; display: string; displayFr: string }>;

export type AllergyDefinition = CodedConcept & Readonly<{
  category: 'medication' | 'food' | 'environment';
  criticality: 'low' | 'high';
  reactions: readonly CodedConcept[];
}>;

const hives: CodedConcept = { snomed: '247472004', display: 'Wheal', displayFr: 'Urticaire' };
const rash: CodedConcept = { snomed: '271807003', display: 'Eruption of skin', displayFr: 'Éruption cutanée' };
const anaphylaxis: CodedConcept = { snomed: '39579001', display: 'Anaphylaxis', displayFr: 'Anaphylaxie' };
const dyspnea: CodedConcept = { snomed: '267036007', display: 'Dyspnea', displayFr: 'Dyspnée' };
const nausea: CodedConcept = { snomed: '422587007', display: 'Nausea', displayFr: 'Nausées' };
const itching: CodedConcept = { snomed: '418290006', display: 'Itching', displayFr: 'Prurit' };
const cough: CodedConcept = { snomed: '49727002', display: 'Cough', displayFr: 'Toux' };
const sneezing: CodedConcept = { snomed: '76067001', display: 'Sneezing', displayFr: 'Éternuements' };

export const allergies: readonly AllergyDefinition[] = [
  { snomed: '764146007', display: 'Penicillin', displayFr: 'Pénicilline', category: 'medication', criticality: 'high', reactions: [hives, anaphylaxis, rash] },
  { snomed: '294505008', display: 'Allergy to amoxicillin', displayFr: 'Allergie à l’amoxicilline', category: 'medication', criticality: 'high', reactions: [rash, hives] },
  { snomed: '387207008', display: 'Ibuprofen', displayFr: 'Ibuprofène', category: 'medication', criticality: 'low', reactions: [rash, dyspnea] },
  { snomed: '387458008', display: 'Aspirin', displayFr: 'Aspirine', category: 'medication', criticality: 'low', reactions: [dyspnea, hives] },
  { snomed: '256349002', display: 'Peanut - dietary', displayFr: 'Arachide', category: 'food', criticality: 'high', reactions: [anaphylaxis, hives, nausea] },
  { snomed: '227493005', display: 'Cashew nut', displayFr: 'Noix de cajou', category: 'food', criticality: 'high', reactions: [itching, anaphylaxis] },
  { snomed: '111088007', display: 'Latex', displayFr: 'Latex', category: 'environment', criticality: 'low', reactions: [itching, rash] },
  { snomed: '418689008', display: 'Allergy to grass pollen', displayFr: 'Allergie aux pollens de graminées', category: 'environment', criticality: 'low', reactions: [sneezing, cough] },
  { snomed: '232347008', display: 'Dander (animal) allergy', displayFr: 'Allergie aux phanères d’animaux', category: 'environment', criticality: 'low', reactions: [sneezing, itching] },
];

export type EncounterKind = Readonly<{
  snomed: string;
  display: string;
  displayFr: string;
  classCode: 'AMB' | 'EMER' | 'VR' | 'HH';
  classDisplay: string;
  minutes: number;
}>;

export const encounterKinds: readonly EncounterKind[] = [
  { snomed: '185349003', display: 'Encounter for check up', displayFr: 'Consultation de suivi', classCode: 'AMB', classDisplay: 'ambulatory', minutes: 20 },
  { snomed: '390906007', display: 'Follow-up encounter', displayFr: 'Consultation de contrôle', classCode: 'AMB', classDisplay: 'ambulatory', minutes: 15 },
  { snomed: '308335008', display: 'Patient encounter procedure', displayFr: 'Téléconsultation', classCode: 'VR', classDisplay: 'virtual', minutes: 15 },
  { snomed: '50849002', display: 'Emergency room admission', displayFr: 'Passage aux urgences', classCode: 'EMER', classDisplay: 'emergency', minutes: 240 },
];
