/**
 * The CapabilityStatement at `/fhir/metadata`: what the sandbox really does, no more. Composite
 * and special search parameters are left out (the in-memory engine cannot evaluate them), as are
 * Binary (no raw content) and multi-type system search.
 */
import { getSearchParameters, isResourceType } from '@medplum/core';
import type {
  CapabilityStatement, CapabilityStatementRestResource, CapabilityStatementRestResourceSearchParam, ResourceType,
} from '@medplum/fhirtypes';
import { resourceTypeNames } from './definitions.ts';

export type CapabilityUrls = Readonly<{ base: string; authorize: string; token: string; revoke: string; smartConfiguration: string }>;

const unsupportedTypes = new Set(['Binary', 'Parameters', 'OperationOutcome']);
const commonParameters = ['_id', '_lastUpdated', '_tag', '_profile', '_security', '_source'];

let servedTypes: ResourceType[] | undefined;

export function servedResourceTypes(): readonly ResourceType[] {
  servedTypes ??= resourceTypeNames().filter((t): t is ResourceType => isResourceType(t) && !unsupportedTypes.has(t));
  return servedTypes;
}

function searchParamsOf(resourceType: string): CapabilityStatementRestResourceSearchParam[] {
  const parameters = getSearchParameters(resourceType) ?? {};
  return Object.entries(parameters)
    .filter(([code, p]) => !code.startsWith('_') && p.type !== 'composite' && p.type !== 'special')
    .map(([code, p]) => ({ name: code, ...(p.url ? { definition: p.url } : {}), type: p.type }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function resourceEntry(type: ResourceType): CapabilityStatementRestResource {
  return {
    type,
    versioning: 'versioned',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalRead: 'not-match',
    conditionalUpdate: true,
    conditionalDelete: 'single',
    referencePolicy: ['literal', 'local'],
    interaction: ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type']
      .map((code) => ({ code: code as NonNullable<CapabilityStatementRestResource['interaction']>[number]['code'] })),
    searchInclude: ['*'],
    searchRevInclude: ['*'],
    searchParam: searchParamsOf(type),
    ...(type === 'Patient'
      ? { operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }] }
      : {}),
  };
}

export function capabilityStatement(urls: CapabilityUrls, startedAt: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: startedAt,
    publisher: 'Relais',
    kind: 'instance',
    software: { name: 'Relais HIE sandbox (Medplum fhir-router 5.2.13, MemoryRepository)', version: '0.1.0' },
    implementation: { description: 'Relais HIE sandbox — synthetic data only, for demos and tests', url: urls.base },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    patchFormat: ['application/json-patch+json'],
    rest: [{
      mode: 'server',
      documentation: [
        'Searches page with `_count` (default 50, at most 1000) and opaque `next` links (`_cursor`), ordered by',
        '(_lastUpdated, id) unless `_sort` is given; `_summary=count` and `_total=accurate` are supported.',
        'Unknown search parameters are rejected with 400. Every request needs a Bearer token from the',
        'SMART authorization server; a practitioner sees the patients of their panel (Group, CareTeam) only.',
        'Transactions are atomic and take at most 50 update (PUT) entries each (the engine\'s limit); creates (POST) are not limited.',
      ].join(' '),
      security: {
        // CORS for loopback origins only (the web host used in development and end-to-end tests).
        cors: true,
        service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
        description: `OAuth 2.0 authorization code with PKCE (S256); see ${urls.smartConfiguration}`,
        extension: [{
          url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
          extension: [
            { url: 'authorize', valueUri: urls.authorize },
            { url: 'token', valueUri: urls.token },
            { url: 'revoke', valueUri: urls.revoke },
          ],
        }],
      },
      resource: servedResourceTypes().map(resourceEntry),
      interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'history-system' }],
      searchParam: commonParameters.map((name) => ({
        name,
        type: name === '_lastUpdated' ? 'date' : name === '_id' ? 'token' : name === '_source' || name === '_profile' ? 'uri' : 'token',
        definition: `http://hl7.org/fhir/SearchParameter/Resource-${name.slice(1)}`,
      })),
    }],
  };
}
