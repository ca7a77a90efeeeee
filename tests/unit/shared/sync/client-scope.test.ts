import { describe, expect, it } from 'vitest';
import { allergyResource, clinicalNote, medicationOrder, problemResource } from '../../../../renderer/features/charting/record-builders';
import { detectedIssueFor } from '../../../../shared/medication/detected-issue';
import { vitalObservations } from '../../../../renderer/features/charting/vital-signs';
import { clientResourceScopes, clientScope, readTypes, writtenTypes } from '../../../../shared/sync/client-scope';
import { typesToSync } from '../../../../shared/sync/resource-types';

const labels = { bloodPressure: 'PA', systolic: 's', diastolic: 'd', heartRate: 'FC', temperature: 'T', oxygenSaturation: 'SpO2', weight: 'Poids', glucose: 'Glycémie' };
const context = { patient: 'Patient/p', practitioner: 'Practitioner/d', now: '2026-12-03T09:30:00.000Z', newId: () => '6f1c2b9e-8d3a-4c1e-9f0a-1b2c3d4e5f60' };

describe('the SMART scopes Relais asks for', () => {
  it('grant no delete anywhere, no write on every type, and only create on the audit trail', () => {
    const resourceScopes = clientScope.split(' ').filter((s) => s.startsWith('user/'));
    expect(resourceScopes).toEqual([...clientResourceScopes]);
    for (const scope of resourceScopes) {
      const [type, permissions] = scope.slice('user/'.length).split('.') as [string, string];
      expect(permissions, scope).not.toMatch(/d|\*|write|read/);
      expect(type, scope).not.toBe('*');
      if (type === 'AuditEvent') expect(permissions, scope).toBe('c');
    }
    expect(new Set(resourceScopes.map((s) => s.split('.')[0])).size).toBe(resourceScopes.length);
    expect(clientScope.split(' ')).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'offline_access']));
  });

  it('read exactly the types the sync may pull and the scope reads: no audit or billing data; Provenance read and written (imports)', () => {
    const readable = clientResourceScopes.filter((s) => /\.c?rs$|\.crus$/.test(s)).map((s) => s.slice('user/'.length).split('.')[0]);
    expect(readable).toEqual([...readTypes]);
    expect(new Set(readable)).toEqual(new Set([...typesToSync(null), 'Group', 'CareTeam', 'Consent']));
    for (const type of ['AuditEvent', 'Claim', 'Coverage', 'Account', 'Person']) expect(readable, type).not.toContain(type);
    expect(clientResourceScopes).toContain('user/Provenance.crus');
  });

  it('cover every type the charting forms write', () => {
    const written = [
      clinicalNote({ title: 'Note', text: 'x', language: 'fr-FR' }, context),
      allergyResource({ substance: 'Pénicilline', codings: [], category: 'medication', criticality: 'high', clinicalStatus: 'active', reaction: '', severity: null }, context),
      problemResource({ text: 'Lombalgie', coding: null, onset: '2026-11-20', note: '' }, context),
      medicationOrder({ name: 'Amoxicilline', codings: [], dosage: { text: '1 g trois fois par jour' }, note: '' }, context),
      detectedIssueFor(
        { kind: 'duplication', severity: 'caution', atcGroup: 'J01CA', first: { key: 'MedicationRequest/a', label: 'a', ingredients: [], origin: 'new' }, second: { key: 'MedicationRequest/b', label: 'b', ingredients: [], origin: 'current' } },
        { reason: 'voulu', language: 'fr' },
        { id: 'd', patient: context.patient, practitioner: context.practitioner, now: context.now },
      ),
      ...vitalObservations([{ field: 'heartRate', text: '72', unit: '/min' }], { ...context, effective: context.now, labels }),
    ];
    expect(written.length).toBeGreaterThanOrEqual(6);
    for (const resource of written) expect(writtenTypes, resource.resourceType).toContain(resource.resourceType);
  });
});
