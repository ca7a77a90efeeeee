import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patientOf } from '../../../../shared/fhir/compartment';
import { isRecord, records, type Record_ } from '../../../../shared/fhir/fhir-text';
import type { FhirResource } from '../../../../shared/fhir/resource';
import { importLimits, parseDocument, type ParsedDocument, type SourceEntry } from '../../../../shared/exchange/document-parse';
import { compareIdentity, fileDigestSystem, narrativeFromText, planImport, provenancePatientExtension, type ImportContext } from '../../../../shared/exchange/document-import';
import { buildIps } from '../../../../shared/exchange/ips';

const ccd = readFileSync('tests/fixtures/import/ccd-discharge-en.xml', 'utf8');
const ips = readFileSync('tests/fixtures/import/ips-hospital-fr.json', 'utf8');

const counter = (): (() => string) => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const parsed = (text: string): ParsedDocument => {
  const result = parseDocument(text, text.length);
  if (!result.ok) throw new Error(`refused: ${result.code}`);
  return result.value;
};
const refused = (text: string, bytes = text.length): string | null => {
  const result = parseDocument(text, bytes);
  return result.ok ? null : result.code;
};

const whitfield: Record_ = { resourceType: 'Patient', id: 'p-mw', name: [{ family: 'Whitfield', given: ['Margaret'] }], gender: 'female', birthDate: '1952-03-14' };
const moreau: Record_ = {
  resourceType: 'Patient',
  id: 'p-jm',
  identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '248037512345678' }],
  name: [{ family: 'MOREAU', given: ['Jeanne'] }],
  gender: 'female',
  birthDate: '1948-03-02',
};
const context = (patient: Record_, chart: readonly Record_[] = [patient], extra: Partial<ImportContext> = {}): ImportContext => ({
  patient,
  chart,
  practitioner: { reference: 'Practitioner/dr-1', display: 'Dr Claire Martin' },
  fileName: 'sortie.json',
  fileDigest: 'ab'.repeat(32),
  now: new Date('2026-12-04T10:00:00Z'),
  language: 'fr',
  uuid: counter(),
  ...extra,
});
const byType = (resources: readonly FhirResource[], type: string): Record_[] => resources.filter((r) => r.resourceType === type) as Record_[];

describe('reading a document file', () => {
  it('reads a C-CDA CCD through @medplum/ccda: the patient, every coded section, the document and its id', () => {
    const doc = parsed(ccd);
    expect(doc.format).toBe('ccda');
    expect(doc.identifier).toBe('urn:hl7ii:2.16.840.1.113883.19.5.99999.1:CCD-20261120-4471');
    expect(doc.title).toContain('Mercy Valley Hospital');
    expect(doc.author).toBe('Robert Okafor MD');
    expect(doc.patient?.resource['birthDate']).toBe('1952-03-14');
    const types = doc.entries.map((e) => String(e.resource['resourceType'])).sort();
    expect(types).toEqual(expect.arrayContaining(['AllergyIntolerance', 'Composition', 'Condition', 'Condition', 'Immunization', 'MedicationRequest', 'Observation', 'Procedure']));
  });

  it('reads a FHIR document Bundle (an IPS from a hospital): the Composition names the patient', () => {
    const doc = parsed(ips);
    expect(doc.format).toBe('fhir');
    expect(doc.kind).toBe('document');
    expect(doc.identifier).toBe('urn:uuid:4f6c1a0e-2b7d-4c55-9a41-6d0f9e2c7b11');
    expect(doc.patient?.resource['id']).toBe('pat-chu-55120');
    expect(doc.composition?.resource['title']).toContain('Synthèse');
  });

  it('refuses hostile and broken files with a code, before anything is read from them', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol2;</title></ClinicalDocument>`;
    expect(refused(laughs)).toBe('xml-declarations');
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><ClinicalDocument xmlns="urn:hl7-org:v3">&x;</ClinicalDocument>`;
    expect(refused(xxe)).toBe('xml-declarations');
    expect(refused(ccd.replace('</recordTarget>', ''))).toBe('malformed-xml');
    expect(refused('<html><body>not a CDA</body></html>')).toBe('not-ccda');
    expect(refused('{"resourceType": "Bundle", "type": "document", "entry": [')).toBe('malformed-json');
    expect(refused('{"resourceType": "Patient", "id": "x"}')).toBe('not-a-bundle');
    expect(refused(JSON.stringify({ resourceType: 'Bundle', type: 'message', entry: [{ resource: moreau }] }))).toBe('bundle-type');
    expect(refused(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Condition', id: 'c' } }] }))).toBe('no-patient');
    expect(refused(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: moreau }, { resource: whitfield }] }))).toBe('several-patients');
    expect(refused('   ')).toBe('empty');
    expect(refused('name;birth\nx;y')).toBe('unknown-format');
    expect(refused(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: Array.from({ length: importLimits.maxEntries + 1 }, () => ({ resource: moreau })) }))).toBe('too-many');
  });

  it('refuses a 50 MB file by its size without parsing it', () => {
    const big = `{"resourceType":"Bundle","type":"collection","entry":[${'{"resource":{"resourceType":"Basic","id":"x"}},'.repeat(1_200_000)}{}]}`;
    expect(big.length).toBeGreaterThan(50 * 1024 * 1024);
    expect(refused(big)).toBe('too-large');
    // The size the file says is checked too (a file read partly).
    expect(refused(ips, 50 * 1024 * 1024)).toBe('too-large');
  });
});

