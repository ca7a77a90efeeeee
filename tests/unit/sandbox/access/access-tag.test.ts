import { describe, expect, it } from 'vitest';
import { accessTagOf } from '../../../../sandbox/access/access-tag.ts';
import { canSee, canStore, type Principal } from '../../../../sandbox/access/principal.ts';

const doctor: Principal = { kind: 'practitioner', practitionerId: 'dr1', patients: new Set(['p1']), scopes: [] };

describe('access tags', () => {
  it('puts a resource in the compartment of every patient it references, wherever the reference is', () => {
    const tag = accessTagOf({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/p1' }, focus: [{ reference: 'https://hie.example/fhir/Patient/p2/_history/3' }] });
    expect(tag.kind).toBe('compartment');
    expect([...tag.patients].sort()).toEqual(['p1', 'p2']);
  });

  it('treats resources without patient references as shared', () => {
    expect(accessTagOf({ resourceType: 'Practitioner', name: [{ family: 'X' }] }).kind).toBe('shared');
    expect(accessTagOf({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Group/g' } }).kind).toBe('shared');
  });

  it('reads panels: Group members for their manager, CareTeam subject for its participants', () => {
    const group = accessTagOf({ resourceType: 'Group', type: 'person', actual: true, managingEntity: { reference: 'Practitioner/dr1' }, member: [{ entity: { reference: 'Patient/p1' } }, { entity: { reference: 'Patient/p9' }, inactive: true }] });
    expect(group).toMatchObject({ kind: 'panel', patients: ['p1'], practitioners: ['dr1'] });
    const team = accessTagOf({ resourceType: 'CareTeam', subject: { reference: 'Patient/p3' }, participant: [{ member: { reference: 'Practitioner/dr2' } }] });
    expect(team).toMatchObject({ kind: 'panel', patients: ['p3'], practitioners: ['dr2'] });
  });

  it('lets a practitioner see their patients’ resources and shared ones, not others’', () => {
    expect(canSee(doctor, accessTagOf({ resourceType: 'Patient', id: 'p1' }), 'Patient')).toBe(true);
    expect(canSee(doctor, accessTagOf({ resourceType: 'Patient', id: 'p2' }), 'Patient')).toBe(false);
    expect(canSee(doctor, accessTagOf({ resourceType: 'Organization', name: 'x' }), 'Organization')).toBe(true);
    const othersGroup = accessTagOf({ resourceType: 'Group', type: 'person', actual: true, managingEntity: { reference: 'Practitioner/dr2' }, member: [{ entity: { reference: 'Patient/p1' } }] });
    expect(canSee(doctor, othersGroup, 'Group')).toBe(false);
  });

  it('refuses to store a resource naming a patient outside the panel, even alongside one inside', () => {
    const mixed = accessTagOf({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/p1' }, focus: [{ reference: 'Patient/p2' }] });
    expect(canSee(doctor, mixed, 'Observation')).toBe(true);
    expect(canStore(doctor, mixed, 'Observation')).toBe(false);
  });

  it('keeps a message or task about no patient to the practitioners it names: seen and stored by them only', () => {
    const message = accessTagOf({ resourceType: 'Communication', status: 'completed', sender: { reference: 'Practitioner/dr2' }, recipient: [{ reference: 'Practitioner/dr1' }] });
    expect(message).toMatchObject({ kind: 'participants', practitioners: ['dr2', 'dr1'] });
    expect(canSee(doctor, message, 'Communication')).toBe(true);
    const stranger: Principal = { kind: 'practitioner', practitionerId: 'dr3', patients: new Set(['p1']), scopes: [] };
    expect(canSee(stranger, message, 'Communication')).toBe(false);
    expect(canStore(stranger, message, 'Communication')).toBe(false);
    const todo = accessTagOf({ resourceType: 'Task', status: 'requested', intent: 'plan', owner: { reference: 'Practitioner/dr1' } });
    expect(canSee(stranger, todo, 'Task')).toBe(false);
    // Other types without a patient stay shared, as before.
    expect(accessTagOf({ resourceType: 'Medication', code: { text: 'x' } }).kind).toBe('shared');
  });
});
