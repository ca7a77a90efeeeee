import { validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../../../../sandbox/fhir/definitions';
import { isRecord, records, type Record_ } from '../../../../shared/fhir/fhir-text';
import { buildIps, type IpsInput } from '../../../../shared/exchange/ips';
import { sourcedForIps } from '../../../../shared/exchange/ips-sources';
import { absentUnknown, ipsBase, ipsDocumentIssues, ipsProfile, loincSection } from '../../../../shared/exchange/ips-profiles';
import { createPopulation } from '../../../../sandbox/data/population';
import { fixtureCharts } from '../../renderer/features/chart/fixture-charts';

const now = new Date('2026-12-04T08:00:00Z');
const counter = (): (() => string) => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const author = { reference: 'Practitioner/dr-1', display: 'Dr Claire Martin' };

const entries = (bundle: Record_): Record_[] => records(bundle['entry']).map((e) => e['resource'] as Record_);
const composition = (bundle: Record_): Record_ => entries(bundle)[0] as Record_;
const section = (bundle: Record_, code: string): Record_ | undefined =>
  records(composition(bundle)['section']).find((s) => JSON.stringify(s['code']).includes(`"${code}"`));
const resolved = (bundle: Record_, ref: string): Record_ | undefined => records(bundle['entry']).find((e) => e['fullUrl'] === ref)?.['resource'] as Record_ | undefined;

function baseR4Failures(bundle: Record_): string[] {
  const failures: string[] = [];
  for (const resource of [bundle, ...entries(bundle)]) {
    try {
      validateResource(resource as unknown as Resource);
    } catch (error) {
      failures.push(`${String(resource['resourceType'])}: ${JSON.stringify((error as { outcome?: unknown }).outcome).slice(0, 400)}`);
    }
  }
  return failures;
}

const patient: Record_ = { resourceType: 'Patient', id: 'p1', meta: { versionId: '3', lastUpdated: '2026-11-01T10:00:00Z' }, name: [{ family: 'Durand', given: ['Hélène'] }], birthDate: '1948-03-02', gender: 'female' };
const subject = { reference: 'Patient/p1' };
const input = (resources: readonly Record_[], extra: Partial<IpsInput> = {}): IpsInput => ({ patient, resources, author, now, language: 'fr', uuid: counter(), ...extra });

beforeAll(() => loadFhirDefinitions());

// Validating every fixture patient's summary against the R4 definitions: ≈1 s with both cores loaded.
describe('an International Patient Summary', { timeout: 30_000 }, () => {
  it('of every patient of the third-party fixtures is an IPS document, valid R4, with nothing of its sections lost', () => {
    const charts = fixtureCharts();
    expect(charts.size).toBeGreaterThan(4);
    for (const [ref, chart] of charts) {
      const resources = chart.flatMap((e) => (e.resource === null ? [] : [e.resource as Record_]));
      const person = resources.find((r) => r['resourceType'] === 'Patient');
      if (person === undefined) continue;
      const { bundle, gaps } = buildIps({ patient: person, resources, author, now, language: 'en', uuid: counter() });
      const issues = ipsDocumentIssues(bundle);
      // A fixture patient without a birth date cannot be an IPS subject: said in the gaps, and the only issue.
      const patientGaps = gaps.filter((g) => g.startsWith('Patient/'));
      expect(issues.filter((i) => !i.startsWith('the Patient:')), ref).toEqual([]);
      expect(issues.filter((i) => i.startsWith('the Patient:')).length > 0, ref).toBe(patientGaps.length > 0);
      expect(baseR4Failures(bundle), ref).toEqual([]);
      // Every allergy, current medication, condition, immunization and procedure of the record is in the summary.
      const carried = new Set(entries(bundle).map((r) => `${String(r['resourceType'])}/${String(r['id'])}`));
      for (const r of resources) {
        const type = String(r['resourceType']);
        if (!['AllergyIntolerance', 'Condition', 'Immunization'].includes(type)) continue;
        // Errors and what was ruled out are left out of a summary.
        if (JSON.stringify(r).includes('entered-in-error') || JSON.stringify(r['verificationStatus'] ?? '').includes('refuted')) continue;
        if (type === 'Immunization' && r['status'] !== 'completed') continue;
        expect(carried.has(`${type}/${String(r['id'])}`), `${ref}: ${type}/${String(r['id'])}`).toBe(true);
      }
      // Every test of the record (laboratory, vital signs, or no category at all) is in it, by its latest result.
      const testKey = (o: Record_): string => JSON.stringify(records((o['code'] as Record_ | undefined)?.['coding']).find((c) => c['system'] === 'http://loinc.org')?.['code'] ?? (o['code'] as Record_ | undefined)?.['text'] ?? '');
      const tests = (list: readonly Record_[]): Set<string> =>
        new Set(list.filter((o) => o['resourceType'] === 'Observation' && o['status'] === 'final' && (records(o['category']).length === 0 || /"(laboratory|vital-signs)"/.test(JSON.stringify(o['category'])))).map(testKey));
      expect([...tests(resources)].filter((k) => !tests(entries(bundle)).has(k)), ref).toEqual([]);
    }
  });

  it('of a sandbox patient (every synced type) is an IPS document without a gap', () => {
    const population = createPopulation({ seed: 7, patients: 3, resourcesPerPatient: 120, practitioners: 1, adversarial: false, referenceDate: '2026-12-04' });
    const all = [...population.resources()] as unknown as Record_[];
    const person = all.find((r) => r['resourceType'] === 'Patient') as Record_;
    const mine = all.filter((r) => JSON.stringify(r).includes(`"Patient/${String(person['id'])}"`));
    const { bundle, gaps, counts } = buildIps({ patient: person, resources: mine, author, now, language: 'fr', uuid: counter() });
    expect(ipsDocumentIssues(bundle)).toEqual([]);
    expect(baseR4Failures(bundle)).toEqual([]);
    expect(gaps).toEqual([]);
    expect((counts.results ?? 0) + (counts.vitalSigns ?? 0)).toBeGreaterThan(0);
  });

  it('says "no information" with IPS absent/unknown entries when the record has no allergy, medication or problem', () => {
    const { bundle, counts } = buildIps(input([]));
    expect(ipsDocumentIssues(bundle)).toEqual([]);
    expect(baseR4Failures(bundle)).toEqual([]);
    expect(counts).toMatchObject({ allergies: 0, medications: 0, problems: 0 });
    const codes = (['allergies', 'medications', 'problems'] as const).map((key) => {
      const target = resolved(bundle, String(records(section(bundle, loincSection[key])?.['entry'])[0]?.['reference']));
      const concept = (target?.['code'] ?? target?.['medicationCodeableConcept']) as Record_;
      return records(concept['coding'])[0];
    });
    expect(codes).toEqual([
      expect.objectContaining({ system: absentUnknown, code: 'no-allergy-info' }),
      expect.objectContaining({ system: absentUnknown, code: 'no-medication-info' }),
      expect.objectContaining({ system: absentUnknown, code: 'no-problem-info' }),
    ]);
    // Optional sections appear only when the record has something for them.
    expect(section(bundle, loincSection.results)).toBeUndefined();
    expect(section(bundle, loincSection.immunizations)).toBeUndefined();
  });

  it('places each resource in its section, the latest of each test, references resolved inside the Bundle', () => {
    const resources: Record_[] = [
      { resourceType: 'AllergyIntolerance', id: 'a1', clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Pénicilline' }, criticality: 'high', patient: subject },
      { resourceType: 'Condition', id: 'c1', clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Diabète de type 2' }, subject },
      { resourceType: 'Condition', id: 'c2', clinicalStatus: { coding: [{ code: 'resolved' }] }, code: { text: 'Appendicite' }, subject, onsetDateTime: '1990-05-01' },
      { resourceType: 'Condition', id: 'c3', verificationStatus: { coding: [{ code: 'entered-in-error' }] }, clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Erreur de saisie' }, subject },
      { resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', medicationReference: { reference: 'https://hie.example.org/fhir/Medication/med1' }, subject },
      { resourceType: 'MedicationRequest', id: 'm2', status: 'stopped', intent: 'order', medicationCodeableConcept: { text: 'Arrêté' }, subject },
      { resourceType: 'Observation', id: 'o1', status: 'final', category: [{ coding: [{ code: 'laboratory' }] }], code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }], text: 'Kaliémie' }, subject, effectiveDateTime: '2026-11-01T08:00:00Z', valueQuantity: { value: 4.1, unit: 'mmol/L' } },
      { resourceType: 'Observation', id: 'o2', status: 'final', category: [{ coding: [{ code: 'laboratory' }] }], code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }], text: 'Kaliémie' }, subject, effectiveDateTime: '2026-12-01T08:00:00Z', valueQuantity: { value: 6.4, unit: 'mmol/L' } },
      { resourceType: 'Observation', id: 'v1', status: 'final', category: [{ coding: [{ code: 'vital-signs' }] }], code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }], text: 'Pouls' }, subject, effectiveDateTime: '2026-12-01T08:00:00Z', valueQuantity: { value: 76, unit: '/min' } },
      { resourceType: 'Immunization', id: 'i1', status: 'completed', vaccineCode: { text: 'Grippe' }, patient: subject, occurrenceDateTime: '2026-10-10' },
      { resourceType: 'Procedure', id: 'pr1', status: 'completed', code: { text: 'Coloscopie' }, subject, performedDateTime: '2025-02-02' },
      { resourceType: 'Encounter', id: 'e1', status: 'finished', class: { code: 'AMB' }, subject },
    ];
    const referenced = new Map<string, Record_>([['Medication/med1', { resourceType: 'Medication', id: 'med1', code: { text: 'Metformine 500 mg' } }]]);
    const { bundle, counts, gaps, sections } = buildIps(input(resources, { referenced, fhirBase: 'https://hie.example.org/fhir' }));
    expect(ipsDocumentIssues(bundle)).toEqual([]);
    expect(baseR4Failures(bundle)).toEqual([]);
    expect(gaps).toEqual([]);
    expect(counts).toMatchObject({ allergies: 1, medications: 2, problems: 1, pastIllness: 1, immunizations: 1, procedures: 1, results: 1, vitalSigns: 1 });
    const ids = entries(bundle).map((r) => `${String(r['resourceType'])}/${String(r['id'])}`);
    expect(ids).toEqual(expect.arrayContaining(['Condition/c2', 'Medication/med1', 'Observation/o2']));
    expect(ids).not.toContain('Observation/o1'); // an older potassium: the latest of each test
    expect(ids).not.toContain('Condition/c3'); // entered in error
    // A stopped order is history the summary keeps, said as stopped.
    expect(ids).toContain('MedicationRequest/m2');
    expect(sections.find((x) => x.key === 'medications')?.lines).toContain('Arrêté — arrêté');
    expect(ids).not.toContain('Encounter/e1'); // no IPS section
    // References inside the Bundle are its full URLs (an absolute one too); the narrative follows the language.
    const m1 = entries(bundle).find((r) => r['id'] === 'm1') as Record_;
    expect(resolved(bundle, String((m1['medicationReference'] as Record_)['reference']))?.['id']).toBe('med1');
    expect(resolved(bundle, String((m1['subject'] as Record_)['reference']))?.['resourceType']).toBe('Patient');
    const meds = section(bundle, loincSection.medications) as Record_;
    expect(meds['title']).toBe('Traitements');
    expect(String((meds['text'] as Record_)['div'])).toContain('Metformine 500 mg');
    expect(String((section(bundle, loincSection.results)?.['text'] as Record_)['div'])).toContain('Kaliémie — 6.4 mmol/L — 01/12/2026');
    // Server bookkeeping is not carried; each resource claims its IPS profile.
    const person = entries(bundle).find((r) => r['resourceType'] === 'Patient') as Record_;
    expect(person['meta']).toEqual({ profile: [ipsProfile.Patient] });
    expect(composition(bundle)).toMatchObject({ title: 'Résumé patient international', language: 'fr-FR', author: [{ ...author, reference: 'https://hie.example.org/fhir/Practitioner/dr-1' }] });
    expect(buildIps(input(resources, { referenced, language: 'en' })).bundle['language']).toBe('en');
  });

  it('names a contained medication, and keeps the latest measured value of a test over a newer one without a value', () => {
    const resources: Record_[] = [
      { resourceType: 'MedicationRequest', id: 'm3', status: 'active', intent: 'order', medicationReference: { reference: '#med1' }, contained: [{ resourceType: 'Medication', id: 'med1', code: { text: 'Amlodipine 5 mg' } }], subject },
      { resourceType: 'Observation', id: 'w1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }], text: 'Poids' }, subject, effectiveDateTime: '2026-10-01', valueQuantity: { value: 71, unit: 'kg' } },
      { resourceType: 'Observation', id: 'w2', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }], text: 'Poids' }, subject, effectiveDateTime: '2026-11-01', dataAbsentReason: { text: 'Non réalisé' } },
      { resourceType: 'Observation', id: 'h1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8302-2' }], text: 'Taille' }, subject, effectiveDateTime: '2026-11-01', dataAbsentReason: { text: 'Non réalisé' } },
    ];
    const { bundle, sections } = buildIps(input(resources));
    expect(ipsDocumentIssues(bundle)).toEqual([]);
    expect(baseR4Failures(bundle)).toEqual([]);
    expect(sections.find((x) => x.key === 'medications')?.lines).toEqual(['Amlodipine 5 mg']);
    // No category: a weight and a height are vital signs by their codes.
    expect(sections.find((x) => x.key === 'vitalSigns')?.lines).toEqual(['Taille — (Non réalisé) — 01/11/2026', 'Poids — 71 kg — 01/10/2026']);
  });

  it('carries a resource that lacks what its profile requires, without claiming it, and says so', () => {
    const noStatus: Record_ = { resourceType: 'Condition', id: 'c9', code: { text: 'Hypertension' }, subject };
    const amended: Record_ = { resourceType: 'Observation', id: 'o9', status: 'amended', category: [{ coding: [{ code: 'laboratory' }] }], code: { text: 'Créatinine' }, subject, effectiveDateTime: '2026-11-01', valueQuantity: { value: 90, unit: 'µmol/L' } };
    const { bundle, gaps } = buildIps(input([noStatus, amended]));
    expect(ipsDocumentIssues(bundle)).toEqual([]);
    const c9 = entries(bundle).find((r) => r['id'] === 'c9') as Record_;
    expect(c9['meta']).toBeUndefined();
    expect(gaps).toEqual(['Condition/c9 — Condition: clinicalStatus is required', 'Observation/o9 — Observation: status is final (Observation-results-uv-ips)']);
  });

  it('leaves out what was ruled out, says the status of the rest, and keeps every value type', () => {
    const resources: Record_[] = [
      { resourceType: 'Condition', id: 'r1', verificationStatus: { coding: [{ code: 'refuted' }] }, clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Tuberculose' }, subject },
      { resourceType: 'Condition', id: 'u1', verificationStatus: { coding: [{ code: 'provisional' }] }, clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Angor' }, subject },
      { resourceType: 'Condition', id: 'a1', code: { text: 'Fracture du poignet' }, abatementDateTime: '2020-01-01', subject },
      { resourceType: 'AllergyIntolerance', id: 'al1', clinicalStatus: { coding: [{ code: 'resolved' }] }, code: { text: 'Lait' }, patient: subject },
      { resourceType: 'AllergyIntolerance', id: 'al2', verificationStatus: { coding: [{ code: 'refuted' }] }, code: { text: 'Iode' }, patient: subject },
      { resourceType: 'MedicationRequest', id: 'd1', status: 'draft', intent: 'order', medicationCodeableConcept: { text: 'Brouillon' }, subject },
      { resourceType: 'MedicationRequest', id: 'h1', status: 'on-hold', intent: 'order', medicationCodeableConcept: { text: 'Warfarine' }, subject },
      { resourceType: 'MedicationAdministration', id: 'ad1', status: 'completed', medicationCodeableConcept: { text: 'Ceftriaxone 1 g' }, subject, effectiveDateTime: '2026-11-02T10:00:00Z' },
      { resourceType: 'Observation', id: 'x1', status: 'preliminary', code: { text: 'Troponine' }, subject, effectiveDateTime: '2026-11-02', valueQuantity: { value: 0.01, comparator: '<', unit: 'ng/mL' } },
      { resourceType: 'Observation', id: 'x2', status: 'final', code: { text: 'Grossesse' }, subject, effectiveDateTime: '2026-11-02', valueBoolean: false },
      { resourceType: 'Observation', id: 'x3', status: 'final', code: { text: 'Score' }, subject, effectiveDateTime: '2026-11-02', valueInteger: 7 },
      { resourceType: 'Observation', id: 'x4', status: 'final', code: { text: 'Titre' }, subject, effectiveDateTime: '2026-11-02', valueRatio: { numerator: { value: 1 }, denominator: { value: 64 } } },
      { resourceType: 'Observation', id: 'x5', status: 'final', code: { text: 'Toxicologie' }, subject, effectiveDateTime: '2026-11-02', component: [{ code: { text: 'Cannabis' }, valueCodeableConcept: { text: 'positif' } }] },
      { resourceType: 'Immunization', id: 'im1', status: 'completed', vaccineCode: { text: 'dTP' }, patient: subject, occurrenceString: 'Été 2016, selon la patiente' },
      { resourceType: 'Procedure', id: 'pr2', status: 'completed', code: { text: 'Coloscopie' }, subject, performedString: '2019, dans un autre établissement' },
    ];
    const { bundle, sections } = buildIps(input(resources));
    expect(ipsDocumentIssues(bundle)).toEqual([]);
    const lines = (key: string): readonly string[] => sections.find((x) => x.key === key)?.lines ?? [];
    const ids = entries(bundle).map((r) => String(r['id']));
    expect(ids).not.toContain('r1');
    expect(ids).not.toContain('al2');
    expect(ids).not.toContain('d1');
    expect(lines('problems')).toEqual(['Angor — actif — provisoire']);
    expect(lines('pastIllness')).toEqual(['Fracture du poignet']);
    expect(lines('allergies')).toEqual(['Lait — résolu']);
    expect(lines('medications')).toEqual(expect.arrayContaining(['Warfarine — suspendu', 'Ceftriaxone 1 g — terminé — 02/11/2026']));
    // Dates given only in words are said as written (an IPS occurrence[x] / performed[x] may be a string).
    expect(lines('immunizations')).toEqual(['dTP — Été 2016, selon la patiente']);
    expect(lines('procedures')).toEqual(['Coloscopie — 2019, dans un autre établissement']);
    expect(lines('results')).toEqual(expect.arrayContaining(['Troponine — <0.01 ng/mL — résultat provisoire — 02/11/2026', 'Grossesse — ✗ — 02/11/2026', 'Score — 7 — 02/11/2026', 'Titre — 1 / 64 — 02/11/2026', 'Toxicologie — Cannabis positif — 02/11/2026']));
  });

  it('resolves references to the record only on the HIE’s base, and makes the others absolute there', () => {
    const elsewhere: Record_ = { resourceType: 'MedicationRequest', id: 'm5', status: 'active', intent: 'order', medicationReference: { reference: 'https://other.example.com/fhir/Medication/med1' }, subject, encounter: { reference: 'Encounter/e9' } };
    const referenced = new Map<string, Record_>([['Medication/med1', { resourceType: 'Medication', id: 'med1', code: { text: 'Nôtre' } }]]);
    const { bundle, sections } = buildIps(input([elsewhere], { referenced, fhirBase: 'https://hie.example.org/fhir/' }));
    const m5 = entries(bundle).find((r) => r['id'] === 'm5') as Record_;
    expect(m5['medicationReference']).toEqual({ reference: 'https://other.example.com/fhir/Medication/med1' });
    expect(entries(bundle).some((r) => r['resourceType'] === 'Medication')).toBe(false);
    expect(sections.find((x) => x.key === 'medications')?.lines).toEqual(['?']);
    expect(m5['encounter']).toEqual({ reference: 'https://hie.example.org/fhir/Encounter/e9' });
    expect(composition(bundle)['author']).toEqual([{ reference: 'https://hie.example.org/fhir/Practitioner/dr-1', display: 'Dr Claire Martin' }]);
    // A code from the HIE is never a lookup into the prototype.
    const odd = buildIps(input([{ resourceType: 'AllergyIntolerance', id: 'z', clinicalStatus: { coding: [{ code: 'constructor' }] }, code: { text: 'X' }, patient: subject }]));
    expect(odd.sections.find((x) => x.key === 'allergies')?.lines).toEqual(['X — constructor']);
  });

  it('claims the Bundle and Composition profiles only for a patient who meets Patient-uv-ips', () => {
    const { bundle, gaps } = buildIps(input([], { patient: { resourceType: 'Patient', id: 'p1', name: [{ family: 'Sans date' }] } }));
    expect(bundle['meta']).toBeUndefined();
    expect(composition(bundle)['meta']).toBeUndefined();
    expect(gaps).toEqual(['Patient/p1 — Patient: birthDate is required']);
    expect(ipsDocumentIssues(bundle)).toEqual(['the Patient: Patient: birthDate is required']);
  });

  it('escapes the record’s text in the narrative (no markup from the HIE reaches the document’s XHTML)', () => {
    const hostile: Record_ = { resourceType: 'AllergyIntolerance', id: 'a9', clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: '<script>alert(1)</script> & "x"' }, patient: subject };
    const { bundle } = buildIps(input([hostile]));
    const div = String((section(bundle, loincSection.allergies)?.['text'] as Record_)['div']);
    expect(div).not.toContain('<script>');
    expect(div).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
  });
});

