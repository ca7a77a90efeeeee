import { describe, expect, it } from 'vitest';
import type { ReplicaEntry } from '../../../../../renderer/db/resource-docs';
import { studyUidOf } from '../../../../../renderer/features/chart/record-items';
import { imagingViewerLink } from '../../../../../shared/security/external-links';
import { buildChart } from '../../../../../renderer/features/chart/chart-model';

const entry = (resource: Record<string, unknown>, syncState: ReplicaEntry['syncState'] = 'synced'): ReplicaEntry => ({
  ref: `${String(resource['resourceType'])}/${String(resource['id'])}`,
  resourceType: String(resource['resourceType']),
  syncState,
  resource: resource as ReplicaEntry['resource'],
});
const status = (code: string) => ({ coding: [{ code }] });

describe('the chart model', () => {
  const chart = buildChart([
    entry({ resourceType: 'Patient', id: 'p', name: [{ family: 'Dupont', given: ['Hélène'] }], gender: 'female', birthDate: '1950-03-12' }),
    entry({ resourceType: 'AllergyIntolerance', id: 'old', clinicalStatus: status('resolved'), code: { text: 'Latex' }, patient: { reference: 'Patient/p' }, recordedDate: '2020-01-01' }),
    entry({ resourceType: 'AllergyIntolerance', id: 'pen', clinicalStatus: status('active'), criticality: 'high', code: { text: 'Pénicilline' }, patient: { reference: 'Patient/p' }, reaction: [{ manifestation: [{ text: 'Urticaire' }] }] }, 'pending'),
    entry({ resourceType: 'Condition', id: 'c1', clinicalStatus: status('active'), code: { text: 'Hypertension artérielle' }, subject: { reference: 'Patient/p' }, onsetDateTime: '2019-01-01' }),
    entry({ resourceType: 'MedicationRequest', id: 'm1', status: 'active', medicationCodeableConcept: { text: 'Amlodipine' }, dosageInstruction: [{ text: '5 mg par jour' }], subject: { reference: 'Patient/p' }, authoredOn: '2024-01-01' }),
    entry({ resourceType: 'DocumentReference', id: 'd1', status: 'current', date: '2026-11-01T10:00:00Z', description: 'Compte rendu', text: { div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Vu.</p></div>' }, subject: { reference: 'Patient/p' } }),
    { ref: 'Observation/broken', resourceType: 'Observation', syncState: 'synced', resource: null },
  ]);

  it('names the patient and lists the active allergies first, with their reaction', () => {
    expect(chart.identity?.fullName).toBe('DUPONT Hélène');
    expect(chart.allergies.map((a) => [a.substance, a.criticality, a.reactions.join()])).toEqual([['Pénicilline', 'high', 'Urticaire'], ['Latex', null, '']]);
  });

  it('counts pending edits and entries that failed their integrity check', () => {
    expect(chart.pending).toBe(1);
    expect(chart.unreadable).toBe(1);
  });

  it('reads problems, medications with their dosage, and documents with their narrative', () => {
    expect(chart.problems.map((p) => p.text)).toEqual(['Hypertension artérielle']);
    expect(chart.medications.map((m) => [m.name, m.dosage, m.kind])).toEqual([['Amlodipine', '5 mg par jour', 'order']]);
    expect(chart.documents[0]?.sections[0]?.xhtml).toContain('<p>Vu.</p>');
  });

  it('puts every dated item on the timeline, newest first', () => {
    expect(chart.timeline.map((t) => t.ref)).toEqual(['DocumentReference/d1', 'MedicationRequest/m1', 'AllergyIntolerance/old', 'Condition/c1']);
  });
});

describe('an imaging study in the chart', () => {
  const study = (id: string, identifier: Record<string, unknown>[]) =>
    entry({ resourceType: 'ImagingStudy', id, status: 'available', identifier, subject: { reference: 'Patient/p' }, started: '2026-10-01T09:00:00Z', numberOfSeries: 2, numberOfInstances: 120, procedureCode: [{ text: 'Scanner thoracique' }], series: [{ uid: '1.2.3.1', modality: { code: 'CT' }, bodySite: { display: 'Thorax' } }] });
  const chart = buildChart([
    entry({ resourceType: 'Patient', id: 'p', name: [{ family: 'Dupont' }] }),
    study('s1', [{ system: 'urn:dicom:uid', value: 'urn:oid:1.2.840.1.1' }]),
    study('s2', [{ system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.840.1.2' }]),
    // The report points to the study by an absolute, versioned reference.
    entry({ resourceType: 'DiagnosticReport', id: 'r0', status: 'entered-in-error', conclusion: 'Erreur.', imagingStudy: [{ reference: 'ImagingStudy/s1' }], subject: { reference: 'Patient/p' } }),
    entry({ resourceType: 'DiagnosticReport', id: 'r2', status: 'preliminary', conclusion: 'Lecture préliminaire : normal.', imagingStudy: [{ reference: 'ImagingStudy/s2' }], subject: { reference: 'Patient/p' } }),
    entry({ resourceType: 'DiagnosticReport', id: 'r1', status: 'final', code: { text: 'Compte rendu de scanner' }, conclusion: 'Pas d’embolie pulmonaire.', imagingStudy: [{ reference: 'https://hie.example.org/fhir/ImagingStudy/s1/_history/2' }], subject: { reference: 'Patient/p' } }),
  ]);

  it('shows modality, site, series and images, and the report that points to it', () => {
    const s1 = chart.imaging.find((i) => i.ref === 'ImagingStudy/s1');
    expect(s1?.facts).toEqual(expect.arrayContaining([{ label: 'chart.fact.modality', value: 'CT' }, { label: 'chart.fact.bodySite', value: 'Thorax' }, { label: 'chart.fact.series', value: '2 / 120' }, { label: 'chart.fact.imagingReport', value: 'Pas d’embolie pulmonaire.' }]));
    expect(s1?.facts.some((f) => 'value' in f && f.value === 'Erreur.')).toBe(false);
    const s2 = chart.imaging.find((i) => i.ref === 'ImagingStudy/s2');
    expect(s2?.facts.some((f) => f.label === 'chart.fact.imagingReport')).toBe(false);
    expect(s2?.facts).toContainEqual({ label: 'chart.fact.imagingReportNotFinal', value: 'Lecture préliminaire : normal.' });
  });

  it('finds the study UID as R4 writes it and as Synthea does, for the viewer link', () => {
    expect(chart.imaging.map((i) => studyUidOf(i.resource)).sort()).toEqual(['urn:oid:1.2.840.1.1', 'urn:oid:1.2.840.1.2']);
    expect(studyUidOf({ resourceType: 'ImagingStudy', identifier: [{ system: 'urn:ietf:rfc:3986', value: 'https://example.org/x' }] })).toBeNull();
    const link = imagingViewerLink('https://pacs.example.org/viewer?StudyInstanceUIDs={studyUid}', studyUidOf(chart.imaging[0]!.resource), ['https://pacs.example.org']);
    expect(link).toMatch(/^https:\/\/pacs\.example\.org\/viewer\?StudyInstanceUIDs=1\.2\.840\.1\.[12]$/);
  });
});

describe('where records came from (Provenance)', () => {
  const provenance = {
    resourceType: 'Provenance',
    id: 'prov1',
    extension: [{ url: 'http://hl7.org/fhir/5.0/StructureDefinition/extension-Provenance.patient', valueReference: { reference: 'Patient/p' } }],
    target: [{ reference: 'Immunization/i1' }, { reference: 'https://hie.example.org/fhir/Condition/c9/_history/2' }, { reference: 'https://elsewhere.example.org/fhir/Observation/o5' }],
    recorded: '2026-12-04T10:00:00Z',
    agent: [
      { type: { coding: [{ code: 'author' }] }, who: { display: 'CHU de Limoges' } },
      { type: { coding: [{ code: 'enterer' }] }, who: { reference: 'Practitioner/dr-1', display: 'Dr Claire Martin' } },
    ],
    entity: [{ role: 'source', what: { display: 'sortie.json · FHIR Bundle (document)', identifier: { system: 'https://relais.example.org/fhir/sid/file-sha256', value: 'ab' } } }],
  };
  const chart = buildChart([
    entry({ resourceType: 'Patient', id: 'p', name: [{ family: 'Dupont' }], birthDate: '1950-03-12' }),
    entry({ resourceType: 'Immunization', id: 'i1', status: 'completed', vaccineCode: { text: 'Grippe' }, patient: { reference: 'Patient/p' }, occurrenceDateTime: '2026-10-15' }),
    entry(provenance, 'pending'),
  ], { fhirBase: 'https://hie.example.org/fhir' });
  it('lists each import under documents, with its source, who entered it, the document’s author and when', () => {
    expect(chart.homes.get('Provenance/prov1')).toBe('documents');
    expect(chart.imports).toEqual([expect.objectContaining({ ref: 'Provenance/prov1', kind: 'import', source: 'sortie.json · FHIR Bundle (document)', who: 'Dr Claire Martin', author: 'CHU de Limoges', syncState: 'pending' })]);
    expect(chart.imports[0]?.when?.text).toBe('2026-12-04T10:00:00Z');
  });
  it('ties every record it names to it, whatever the form of the reference', () => {
    expect(chart.origins.get('Immunization/i1')?.ref).toBe('Provenance/prov1');
    expect(chart.origins.get('Condition/c9')?.ref).toBe('Provenance/prov1');
    expect(chart.origins.has('Patient/p')).toBe(false);
    // Another server's Observation/o5 is not this chart's.
    expect(chart.origins.has('Observation/o5')).toBe(false);
  });
});
