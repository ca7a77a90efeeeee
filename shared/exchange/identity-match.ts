import { displayText, records, stringOf, type Record_ } from '../fhir/fhir-text';
import { foldForSearch } from '../text-fold';

/**
 * Is this the same patient? Two Patient resources compared trait by trait (identifiers by system,
 * name, birth date, sex), as the document import shows them side by side and as several sources
 * list what differs between linked patients (sources.ts). Pure and light: the chart page uses it
 * without loading any document parser.
 */
export type Trait = 'identifier' | 'name' | 'birthDate' | 'sex';
export type IdentityRow = Readonly<{ trait: Trait; system: string | null; file: string | null; chart: string | null; verdict: 'same' | 'different' | 'absent' }>;
/** `readings`: home measurements, which name no patient; the clinician confirms they are this patient's. */
export type MatchVerdict = 'match' | 'confirm' | 'mismatch' | 'unverifiable' | 'readings';



const fold = (text: string): string => foldForSearch(text).replace(/\s+/g, ' ').trim();
const technicalSystems = new Set(['https://github.com/synthetichealth/synthea', 'urn:ietf:rfc:3986']);

function identifiersOf(patient: Record_): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const identifier of records(patient['identifier'])) {
    const system = stringOf(identifier['system']);
    const value = stringOf(identifier['value']);
    if (system === null || value === null || identifier['use'] === 'old' || technicalSystems.has(system)) continue;
    found.set(system, new Set([...(found.get(system) ?? []), value.trim()]));
  }
  return found;
}

export function nameOf(patient: Record_): { family: string; given: string[]; text: string } | null {
  const names = records(patient['name']);
  const name = names.find((n) => n['use'] === 'official') ?? names.find((n) => n['use'] === 'usual') ?? names[0];
  if (name === undefined) return null;
  const family = displayText(name['family'], 80);
  const given = (Array.isArray(name['given']) ? name['given'] : []).filter((g): g is string => typeof g === 'string').map((g) => displayText(g, 60));
  if (family === '') return null;
  return { family, given, text: [family.toLocaleUpperCase('fr'), ...given].join(' ') };
}

export function compareIdentity(file: Record_, chart: Record_): { verdict: MatchVerdict; rows: IdentityRow[] } {
  const rows: IdentityRow[] = [];
  const fileIds = identifiersOf(file);
  const chartIds = identifiersOf(chart);
  let sharedSame = false;
  for (const system of new Set([...fileIds.keys(), ...chartIds.keys()])) {
    const f = fileIds.get(system);
    const c = chartIds.get(system);
    const same = f !== undefined && c !== undefined && [...f].some((v) => c.has(v));
    if (same) sharedSame = true;
    rows.push({ trait: 'identifier', system, file: f === undefined ? null : [...f].join(', '), chart: c === undefined ? null : [...c].join(', '), verdict: f === undefined || c === undefined ? 'absent' : same ? 'same' : 'different' });
  }
  const fn = nameOf(file);
  const cn = nameOf(chart);
  const sameName = fn !== null && cn !== null && fold(fn.family) === fold(cn.family) && (fn.given.length === 0 || cn.given.length === 0 || fn.given.some((g) => cn.given.some((h) => fold(g) === fold(h))));
  rows.push({ trait: 'name', system: null, file: fn?.text ?? null, chart: cn?.text ?? null, verdict: fn === null || cn === null ? 'absent' : sameName ? 'same' : 'different' });
  const fb = stringOf(file['birthDate']);
  const cb = stringOf(chart['birthDate']);
  rows.push({ trait: 'birthDate', system: null, file: fb, chart: cb, verdict: fb === null || cb === null ? 'absent' : fb === cb ? 'same' : 'different' });
  const known = (g: unknown): string | null => (g === 'female' || g === 'male' || g === 'other' ? g : null);
  const fs = known(file['gender']);
  const cs = known(chart['gender']);
  rows.push({ trait: 'sex', system: null, file: fs, chart: cs, verdict: fs === null || cs === null ? 'absent' : fs === cs ? 'same' : 'different' });

  if (rows.some((r) => r.verdict === 'different')) return { verdict: 'mismatch', rows };
  if (fn === null || fb === null || cn === null || cb === null) return { verdict: 'unverifiable', rows };
  return { verdict: sharedSame ? 'match' : 'confirm', rows };
}