describe('other shapes systems send', () => {
  it('reads a transaction Bundle (urn:uuid references, request entries, a DELETE without resource)', () => {
    const patient = { ...moreau, id: undefined };
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:aaaaaaaa-0000-4000-8000-000000000001', resource: patient, request: { method: 'POST', url: 'Patient' } },
        { fullUrl: 'urn:uuid:aaaaaaaa-0000-4000-8000-000000000002', resource: { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }], text: 'Pouls' }, subject: { reference: 'urn:uuid:aaaaaaaa-0000-4000-8000-000000000001' }, effectiveDateTime: '2026-11-30T08:00:00+01:00', valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } }, request: { method: 'POST', url: 'Observation' } },
        { request: { method: 'DELETE', url: 'Observation/old' } },
      ],
    };
    const plan = planImport(parsed(JSON.stringify(bundle)), context(moreau));
    expect(plan.verdict).toBe('match');
    expect(plan.sections.map((x) => x.key)).toEqual(['vitalSigns']);
    const [observation] = byType(plan.resources, 'Observation');
    expect(observation?.['subject']).toMatchObject({ reference: 'Patient/p-jm' });
    expect(observation?.['request']).toBeUndefined();
  });

  it('reads a CCD whose patient has no birth time and sections marked nullFlavor: unverifiable, nothing invented', () => {
    const undated = ccd.replace('<birthTime value="19520314"/>', '<birthTime nullFlavor="UNK"/>').replace(/<entry typeCode="DRIV">\s*<procedure[\s\S]*?<\/entry>/, '<entry nullFlavor="NI"/>');
    const doc = parsed(undated);
    expect(doc.patient?.resource['birthDate']).toBeUndefined();
    const plan = planImport(doc, context(whitfield));
    expect(plan.verdict).toBe('unverifiable');
    expect(plan.identity.find((r) => r.trait === 'birthDate')).toMatchObject({ file: null, verdict: 'absent' });
    expect(byType(plan.resources, 'Procedure')).toEqual([]);
  });
});

