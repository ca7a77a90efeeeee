import { defaultWebFhirBase } from '../../../renderer/host/web-defaults.ts';

/**
 * (Node: the test runner and run-all.ts.) The other FHIR source the browser tests' web build names (issue 15, several sources): a second
 * sandbox, twin of the first, on the next port. `npm test` builds the web host with it
 * (tests/tools/run-all.ts); a build made by hand needs the same `VITE_RELAIS_SOURCES`.
 */
export type E2eSource = Readonly<{ id: string; label: string; fhirBase: string }>;

export function e2eSources(env: Readonly<Record<string, string | undefined>> = process.env): E2eSource[] {
  const named = env['VITE_RELAIS_SOURCES'];
  if (named !== undefined && named.trim() !== '') return JSON.parse(named) as E2eSource[];
  const primary = new URL(env['VITE_RELAIS_FHIR_BASE'] ?? defaultWebFhirBase);
  const twin = new URL(primary.href);
  twin.port = String(Number(primary.port) + 1);
  return [{ id: 'ch-sud', label: 'CH Sud', fhirBase: twin.href.replace(/\/+$/, '') }];
}
