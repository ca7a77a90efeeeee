import { describe, expect, it } from 'vitest';
import { allergyResource, base64Utf8, clinicalNote, medicationOrder, noteNarrative, problemResource } from '../../../../../renderer/features/charting/record-builders';

const context = { patient: 'Patient/p', practitioner: 'Practitioner/d', now: '2026-11-28T09:30:00.000Z', newId: () => '6f1c2b9e-8d3a-4c1e-9f0a-1b2c3d4e5f60' };

describe('what the charting forms write', () => {
  it('a note keeps its text byte for byte (UTF-8 base64) and its narrative escapes what was typed', () => {
    const text = 'Vu à domicile <b>sans</b> fièvre.\n\nRevoir dans 8 jours & rappeler.';
    const note = clinicalNote({ title: 'Note', text, language: 'fr-FR' }, context);
    const attachment = (note['content'] as { attachment: { data: string; contentType: string } }[])[0]?.attachment;
    expect(Buffer.from(attachment?.data ?? '', 'base64').toString('utf8')).toBe(text);
    expect(attachment?.contentType).toBe('text/plain; charset=utf-8');
    expect(note).toMatchObject({ resourceType: 'DocumentReference', id: context.newId(), status: 'current', subject: { reference: 'Patient/p' }, author: [{ reference: 'Practitioner/d' }] });
    const div = (note['text'] as { div: string }).div;
    expect(div).toContain('&lt;b&gt;sans&lt;/b&gt;');
    expect(div).toContain('8 jours &amp; rappeler');
    expect(div.startsWith('<div xmlns="http://www.w3.org/1999/xhtml">')).toBe(true);
    expect(noteNarrative('T', 'a\nb')).toContain('a<br/>b');
    expect(base64Utf8('é')).toBe('w6k=');
  });

  it('an allergy update changes only the form’s fields and keeps the rest of the record', () => {
    const existing = { resourceType: 'AllergyIntolerance', id: 'a1', meta: { versionId: '3' }, patient: { reference: 'Patient/p' }, note: [{ text: 'test cutané' }], criticality: 'high', code: { text: 'Pénicilline' } };
    const updated = allergyResource({ substance: 'Pénicilline', codings: [], category: 'medication', criticality: 'low', clinicalStatus: 'active', reaction: '', severity: null }, context, existing);
    expect(updated).toMatchObject({ id: 'a1', meta: { versionId: '3' }, note: [{ text: 'test cutané' }], criticality: 'low' });
    expect(updated['reaction']).toBeUndefined();
  });

  it('a new allergy is coded when the substance is a known one, in either language', () => {
    const codings = [{ system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' }];
    const allergy = allergyResource({ substance: 'Pénicilline', codings, category: 'medication', criticality: 'high', clinicalStatus: 'active', reaction: 'Urticaire', severity: 'severe' }, context);
    expect(allergy).toMatchObject({
      resourceType: 'AllergyIntolerance',
      patient: { reference: 'Patient/p' },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '764146007' }], text: 'Pénicilline' },
      reaction: [{ manifestation: [{ text: 'Urticaire' }], severity: 'severe' }],
      verificationStatus: { coding: [{ code: 'confirmed' }] },
    });
  });

  it('a problem is an active, confirmed problem-list Condition; an order an active MedicationRequest', () => {
    expect(problemResource({ text: 'Lombalgie', coding: null, onset: '2026-11-20', note: '' }, context)).toMatchObject({
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ code: 'active' }] },
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      onsetDateTime: '2026-11-20',
      subject: { reference: 'Patient/p' },
    });
    const dosage = { text: '1 g trois fois par jour', timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } } };
    expect(medicationOrder({ name: 'Amoxicilline', codings: [], dosage, note: '' }, context)).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: 'Amoxicilline' },
      dosageInstruction: [dosage],
      requester: { reference: 'Practitioner/d' },
    });
  });
});
