import type { FhirResource } from '../../../shared/fhir/resource';
import { identifierKeys, linkPatients, type SourceRecord } from '../../../shared/exchange/sources';
import type { Record_ } from '../../../shared/fhir/fhir-text';
import { primarySourceId } from '../../../shared/exchange/source-policy';
import type { RecordReader } from '../../app/workspace';
import type { SourceEntries } from './chart-sources';

/**
 * (The page thread; it reads the other sources' data workers through their workspaces.) One chart's records held by the other sources (issue 15, point 1): in each open source, the
 * patient linked to this chart's patient by a policy-named identifier (linkPatients, never the
 * name), and that patient's entries. What the clinician must know about the link is a note: joined
 * (and by what), joined but the identity differs, not joined because the identifiers disagree or
 * the source holds the patient twice, or the source could not be read.
 */
export type SourceNote = Readonly<
  | { source: string; kind: 'linked'; by: string; fields: readonly string[] }
  | { source: string; kind: 'disagree'; system: string | null }
  | { source: string; kind: 'several'; by: string }
  | { source: string; kind: 'failed' }
>;

export type OtherSourceReader = Readonly<{ id: string; replica: Pick<RecordReader, 'patientsByIdentifier' | 'resourcesOfPatient'> }>;

/** Rounds of the lookup below before it stops: each round adds a patient, so this is a guard, not a limit met in practice. */
const maxRounds = 20;

/**
 * The source's patients that linkPatients could join to `patient`: those sharing a named identifier
 * with it, with the patients sharing one with those, and so on (the link is transitive). Asked of
 * the source's data worker by identifier, so its whole Patient list neither crosses the port nor
 * is read on the page at each chart open.
 */
async function candidatesAt(source: OtherSourceReader, patient: FhirResource, systems: readonly string[]): Promise<FhirResource[]> {
  const found = new Map<string, FhirResource>();
  const asked = new Set<string>();
  let next = identifierKeys(patient as Record_, systems);
  for (let round = 0; next.length > 0; round += 1) {
    if (round === maxRounds) throw new Error('the link lookup did not settle');
    for (const key of next) asked.add(key);
    const fresh = (await source.replica.patientsByIdentifier(systems, next)).flatMap((entry) => (entry.resource === null || found.has(entry.ref) ? [] : [[entry.ref, entry.resource] as const]));
    for (const [ref, resource] of fresh) found.set(ref, resource);
    next = [...new Set(fresh.flatMap(([, resource]) => identifierKeys(resource as Record_, systems)))].filter((key) => !asked.has(key));
  }
  return [...found.values()];
}

const memberOf = (records: readonly SourceRecord[], source: string): SourceRecord | undefined => records.find((record) => record.source === source);

export async function recordsFromOtherSources(
  patient: FhirResource | null,
  sources: readonly OtherSourceReader[],
  systems: readonly string[],
): Promise<Readonly<{ entries: SourceEntries[]; notes: SourceNote[] }>> {
  const entries: SourceEntries[] = [];
  const notes: SourceNote[] = [];
  if (patient === null) return { entries, notes };
  for (const source of sources) {
    try {
      const theirs = (await candidatesAt(source, patient, systems)).map((resource) => ({ source: source.id, resource }));
      const result = linkPatients([{ source: primarySourceId, resource: patient }, ...theirs], systems);
      const ours = (records: readonly SourceRecord[]): boolean => records.some((record) => record.source === primarySourceId && record.resource === patient);
      const problem = result.problems.find((p) => ours(p.patients));
      if (problem !== undefined) {
        notes.push(problem.kind === 'disagree' ? { source: source.id, kind: 'disagree', system: problem.system } : { source: source.id, kind: 'several', by: problem.by });
        continue;
      }
      const link = result.links.find((l) => ours(l.members));
      const member = link === undefined ? undefined : memberOf(link.members, source.id);
      if (link === undefined || member === undefined || member.resource.id === undefined) continue;
      const differences = link.differences.find((d) => d.source === source.id)?.rows ?? [];
      notes.push({ source: source.id, kind: 'linked', by: link.by, fields: differences.filter((row) => row.verdict === 'different').map((row) => row.trait) });
      entries.push({ source: source.id, entries: await source.replica.resourcesOfPatient(`Patient/${member.resource.id}`) });
    } catch {
      notes.push({ source: source.id, kind: 'failed' });
    }
  }
  return { entries, notes };
}
