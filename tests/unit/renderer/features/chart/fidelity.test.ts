import { describe, expect, it } from 'vitest';
import { buildChart } from '../../../../../renderer/features/chart/chart-model';
import { nonClinicalCompartmentTypes } from '../../../../../shared/fhir/patient-compartment';
import { fixtureCharts, fixtureResources } from './fixture-charts';

/**
 * The chart model against records shaped like other systems' (tests/fixtures/fhir): every resource
 * a patient's replica would hold has a home in the chart, and the awkward shapes read right.
 */
const charts = fixtureCharts();
const chartOf = (family: string) => {
  for (const entries of charts.values()) {
    const patient = entries.find((e) => e.resourceType === 'Patient');
    const names = (patient?.resource?.['name'] as { family?: string }[] | undefined) ?? [];
    if (names.some((n) => n.family === family)) return buildChart(entries);
  }
  throw new Error(`no fixture patient ${family}`);
};

describe('every fixture resource has a place in the chart', () => {
  it('for all six fixture patients, type by type', () => {
    expect(charts.size).toBe(6);
    let total = 0;
    for (const entries of charts.values()) {
      const chart = buildChart(entries);
      const homeless = entries.filter((e) => !nonClinicalCompartmentTypes.has(e.resourceType) || e.resourceType === 'Patient').filter((e) => !chart.homes.has(e.ref));
      expect(homeless.map((e) => e.ref)).toEqual([]);
      total += entries.length;
    }
    expect(total).toBeGreaterThan(1500);
    expect(fixtureResources().length).toBeGreaterThan(total);
  });
});

