import { resolveLiteralReference } from '../../../shared/fhir/compartment';
import { displayText, isRecord, records, stringOf } from '../../../shared/fhir/fhir-text';
import { parseWhen, type FhirWhen } from '../../../shared/fhir/fhir-when';
import { fileDigestSystem } from '../../../shared/exchange/import-limits';
import type { Item } from './clinical-items';

/**
 * Where records came from, as a Provenance says (a document file imported into the chart, or any
 * Provenance the HIE holds for the patient): what the source was, who brought it in, when, and
 * which records it names. Shown under documents, and beside each record it names.
 */
export type ImportRecord = Item &
  Readonly<{
    /** A document file imported with Relais (its SHA-256 named as the source), or any other Provenance. */
    kind: 'import' | 'provenance';
    /** The source as the Provenance names it (the file's name, kind, title and date). */
    source: string;
    /** Who entered it (the enterer, else the first agent). */
    who: string;
    /** The document's own author, when the Provenance names one. */
    author: string | null;
    when: FhirWhen | null;
    /** `Type/id` of every record it names. */
    targets: readonly string[];
  }>;

const codeOf = (concept: unknown): string | null => stringOf(records(isRecord(concept) ? concept['coding'] : undefined)[0]?.['code']);
const whoOf = (agent: Readonly<Record<string, unknown>> | undefined): string => {
  const who = isRecord(agent?.['who']) ? agent['who'] : {};
  return displayText(who['display'], 200) || displayText(who['reference'], 200);
};

export function importRecord(item: Item, fhirBase?: string): ImportRecord {
  const p = item.resource;
  const agents = records(p['agent']);
  const enterer = agents.find((a) => codeOf(a['type']) === 'enterer') ?? agents[0];
  const author = agents.find((a) => codeOf(a['type']) === 'author' && a !== enterer);
  const entity = records(p['entity']).find((e) => e['role'] === 'source') ?? records(p['entity'])[0];
  const what = isRecord(entity?.['what']) ? entity['what'] : {};
  const source = displayText(what['display'], 300) || displayText(isRecord(what['identifier']) ? what['identifier']['value'] : what['reference'], 200);
  const identifier = isRecord(what['identifier']) ? what['identifier'] : {};
  return {
    ...item,
    kind: identifier['system'] === fileDigestSystem ? 'import' : 'provenance',
    source,
    who: whoOf(enterer),
    author: author === undefined ? null : whoOf(author) || null,
    when: parseWhen(p['recorded']) ?? parseWhen(isRecord(p['occurredPeriod']) ? p['occurredPeriod']['start'] : p['occurredDateTime']),
    // Relative, versioned, or absolute on this HIE: another server's record is not one of ours.
    targets: records(p['target'])
      .map((t) => stringOf(t['reference']))
      .map((r) => (r === null ? null : resolveLiteralReference(r, fhirBase === undefined ? {} : { fhirBase })))
      .filter((r): r is { type: string; id: string } => r !== null)
      .map((r) => `${r.type}/${r.id}`),
  };
}
