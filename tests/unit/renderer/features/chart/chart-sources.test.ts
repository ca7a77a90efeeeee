import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../../../shared/fhir/resource';
import type { ReplicaEntry } from '../../../../../renderer/db/resource-docs';
import { mergeSourceEntries, sourceOfRef, sourcedRef } from '../../../../../renderer/features/chart/chart-sources';

const LOINC = 'http://loinc.org';
const glucose = (id: string, when: string, value: number): FhirResource => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { coding: [{ system: LOINC, code: '2339-0', display: 'Glucose' }] },
  subject: { reference: 'Patient/p' },
  effectiveDateTime: when,
  valueQuantity: { value, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' },
});
const entry = (resource: FhirResource, syncState: ReplicaEntry['syncState'] = 'synced'): ReplicaEntry => ({ ref: `${resource.resourceType}/${String(resource.id)}`, resourceType: resource.resourceType, syncState, resource });
const damaged = (ref: string): ReplicaEntry => ({ ref, resourceType: ref.split('/')[0]!, syncState: 'synced', resource: null });
const patient = (id: string): FhirResource => ({ resourceType: 'Patient', id, name: [{ family: 'Dupont' }] });

describe('one chart from several sources', () => {
  it('shows a fact both sources hold once, from the primary, naming the other; a fact only another holds under a ref of its own', () => {
    const chart = mergeSourceEntries(
      [entry(patient('p')), entry(glucose('g1', '2026-11-02T08:00:00Z', 98))],
      [{ source: 'ch-b', entries: [entry(patient('77')), entry(glucose('900', '2026-11-02T08:00:00Z', 98)), entry(glucose('901', '2026-10-01T08:00:00Z', 110))] }],
    );
    expect(chart.map((e) => [e.ref, e.source, e.alsoIn])).toEqual([
      ['Patient/p', 'primary', []],
      ['Observation/g1', 'primary', ['ch-b']],
      ['ch-b~Observation/901', 'ch-b', []],
    ]);
  });

  it('shows both records of the same thing at the same time with another value, each naming the other', () => {
    const chart = mergeSourceEntries(
      [entry(glucose('g1', '2026-11-02T08:00:00Z', 98))],
      [{ source: 'ch-b', entries: [entry(glucose('900', '2026-11-02T08:00:00Z', 180))] }],
    );
    expect(chart.map((e) => [e.ref, e.disagreesWith])).toEqual([
      ['Observation/g1', [{ source: 'ch-b', ref: 'ch-b~Observation/900' }]],
      ['ch-b~Observation/900', [{ source: 'primary', ref: 'Observation/g1' }]],
    ]);
  });

  it('keeps two sources’ records that share an id apart, and leaves nothing stored out: damaged entries of every source, the primary’s pending edit as it is', () => {
    const chart = mergeSourceEntries(
      [entry(glucose('same', '2026-11-02T08:00:00Z', 98), 'pending'), damaged('Condition/c1')],
      [{ source: 'ch-b', entries: [entry(glucose('same', '2026-09-02T08:00:00Z', 120)), damaged('Condition/c1')] }],
    );
    expect(chart.map((e) => [e.ref, e.source, e.syncState, e.resource === null])).toEqual([
      ['Observation/same', 'primary', 'pending', false],
      ['Condition/c1', 'primary', 'synced', true],
      ['ch-b~Observation/same', 'ch-b', 'synced', false],
      ['ch-b~Condition/c1', 'ch-b', 'synced', true],
    ]);
  });

  it('names a merged ref’s source and its ref there', () => {
    expect(sourceOfRef(sourcedRef('ch-b', 'Observation/1'))).toEqual({ source: 'ch-b', ref: 'Observation/1' });
    expect(sourceOfRef(sourcedRef('primary', 'Observation/1'))).toEqual({ source: 'primary', ref: 'Observation/1' });
  });
});