describe('the IPS document check fails what IPS forbids', () => {
  const good = (): Record_ => structuredClone(buildIps(input([{ resourceType: 'Condition', id: 'c1', clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Asthme' }, subject }])).bundle) as Record_;
  type Mutable = Record<string, unknown> & { entry: { fullUrl: string; resource: Record<string, unknown> & { section: Record<string, unknown>[] } }[] };
  const cases: [string, (b: Mutable) => void, RegExp][] = [
    ['not a document', (b) => (b['type'] = 'collection'), /Bundle.type is document/],
    ['no identifier system', (b) => (b['identifier'] = { value: 'x' }), /bdl-9/],
    ['no timestamp', (b) => delete b['timestamp'], /bdl-10/],
    ['Composition not first', (b) => b.entry.reverse(), /first entry is a Composition/],
    ['wrong document type', (b) => (b.entry[0]!.resource['type'] = { coding: [{ system: 'http://loinc.org', code: '34133-9' }] }), /60591-5/],
    ['no author', (b) => (b.entry[0]!.resource['author'] = []), /author/],
    ['no allergies section', (b) => (b.entry[0]!.resource.section = b.entry[0]!.resource.section.filter((s) => !JSON.stringify(s).includes('48765-2'))), /allergies/],
    ['an empty section with emptyReason', (b) => {
      const s = b.entry[0]!.resource.section[0]!;
      s['entry'] = [];
      s['emptyReason'] = { coding: [{ code: 'unavailable' }] };
    }, /emptyReason is not used|at least one entry/],
    ['no narrative', (b) => delete b.entry[0]!.resource.section[1]!['text'], /narrative/],
    ['an entry outside the Bundle', (b) => (b.entry[0]!.resource.section[2]!['entry'] = [{ reference: 'urn:uuid:missing' }]), /is in the Bundle/],
    ['a duplicate fullUrl', (b) => (b.entry[2]!.fullUrl = b.entry[1]!.fullUrl), /bdl-7/],
    ['a Patient without birth date', (b) => delete b.entry[1]!.resource['birthDate'], /birthDate/],
    ['a claimed profile not met', (b) => {
      const condition = b.entry.find((e) => e.resource['resourceType'] === 'Condition' && e.resource['id'] === 'c1')!;
      delete condition.resource['clinicalStatus'];
    }, /clinicalStatus/],
    ['a medication in the problems section', (b) => {
      const problems = b.entry[0]!.resource.section.find((s) => JSON.stringify(s).includes('11450-4'))!;
      const medications = b.entry[0]!.resource.section.find((s) => JSON.stringify(s).includes('10160-0'))!;
      problems['entry'] = medications['entry'];
    }, /is not an entry of this section/],
  ];
  it('accepts the unbroken document', () => {
    expect(ipsDocumentIssues(good())).toEqual([]);
    expect(isRecord(good()) && String((good()['meta'] as Record_)['profile'])).toContain(ipsBase);
  });
  it.each(cases)('%s', (_name, breakIt, expected) => {
    const bundle = good() as Mutable;
    breakIt(bundle);
    const issues = ipsDocumentIssues(bundle);
    expect(issues.join('\n')).toMatch(expected);
  });
  it('refuses what is not a Bundle', () => {
    expect(ipsDocumentIssues({ resourceType: 'Patient' })).toEqual(['not a Bundle']);
    expect(ipsDocumentIssues('{}')).toEqual(['not a Bundle']);
  });
});

describe('the patient summary with another source’s records (issue 15)', () => {
  const hie = 'https://hie.example.org/fhir';
  const sud = 'https://fhir.ch-sud.example/r4';
  const theirs = { reference: 'Patient/h9' };
  const hospital = {
    source: { id: 'ch-sud', label: 'CH Sud', fhirBase: sud },
    patients: ['Patient/h9'],
    resources: [
      // The same id as the HIE's Condition/c1, another thing.
      { resourceType: 'Condition', id: 'c1', meta: { versionId: '7', lastUpdated: '2026-10-01T00:00:00Z' }, clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Fibrillation atriale' }, subject: theirs, recorder: { reference: 'Practitioner/x7' } },
      { resourceType: 'MedicationRequest', id: 'mr1', status: 'active', intent: 'order', medicationReference: { reference: `${sud}/Medication/m1` }, subject: { reference: `${sud}/Patient/h9` }, requester: { reference: 'Practitioner/x7' } },
      { resourceType: 'AllergyIntolerance', id: 'a9', clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Iode' }, patient: theirs },
    ] as Record_[],
    medications: new Map<string, Record_>([['Medication/m1', { resourceType: 'Medication', id: 'm1', code: { text: 'Warfarine 5 mg' } }]]),
  };
  const ours: Record_[] = [
    { resourceType: 'Condition', id: 'c1', clinicalStatus: { coding: [{ code: 'active' }] }, code: { text: 'Diabète de type 2' }, subject },
    { resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', medicationReference: { reference: 'Medication/m1' }, subject },
  ];
  const ourMedications = new Map<string, Record_>([['Medication/m1', { resourceType: 'Medication', id: 'm1', code: { text: 'Amoxicilline 1 g' } }]]);

  it('carries them under new ids, marked with their address there, their references to that source’s patient and Medication resolved in the Bundle, the rest absolute on that source', () => {
    const uuid = counter();
    const others = sourcedForIps('Patient/p1', [hospital], uuid);
    const { bundle, sections, gaps } = buildIps(input([...ours, ...others.resources], { referenced: new Map([...ourMedications, ...others.referenced]), fhirBase: hie, uuid, sources: others.sources }));
    expect(ipsDocumentIssues(bundle)).toEqual([]);
    expect(baseR4Failures(bundle)).toEqual([]);
    expect(gaps).toEqual([]);
    const all = entries(bundle);
    const patientUrl = String(records(bundle['entry']).find((e) => (e['resource'] as Record_)['resourceType'] === 'Patient')?.['fullUrl']);
    const conditions = all.filter((r) => r['resourceType'] === 'Condition');
    expect(conditions.map((c) => (c['code'] as Record_)['text']).sort()).toEqual(['Diabète de type 2', 'Fibrillation atriale']);
    const theirCondition = conditions.find((c) => (c['code'] as Record_)['text'] === 'Fibrillation atriale') as Record_;
    expect(theirCondition['id']).not.toBe('c1');
    expect(theirCondition['meta']).toEqual({ source: `${sud}/Condition/c1`, profile: [ipsProfile.Condition] });
    expect(theirCondition['subject']).toEqual({ reference: patientUrl });
    expect(theirCondition['recorder']).toEqual({ reference: `${sud}/Practitioner/x7` });
    // Each prescription names its own server's Medication/m1.
    const named = all
      .filter((r) => r['resourceType'] === 'MedicationRequest')
      .map((r) => (resolved(bundle, String((r['medicationReference'] as Record_)['reference']))?.['code'] as Record_ | undefined)?.['text'])
      .sort();
    expect(named).toEqual(['Amoxicilline 1 g', 'Warfarine 5 mg']);
    const theirOrder = all.find((r) => r['resourceType'] === 'MedicationRequest' && (r['meta'] as Record_ | undefined)?.['source'] === `${sud}/MedicationRequest/mr1`) as Record_;
    expect(theirOrder['subject']).toEqual({ reference: patientUrl });
    expect(theirOrder['requester']).toEqual({ reference: `${sud}/Practitioner/x7` });
    // The allergy known only to the hospital is in the summary, and its lines say where each came from.
    const allergies = sections.find((s) => s.key === 'allergies')?.lines ?? [];
    expect(allergies).toEqual([expect.stringMatching(/^Iode.*\(source : CH Sud\)$/)]);
    const problems = sections.find((s) => s.key === 'problems')?.lines ?? [];
    expect(problems.filter((line) => line.endsWith('(source : CH Sud)'))).toHaveLength(1);
    expect(problems.find((line) => line.startsWith('Diabète'))).not.toMatch(/source/);
    const narrative = JSON.stringify(section(bundle, loincSection.allergies)?.['text']);
    expect(narrative).toContain('(source : CH Sud)');
  });

  it('in English, and with no other source nothing changes', () => {
    const others = sourcedForIps('Patient/p1', [hospital], counter());
    const { sections } = buildIps(input(others.resources, { referenced: others.referenced, fhirBase: hie, language: 'en', sources: others.sources }));
    expect(sections.find((s) => s.key === 'allergies')?.lines).toEqual([expect.stringMatching(/\(source: CH Sud\)$/)]);
    const none = sourcedForIps('Patient/p1', [], counter());
    expect(none).toEqual({ resources: [], referenced: new Map(), sources: [] });
  });
});
