import { describe, expect, it } from 'vitest';
import { careColleagues } from '../../../../../renderer/features/coordination/care-colleagues';
import { nextSteps } from '../../../../../renderer/features/coordination/MyDay';

describe('who a message or referral about a patient may go to', () => {
  it('the members of the patient’s active care teams and their general practitioners, never me, each once', () => {
    const me = 'Practitioner/me';
    const found = careColleagues([
      { resourceType: 'Patient', id: 'p1', generalPractitioner: [{ reference: 'Practitioner/gp' }, { reference: 'Organization/o' }] },
      { resourceType: 'CareTeam', id: 't1', status: 'active', participant: [{ member: { reference: me } }, { member: { reference: 'https://hie.example/fhir/Practitioner/cardio' } }, { member: { reference: 'Practitioner/gp' } }] },
      { resourceType: 'CareTeam', id: 't2', status: 'inactive', participant: [{ member: { reference: 'Practitioner/former' } }] },
      { resourceType: 'CareTeam', id: 't3', participant: [{ member: { reference: 'RelatedPerson/daughter' } }] },
    ], me, 'https://hie.example/fhir');
    expect(found).toEqual(['Practitioner/cardio', 'Practitioner/gp']);
    // A message may also go to the patient's active care teams (after the people).
    expect(careColleagues([{ resourceType: 'CareTeam', id: 't1', status: 'active', participant: [{ member: { reference: 'Practitioner/gp' } }] }, { resourceType: 'CareTeam', id: 't2', status: 'inactive' }], me, undefined, true)).toEqual(['Practitioner/gp', 'CareTeam/t1']);
  });
});

describe('what the clinician may mark on an appointment', () => {
  it('arrived, seen or did not attend while booked; seen or did not attend once arrived; nothing once closed', () => {
    expect(nextSteps('booked')).toEqual(['arrived', 'fulfilled', 'noshow']);
    expect(nextSteps('arrived')).toEqual(['fulfilled', 'noshow']);
    expect(nextSteps('fulfilled')).toEqual([]);
    expect(nextSteps('cancelled')).toEqual([]);
  });
});