describe('records as other systems send them', () => {
  it('knows a patient who died, with the date, and never gives an age now', () => {
    const kling = chartOf('Kling921');
    expect(kling.identity?.deceased?.when?.text).toBe('2014-06-18T10:31:50-04:00');
    const whitfield = chartOf('Whitfield');
    expect(whitfield.identity?.deceased).toEqual({ when: null, at: null });
    expect(chartOf('Garcia').identity?.deceased).toBeNull();
  });

  it('shows the identifiers clinicians use first: MRN before SSN, never the generator’s UUID', () => {
    expect(chartOf('Kling921').identity?.identifiers.map((i) => i.label)).toEqual(['MRN', 'Social Security Number', 'Driver\'s License']);
    expect(chartOf('Anderson').identity?.identifiers[0]).toMatchObject({ label: 'IHI', value: '8003608833357361' });
    expect(chartOf('BERNARD').identity?.identifiers.map((i) => i.label)).toEqual(['INS', 'IPP']);
    expect(chartOf('Whitfield').identity?.identifiers[0]).toMatchObject({ label: 'NHS', value: '9449306613' });
  });

  it('shows every observation with a value, whatever its category: height, BMI, RR, pain, scores, smoking, uncategorised labs', () => {
    const kling = chartOf('Kling921');
    const names = new Set(kling.results.map((r) => r.name));
    for (const name of ['Body Height', 'Body mass index (BMI) [Ratio]', 'Respiratory rate', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported', 'Tobacco smoking status', 'Total score [AUDIT-C]', 'Oral temperature']) expect(names).toContain(name);
    expect(kling.vitals.map((v) => v.kind)).toEqual(['bloodPressure', 'heartRate', 'respiratoryRate', 'temperature', 'weight', 'height', 'bmi']);
    const anderson = chartOf('Anderson');
    const viral = anderson.results.filter((r) => r.name.startsWith('HIV 1 RNA'));
    expect(viral.map((r) => r.group)).toEqual(['no-category', 'no-category']);
    expect(viral.find((r) => r.value.kind === 'quantity' && r.value.comparator === '<')).toBeDefined();
    expect(anderson.vitals.map((v) => v.kind)).toEqual(['heartRate', 'respiratoryRate', 'temperature', 'oxygenSaturation']);
    expect(chartOf('BERNARD').vitals.map((v) => v.kind)).toEqual(['temperature', 'weight', 'height', 'headCircumference']);
  });

  it('flags coded positives, interpretations and ranges; keeps comparators out of range checks', () => {
    const anderson = chartOf('Anderson');
    const flag = (start: string) => anderson.results.find((r) => r.name.startsWith(start))?.flag ?? null;
    expect(flag('SARS-CoV-2')).toBe('A');
    expect(flag('Hepatitis C')).toBe('N');
    expect(flag('Potassium')).toBe('H');
    expect(flag('C reactive protein')).toBe('HH');
    expect(flag('CD3+CD4+')).toBe('L');
    expect(flag('Glomerular filtration')).toBeNull();
    expect(anderson.results.find((r) => r.name.startsWith('Bacteria'))?.value).toEqual({ kind: 'absent', reason: 'Culture in progress' });
    expect(chartOf('BERNARD').results.find((r) => r.name.startsWith('Dépistage'))?.flag).toBe('A');
  });

  it('reads components-only blood pressure (LOINC and SNOMED CT) as a trend', () => {
    expect(chartOf('Garcia').vitals.find((v) => v.kind === 'bloodPressure')?.points.map((p) => p.values)).toEqual([[162, 96], [151, 92], [138, 84], [136, 82]]);
    expect(chartOf('Whitfield').vitals.find((v) => v.kind === 'bloodPressure')?.points).toHaveLength(4);
  });

  it('keeps reaction severity: a low-criticality allergy with a severe anaphylaxis is severe', () => {
    const penicillin = chartOf('Kling921').allergies[0];
    expect(penicillin).toMatchObject({ substance: 'Penicillin G', criticality: 'low', severity: 'severe' });
    expect(penicillin?.reactionDetails.map((r) => r.severity)).toEqual(['mild', 'severe']);
  });

  it('separates social findings from clinical problems, and keeps refuted ones apart', () => {
    const kling = chartOf('Kling921');
    const kinds = Object.fromEntries(kling.problems.map((p) => [p.text, p.kind]));
    expect(kinds).toMatchObject({ 'Essential hypertension (disorder)': 'problem', 'Chronic pain (finding)': 'problem', 'Full-time employment (finding)': 'social', 'Received higher education (situation)': 'social', 'Stress (finding)': 'social' });
    const garcia = Object.fromEntries(chartOf('Garcia').problems.map((p) => [p.text, p.kind]));
    expect(garcia).toMatchObject({ Hypertension: 'problem', Asthma: 'refuted', 'Atrial fibrillation': 'refuted', 'Food insecurity (finding)': 'social' });
  });

  it('names medicines from a contained Medication, a referenced one, or the reference display', () => {
    const garcia = chartOf('Garcia');
    expect(garcia.medications.map((m) => m.name)).toContain('amlodipine 5 MG Oral Tablet');
    expect(chartOf('Whitfield').medications.map((m) => m.name)).toContain('Metformin 500mg modified-release tablets');
    expect(chartOf('BERNARD').medications.map((m) => m.kind).sort()).toEqual(['administration', 'dispense']);
  });

  it('gives procedures, immunizations, plans, devices, family history and imaging their places', () => {
    const kling = chartOf('Kling921');
    expect(kling.procedures.map((p) => p.title)).toEqual(['Insertion of endotracheal tube (procedure)', 'Assessment of health and social care needs (procedure)']);
    expect(kling.immunizations[0]?.facts).toContainEqual({ label: 'chart.fact.code', value: 'CVX 140' });
    expect(kling.devices.map((d) => d.title)).toEqual(['Implantable cardiac pacemaker (physical object)']);
    expect(kling.imaging.map((i) => i.title)).toEqual(['Plain chest X-ray (procedure)']);
    expect(kling.carePlans).toHaveLength(1);
    expect(chartOf('Whitfield').familyHistory.map((f) => f.title).sort()).toEqual(['father', 'mother']);
    expect(chartOf('BERNARD').immunizations.flatMap((i) => i.facts.filter((f) => f.label === 'chart.fact.code').map((f) => ('value' in f ? f.value : '')))).toContain('ATC J07CA09');
  });

  it('marks a superseded document with the one that replaces it, and reads reports with their forms', () => {
    const garcia = chartOf('Garcia');
    const first = garcia.documents.find((d) => d.title === 'Discharge summary');
    const second = garcia.documents.find((d) => d.title === 'Discharge summary (amended)');
    expect(first?.status).toBe('superseded');
    expect(first?.replacedBy).toEqual([second?.ref]);
    const xray = garcia.reports.find((r) => r.title === 'XR CHEST PA AND LATERAL');
    expect(xray?.conclusion).toContain('Mild cardiomegaly');
    expect(xray?.content.files.map((f) => f.contentType)).toEqual(['application/pdf']);
    expect(chartOf('Kling921').reports.find((r) => r.title === 'History and physical note')?.content.plainTexts[0]).toContain('sepsis caused by pseudomonas');
  });

  it('lists the types it has no section for under other records, with type, date and words', () => {
    const bernard = chartOf('BERNARD');
    const types = new Set(bernard.others.map((o) => o.resourceType));
    for (const type of ['QuestionnaireResponse', 'RiskAssessment', 'Specimen', 'ClinicalImpression', 'AdverseEvent', 'DetectedIssue', 'List', 'Basic', 'BodyStructure', 'Media', 'Communication']) expect(types).toContain(type);
    expect(bernard.others.find((o) => o.resourceType === 'ClinicalImpression')?.title).toContain('post-vaccinale');
  });

  it('puts a long history of 1,400 items on the timeline, newest first', () => {
    const tanaka = chartOf('Tanaka');
    expect(tanaka.timeline.length).toBeGreaterThan(1300);
    const times = tanaka.timeline.map((e) => e.when.kind === 'instant' ? e.when.ms : 0);
    expect(times.every((t, i) => i === 0 || t <= (times[i - 1] ?? Infinity))).toBe(true);
  });
});

describe('what cannot be read as its type', () => {
  it('goes to other records with its type, and its section counts it', () => {
    const entry = (resource: Record<string, unknown>) => ({ ref: `${String(resource['resourceType'])}/${String(resource['id'])}`, resourceType: String(resource['resourceType']), syncState: 'synced' as const, resource: resource as never });
    const chart = buildChart([
      entry({ resourceType: 'Patient', id: 'p', name: [{ family: 'X' }] }),
      entry({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'Sodium' }, subject: { reference: 'Patient/p' } }),
      entry({ resourceType: 'Observation', id: 'o2', status: 'final', subject: { reference: 'Patient/p' }, valueQuantity: { value: 3 } }),
      entry({ resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p' }, recordedDate: '2020-01-01' }),
      entry({ resourceType: 'Observation', id: 'o3', status: 'final', code: { text: 'Potassium' }, subject: { reference: 'Patient/p' }, valueQuantity: { value: 4.1 } }),
    ]);
    expect(chart.unreadAs).toEqual({ results: 2, problems: 1 });
    expect(chart.others.map((o) => [o.ref, o.unreadAs])).toEqual([['Condition/c1', 'problems'], ['Observation/o1', 'results'], ['Observation/o2', 'results']]);
    expect(chart.results.map((r) => r.ref)).toEqual(['Observation/o3']);
    expect([...chart.homes.entries()].filter(([, section]) => section === 'other').map(([ref]) => ref).sort()).toEqual(['Condition/c1', 'Observation/o1', 'Observation/o2']);
  });
});
