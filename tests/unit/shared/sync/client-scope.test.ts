import { describe, expect, it } from 'vitest';
import { allergyResource, clinicalNote, medicationOrder, problemResource } from '../../../../renderer/features/charting/record-builders';
import { vitalObservations } from '../../../../renderer/features/charting/vital-signs';
import { clientResourceScopes, clientScope, writtenTypes } from '../../../../shared/sync/client-scope';

const labels = { bloodPressure: 'PA', systolic: 's', diastolic: 'd', heartRate: 'FC', temperature: 'T', oxygenSaturation: 'SpO2', weight: 'Poids', glucose: 'Glycémie' };
const context = { patient: 'Patient/p', practitioner: 'Practitioner/d', now: '2026-12-03T09:30:00.000Z', newId: () => '6f1c2b9e-8d3a-4c1e-9f0a-1b2c3d4e5f60' };

describe('the SMART scopes Relais asks for', () => {
  it('grant no delete anywhere, no write on every type, and only create on the audit trail', () => {
    const resourceScopes = clientScope.split(' ').filter((s) => s.startsWith('user/'));
    expect(resourceScopes).toEqual([...clientResourceScopes]);
    for (const scope of resourceScopes) {
      const [type, permissions] = scope.slice('user/'.length).split('.') as [string, string];
      expect(permissions, scope).not.toMatch(/d|\*|write/);
      if (type === '*') expect(permissions, scope).toBe('rs');
      if (type === 'AuditEvent') expect(permissions, scope).toBe('c');
    }
    expect(clientScope.split(' ')).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'offline_access']));
  });

  it('cover every type the charting forms write', () => {
    const written = [
      clinicalNote({ title: 'Note', text: 'x', language: 'fr-FR' }, context),
      allergyResource({ substance: 'Pénicilline', coding: null, category: 'medication', criticality: 'high', clinicalStatus: 'active', reaction: '', severity: null }, context),
      problemResource({ text: 'Lombalgie', coding: null, onset: '2026-11-20', note: '' }, context),
      medicationOrder({ name: 'Amoxicilline', codings: [], dosage: '1 g trois fois par jour', note: '' }, context),
      ...vitalObservations([{ field: 'heartRate', text: '72', unit: '/min' }], { ...context, effective: context.now, labels }),
    ];
    expect(written.length).toBeGreaterThanOrEqual(5);
    for (const resource of written) expect(writtenTypes, resource.resourceType).toContain(resource.resourceType);
  });
});
