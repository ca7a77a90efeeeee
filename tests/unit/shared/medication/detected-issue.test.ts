import { describe, expect, it } from 'vitest';
import { buildKnowledgeBase, checkOrder } from '../../../../shared/medication/checks';
import { detectedIssueFor } from '../../../../shared/medication/detected-issue';
import { buildDictionary } from '../../../../shared/medication/dictionary';
import { testDictionary, testKnowledge } from './fixture';

const base = buildKnowledgeBase(buildDictionary(testDictionary), testKnowledge);
const context = { id: 'di-1', patient: 'Patient/p1', practitioner: 'Practitioner/dr', now: '2026-12-03T10:00:00Z' };

describe('detectedIssueFor', () => {
  it('records an overridden interaction with its implicated orders, severity, author and reason', () => {
    const [alert] = checkOrder(base, { key: 'MedicationRequest/new-1', label: 'Phénelzine', ingredients: ['phenelzine'], origin: 'new' }, [{ key: 'MedicationRequest/old-2', label: 'Sertraline', ingredients: ['sertraline'], origin: 'current' }], []);
    expect(detectedIssueFor(alert!, { reason: '  Relais hospitalier, surveillance  ', language: 'fr' }, context)).toEqual({
      resourceType: 'DetectedIssue',
      id: 'di-1',
      status: 'final',
      code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'DRG', display: 'Drug Interaction Alert' }] },
      severity: 'high',
      patient: { reference: 'Patient/p1' },
      identifiedDateTime: '2026-12-03T10:00:00Z',
      author: { reference: 'Practitioner/dr' },
      implicated: [{ reference: 'MedicationRequest/new-1' }, { reference: 'MedicationRequest/old-2' }],
      detail: 'Phénelzine + Sertraline — Syndrome sérotoninergique.',
      mitigation: [
        {
          action: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: '1', display: 'Therapy Appropriate' }], text: 'Relais hospitalier, surveillance' },
          date: '2026-12-03T10:00:00Z',
          author: { reference: 'Practitioner/dr' },
        },
      ],
    });
  });

  it('codes an allergy alert ALGY and implicates the allergy record', () => {
    const [alert] = checkOrder(base, { key: 'MedicationRequest/new-1', label: 'Amoxicillin', ingredients: ['amoxicillin'], origin: 'new' }, [], [{ key: 'AllergyIntolerance/a9', label: 'Penicillin', ingredients: [], groups: ['penicillins'] }]);
    const issue = detectedIssueFor(alert!, { reason: 'Desensitised', language: 'en' }, context);
    expect(issue.code?.coding?.[0]?.code).toBe('ALGY');
    expect(issue.implicated).toEqual([{ reference: 'MedicationRequest/new-1' }, { reference: 'AllergyIntolerance/a9' }]);
    expect(issue.detail).toContain('Amoxicillin — allergy: Penicillin');
  });
});