describe('the patient match', () => {
  it('matches on a shared identifier with the same name, birth date and sex', () => {
    expect(compareIdentity((parsed(ips).patient as SourceEntry).resource, moreau).verdict).toBe('match');
  });

  it('asks for confirmation when no identifier is shared but name, birth date and sex agree', () => {
    const { verdict, rows } = compareIdentity((parsed(ccd).patient as SourceEntry).resource, whitfield);
    expect(verdict).toBe('confirm');
    expect(rows.find((r) => r.trait === 'birthDate')).toMatchObject({ file: '1952-03-14', chart: '1952-03-14', verdict: 'same' });
  });

  it('blocks when any trait differs, or when the file cannot be checked', () => {
    const file = (parsed(ips).patient as SourceEntry).resource;
    expect(compareIdentity(file, { ...moreau, identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '1' }] }).verdict).toBe('mismatch');
    expect(compareIdentity(file, { ...moreau, birthDate: '1948-03-20' }).verdict).toBe('mismatch');
    expect(compareIdentity(file, { ...moreau, name: [{ family: 'Morel', given: ['Jeanne'] }] }).verdict).toBe('mismatch');
    expect(compareIdentity(file, { ...moreau, gender: 'male' }).verdict).toBe('mismatch');
    expect(compareIdentity(file, whitfield).verdict).toBe('mismatch');
    const { birthDate: _b, ...undated } = file;
    expect(compareIdentity(undated, moreau).verdict).toBe('unverifiable');
  });
});

describe('the import plan', () => {
  it('adds a C-CDA’s items to the right patient, new ids, references rewritten, narrative rebuilt as text, a Provenance naming them all', () => {
    const plan = planImport(parsed(ccd), context(whitfield, [whitfield], { fileName: 'ccd.xml' }));
    expect(plan.verdict).toBe('confirm');
    const keys = plan.sections.map((s) => s.key);
    expect(keys).toEqual(['allergies', 'problems', 'medications', 'immunizations', 'procedures', 'results', 'vitalSigns', 'documents']);
    expect(plan.sections.find((s) => s.key === 'problems')?.items.map((i) => i.line)).toEqual([expect.stringContaining('Type 2 diabetes mellitus'), expect.stringContaining('Essential hypertension')]);
    for (const resource of plan.resources) {
      expect(patientOf(resource), resource.resourceType).toBe('Patient/p-mw');
      if (resource.resourceType === 'Provenance') continue;
      const text = JSON.stringify(resource);
      // Nothing points at the source system's ids any more.
      expect(text).not.toContain('7047333d-a33b-46ab-ab60-e64fb52cc55e');
      expect(text).not.toMatch(/"reference":"(Practitioner|Organization)\//);
    }
    // The dose the CDA gave without a unit stays without one (the converter says "[IU]"), and the narrative becomes the dosage text.
    const order = byType(plan.resources, 'MedicationRequest')[0] as Record_;
    const dosage = records(order['dosageInstruction'])[0] as Record_;
    expect(JSON.stringify(order)).not.toContain('[IU]');
    expect(dosage['text']).toBe('Metformin 500 mg oral tablet, one tablet twice daily');
    // The panel's members point to the new ids of its results.
    const members = byType(plan.resources, 'Observation').flatMap((o) => records(o['hasMember']).map((m) => String(m['reference'])));
    const observationRefs = new Set(byType(plan.resources, 'Observation').map((o) => `Observation/${String(o['id'])}`));
    expect(members.length).toBeGreaterThan(0);
    for (const member of members) expect(observationRefs.has(member)).toBe(true);
    const [composition] = byType(plan.resources, 'Composition');
    expect(composition?.['subject']).toEqual({ reference: 'Patient/p-mw' });
    const plan_ = records(composition?.['section']).find((s) => s['title'] === 'Plan of Treatment');
    expect(isRecord(plan_?.['text']) ? plan_['text']['div'] : null).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>Follow up with primary care in 2 weeks. Recheck HbA1c in 3 months; consider adding a second agent if above 7.5 %.</p></div>');
    expect(composition?.['meta']).toEqual({ source: 'urn:hl7ii:2.16.840.1.113883.19.5.99999.1:CCD-20261120-4471' });
    // The Provenance: last, every added resource, the file, who, when, the patient.
    const provenance = plan.resources.at(-1) as Record_;
    expect(provenance['resourceType']).toBe('Provenance');
    expect(records(provenance['target']).map((t) => t['reference'])).toEqual(plan.resources.slice(0, -1).map((r) => `${r.resourceType}/${String(r.id)}`));
    expect(provenance['recorded']).toBe('2026-12-04T10:00:00.000Z');
    expect(records(provenance['agent'])[0]?.['who']).toEqual({ reference: 'Practitioner/dr-1', display: 'Dr Claire Martin' });
    expect(records(provenance['entity'])[0]?.['what']).toMatchObject({ identifier: { system: fileDigestSystem, value: 'ab'.repeat(32) }, display: expect.stringContaining('ccd.xml · HL7 C-CDA') });
    expect(records(provenance['extension'])[0]).toEqual({ url: provenancePatientExtension, valueReference: { reference: 'Patient/p-mw' } });
    expect(patientOf(provenance as FhirResource)).toBe('Patient/p-mw');
    expect(plan.added).toBe(plan.resources.length - 1);
  });

  it('imports a hospital IPS: the Medication the statement names becomes its code, the author stays as words', () => {
    const plan = planImport(parsed(ips), context(moreau));
    expect(plan.verdict).toBe('match');
    const [statement] = byType(plan.resources, 'MedicationStatement');
    expect(statement?.['medicationReference']).toBeUndefined();
    expect(statement?.['medicationCodeableConcept']).toMatchObject({ text: 'Apixaban 5 mg comprimé' });
    const [condition] = byType(plan.resources, 'Condition');
    expect(condition?.['recorder']).toEqual({ display: 'CHU de Limoges' });
    expect(byType(plan.resources, 'Medication')).toEqual([]);
    expect(byType(plan.resources, 'Organization')).toEqual([]);
    // No narrative of the other system is carried on the items.
    for (const r of plan.resources) if (r.resourceType !== 'Composition') expect((r as Record_)['text']).toBeUndefined();
  });

  it('does not add what the chart already has: our own summary brought back adds nothing but what is new', () => {
    const chart: Record_[] = [
      moreau,
      { resourceType: 'Condition', id: 'c1', clinicalStatus: { coding: [{ code: 'active' }] }, code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }], text: 'HTA' }, subject: { reference: 'Patient/p-jm' }, onsetDateTime: '2015-02-03' },
      { resourceType: 'Observation', id: 'o1', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '14682-9' }] }, subject: { reference: 'Patient/p-jm' }, effectiveDateTime: '2026-11-27T06:30:00Z', valueQuantity: { value: 98, unit: 'µmol/L', code: 'umol/L' } },
    ];
    const own = buildIps({ patient: moreau, resources: chart, author: { reference: 'Practitioner/dr-1' }, now: new Date('2026-12-04T08:00:00Z'), language: 'fr', uuid: counter() });
    const back = planImport(parsed(JSON.stringify(own.bundle)), context(moreau, chart));
    expect(back.verdict).toBe('match');
    expect(back.added).toBe(0);
    expect(back.resources).toEqual([]);
    // Its "no information about allergies / medications" entries are statements about the document, not records.
    expect(back.leftOut).toEqual(expect.arrayContaining([{ type: 'AllergyIntolerance', reason: 'no-information', count: 1 }, { type: 'MedicationStatement', reason: 'no-information', count: 1 }]));
    // The hospital's creatinine is the same measurement at the same instant (another time zone): not added twice.
    const hospital = planImport(parsed(ips), context(moreau, chart));
    expect(hospital.duplicates).toBe(1);
    expect(hospital.sections.find((s) => s.key === 'results')?.items).toEqual([expect.objectContaining({ duplicateOf: 'Observation/o1', ref: null })]);
    expect(byType(hospital.resources, 'Observation')).toEqual([]);
    const [composition] = byType(hospital.resources, 'Composition');
    const results = records(composition?.['section']).find((s) => s['title'] === 'Résultats');
    expect(results?.['entry']).toEqual([{ reference: 'Observation/o1' }]);
  });

  it('leaves out errors, kinds Relais does not record and items about someone else, and says so', () => {
    const bundle = JSON.parse(ips) as { entry: { fullUrl?: string; resource: Record<string, unknown> }[] };
    bundle.entry.push(
      { fullUrl: 'urn:uuid:e1', resource: { resourceType: 'Condition', id: 'e1', verificationStatus: { coding: [{ code: 'entered-in-error' }] }, code: { text: 'x' }, subject: { reference: 'urn:uuid:0b7f3c2e-1111-4a6b-8f00-000000000002' } } },
      { fullUrl: 'urn:uuid:e2', resource: { resourceType: 'CarePlan', id: 'e2', status: 'active', intent: 'plan', subject: { reference: 'urn:uuid:0b7f3c2e-1111-4a6b-8f00-000000000002' } } },
      { fullUrl: 'urn:uuid:e3', resource: { resourceType: 'Observation', id: 'e3', status: 'final', code: { text: 'poids' }, subject: { reference: 'Patient/someone-else' }, valueQuantity: { value: 70 } } },
    );
    const plan = planImport(parsed(JSON.stringify(bundle)), context(moreau));
    expect(plan.leftOut).toEqual(
      expect.arrayContaining([
        { type: 'Condition', reason: 'entered-in-error', count: 1 },
        { type: 'CarePlan', reason: 'kind', count: 1 },
        { type: 'Observation', reason: 'other-patient', count: 1 },
      ]),
    );
    for (const r of plan.resources) expect(patientOf(r)).toBe('Patient/p-jm');
  });

  it('carries no markup or script of the file: narratives become escaped text, strings stay strings', () => {
    const bundle = JSON.parse(ips) as { entry: { resource: Record<string, unknown> }[] };
    const composition = bundle.entry[0]?.resource as { section: { text: { div: string } }[] };
    (composition.section[0] as { text: { div: string } }).text.div = '<div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script><img src=x onerror="alert(2)"/><p>Amoxicilline &lt;b&gt; <a href="javascript:alert(3)">voir</a></p></div>';
    const allergy = bundle.entry[2]?.resource as Record<string, unknown>;
    allergy['code'] = { text: '<img src=x onerror=alert(4)>' };
    allergy['__proto__'] = { polluted: true };
    const plan = planImport(parsed(JSON.stringify(bundle)), context(moreau));
    const [imported] = byType(plan.resources, 'Composition');
    const div = String((records(imported?.['section'])[0]?.['text'] as Record_)['div']);
    expect(div).toBe('<div xmlns="http://www.w3.org/1999/xhtml"><p>Amoxicilline &lt;b&gt; voir</p></div>');
    const [allergyOut] = byType(plan.resources, 'AllergyIntolerance');
    expect(allergyOut?.['code']).toEqual({ text: '<img src=x onerror=alert(4)>' });
    expect(Object.getPrototypeOf(allergyOut)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(narrativeFromText('<div><script>x</script></div>')).toBeNull();
  });
});

describe('what a review found, attacked', () => {
  it('a C-CDA dose whose entry id is not a UUID keeps its amount without the converter’s "[IU]"; dates stay dates; nested narrative is read whole', () => {
    const variant = ccd
      .replace('<id root="cdbd33f0-6cde-11db-9fe1-0800200c9a66"/>', '<id root="2.16.840.1.113883.19" extension="M1"/>')
      .replace('<item ID="med1">Metformin 500 mg oral tablet, one tablet twice daily</item>', '<item ID="med1"><content>Metformin 500 mg</content> oral tablet, one tablet twice daily</item>');
    const plan = planImport(parsed(variant), context(whitfield, [whitfield]));
    const order = byType(plan.resources, 'MedicationRequest')[0] as Record_;
    expect(JSON.stringify(order)).not.toContain('[IU]');
    const dosage = records(order['dosageInstruction'])[0] as Record_;
    expect(records(dosage['doseAndRate'])[0]?.['doseQuantity']).toEqual({ value: 1 });
    expect(dosage['text']).toBe('Metformin 500 mg oral tablet, one tablet twice daily');
    expect(byType(plan.resources, 'Immunization')[0]?.['occurrenceDateTime']).toBe('2026-10-02');
  });

  it('never takes a new record for an old one because two servers gave them the same id', () => {
    const chart: Record_[] = [moreau, { resourceType: 'Observation', id: '0b7f3c2e-1111-4a6b-8f00-000000000008', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '14682-9' }] }, subject: { reference: 'Patient/p-jm' }, effectiveDateTime: '2025-01-10T08:00:00Z', valueQuantity: { value: 71, code: 'umol/L' } }];
    const plan = planImport(parsed(ips), context(moreau, chart));
    expect(byType(plan.resources, 'Observation')).toHaveLength(1);
    // A record the chart voided does not count as there.
    const voided = [moreau, { ...chart[1], effectiveDateTime: '2026-11-27T07:30:00+01:00', valueQuantity: { value: 98, code: 'umol/L' }, status: 'entered-in-error' }] as Record_[];
    expect(byType(planImport(parsed(ips), context(moreau, voided)).resources, 'Observation')).toHaveLength(1);
  });

  it('a device’s Bundle that names its patient (a name or a reference) is not taken for this chart’s', () => {
    const named = JSON.parse(readFileSync('tests/fixtures/import/device-observations.json', 'utf8')) as { entry: { resource: Record<string, unknown> }[] };
    for (const e of named.entry) if (e.resource['resourceType'] === 'Observation') e.resource['subject'] = { reference: 'Patient/x', display: 'DURAND Marie' };
    expect(refused(JSON.stringify(named))).toBe('no-patient');
  });

  it('nothing points to a record left out, and every section is valid R4 with its references rewritten', () => {
    const bundle = JSON.parse(ips) as { entry: { fullUrl: string; resource: Record<string, unknown> }[] };
    bundle.entry.push(
      { fullUrl: 'urn:uuid:r1', resource: { resourceType: 'Observation', id: 'r1', status: 'final', code: { text: 'orphan' }, valueQuantity: { value: 1 } } },
      { fullUrl: 'urn:uuid:d1', resource: { resourceType: 'DiagnosticReport', id: 'd1', status: 'final', code: { text: 'Bilan' }, subject: { reference: 'urn:uuid:0b7f3c2e-1111-4a6b-8f00-000000000002' }, result: [{ reference: 'urn:uuid:r1' }] } },
    );
    const composition = bundle.entry[0]?.resource as { section: Record<string, unknown>[] };
    composition.section.push({ title: 'Vide', code: { text: 'x' }, author: [{ reference: 'urn:uuid:0b7f3c2e-1111-4a6b-8f00-000000000009' }] });
    const plan = planImport(parsed(JSON.stringify(bundle)), context(moreau));
    const [report] = byType(plan.resources, 'DiagnosticReport');
    expect(report?.['result']).toEqual([{ display: 'orphan' }]);
    const empty = records(byType(plan.resources, 'Composition')[0]?.['section']).find((s) => s['title'] === 'Vide');
    expect(empty?.['author']).toEqual([{ display: 'CHU de Limoges' }]);
    expect(empty?.['text']).toMatchObject({ status: 'generated' });
  });

  // Linear time: a super-linear pass over these 0.4 MB would not end within the time limit, far above a loaded machine's linear read; no timing is asserted.
  it('hostile narratives cost linear time: nested separators, thousands of "<", an unclosed script', { timeout: 120_000 }, () => {
    const bundle = JSON.parse(ips) as { entry: { resource: Record<string, unknown> }[] };
    const composition = bundle.entry[0]?.resource as { section: { text: { div: string } }[] };
    (composition.section[0] as { text: { div: string } }).text.div = `<div><tr>${'<td></td>'.repeat(40)}<td>x</td></tr>${'<'.repeat(300_000)}<script>${'a'.repeat(100_000)}</div>`;
    const plan = planImport(parsed(JSON.stringify(bundle)), context(moreau));
    const div = String((records(byType(plan.resources, 'Composition')[0]?.['section'])[0]?.['text'] as Record_)['div']);
    expect(div).not.toContain('<script');
    expect(div).toMatch(/^<div xmlns="http:\/\/www.w3.org\/1999\/xhtml"><p>x<\/p><p>&lt;&lt;/);
  });
});
