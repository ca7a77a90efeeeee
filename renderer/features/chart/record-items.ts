import { codesIn, conceptText, displayText, firstCode, isRecord, numberOf, records, stringOf, type Record_ } from '../../../shared/fhir/fhir-text';
import { parseWhen, whenOfResource, type FhirWhen } from '../../../shared/fhir/fhir-when';
import { timelineText, type Item } from './clinical-items';

/**
 * Items the chart shows as a title, a status, a date and a few key facts: procedures,
 * immunizations, care plans, goals, care teams, requests and tasks, devices, family history,
 * imaging studies, and any other type (its type, date and text). A fact's label is a catalogue
 * key; its value is text as sent, or a date (formatted by the date rule on screen).
 */
export type Fact = Readonly<{ label: string; value: string } | { label: string; when: FhirWhen }>;
export type RecordItem = Item & Readonly<{ title: string; status: string | null; when: FhirWhen | null; facts: readonly Fact[] }>;

const fact = (label: string, value: string): Fact[] => (value.trim() === '' ? [] : [{ label, value }]);
const dateFact = (label: string, value: unknown): Fact[] => {
  const when = parseWhen(value);
  return when === null ? [] : [{ label, when }];
};
const concepts = (value: unknown): string => records(value).map(conceptText).filter((t) => t !== '').join(', ');
const displays = (value: unknown): string => records(value).map((r) => displayText(r['display'])).filter((t) => t !== '').join(', ');
const quantityWords = (value: unknown): string => {
  if (!isRecord(value)) return '';
  const n = numberOf(value['value']);
  if (n === null) return '';
  return `${n} ${displayText(value['unit'], 20) || (stringOf(value['code']) ?? '')}`.trim();
};
const ageOrRange = (value: unknown): string =>
  quantityWords(value) || (isRecord(value) ? [quantityWords(value['low']), quantityWords(value['high'])].filter((t) => t !== '').join(' – ') : '');

function base(item: Item, title: string, status: string | null, facts: Fact[]): RecordItem {
  return { ...item, title: title || timelineText(item.resource), status, when: whenOfResource(item.resource), facts };
}

export function procedureItem(item: Item): RecordItem {
  const r = item.resource;
  const period = isRecord(r['performedPeriod']) ? r['performedPeriod'] : null;
  return base(item, conceptText(r['code']), stringOf(r['status']), [
    ...(period !== null ? dateFact('chart.fact.ended', period['end']) : []),
    ...fact('chart.fact.performed', displayText(r['performedString']) || ageOrRange(r['performedAge']) || ageOrRange(r['performedRange'])),
    ...fact('chart.fact.bodySite', concepts(r['bodySite'])),
    ...fact('chart.fact.reason', [concepts(r['reasonCode']), displays(r['reasonReference'])].filter((t) => t !== '').join(', ')),
    ...fact('chart.fact.outcome', conceptText(r['outcome'])),
    ...fact('chart.fact.performer', records(r['performer']).map((p) => (isRecord(p['actor']) ? displayText(p['actor']['display']) : '')).filter((t) => t !== '').join(', ')),
    ...fact('chart.fact.statusReason', conceptText(r['statusReason'])),
  ]);
}

const vaccineSystems: Readonly<Record<string, string>> = {
  'http://hl7.org/fhir/sid/cvx': 'CVX',
  'http://www.whocc.no/atc': 'ATC',
  'http://snomed.info/sct': 'SNOMED CT',
  'http://hl7.org/fhir/sid/ndc': 'NDC',
};

export function immunizationItem(item: Item): RecordItem {
  const r = item.resource;
  const codes = records(isRecord(r['vaccineCode']) ? r['vaccineCode']['coding'] : undefined)
    .flatMap((c) => {
      const system = vaccineSystems[stringOf(c['system']) ?? ''];
      const code = stringOf(c['code']);
      return system !== undefined && code !== null ? [`${system} ${code}`] : [];
    })
    .join(', ');
  const doses = records(r['protocolApplied']).map((p) => numberOf(p['doseNumberPositiveInt']) ?? stringOf(p['doseNumberString'])).filter((d) => d !== null);
  return base(item, conceptText(r['vaccineCode']), stringOf(r['status']), [
    ...fact('chart.fact.occurrence', displayText(r['occurrenceString'])),
    ...fact('chart.fact.code', codes),
    ...fact('chart.fact.dose', doses.join(', ')),
    ...fact('chart.fact.lot', displayText(r['lotNumber'])),
    ...fact('chart.fact.site', [conceptText(r['site']), conceptText(r['route'])].filter((t) => t !== '').join(', ')),
    ...fact('chart.fact.amount', quantityWords(r['doseQuantity'])),
    ...fact('chart.fact.statusReason', conceptText(r['statusReason'])),
    ...fact('chart.fact.source', r['primarySource'] === false ? conceptText(r['reportOrigin']) || '—' : ''),
  ]);
}

export function carePlanItem(item: Item): RecordItem {
  const r = item.resource;
  const activities = records(r['activity']).map((a) => {
    const detail = isRecord(a['detail']) ? a['detail'] : {};
    const text = conceptText(detail['code']) || displayText(detail['description']) || (isRecord(a['reference']) ? displayText(a['reference']['display']) : '');
    const status = stringOf(detail['status']);
    return status === null ? text : `${text} (${status})`;
  });
  const categories = records(r['category']).map(conceptText).filter((t) => t !== '' && !/^assess-plan$/i.test(t));
  return base(item, displayText(r['title']) || categories.join(', ') || displayText(r['description']), stringOf(r['status']), [
    ...fact('chart.fact.intent', stringOf(r['intent']) ?? ''),
    ...fact('chart.fact.description', displayText(r['description'], 1000)),
    ...(isRecord(r['period']) ? dateFact('chart.fact.ended', r['period']['end']) : []),
    ...fact('chart.fact.addresses', displays(r['addresses'])),
    ...fact('chart.fact.activities', activities.filter((a) => a !== '').join(' ; ')),
  ]);
}

export function goalItem(item: Item): RecordItem {
  const r = item.resource;
  const targets = records(r['target']).map((t) => [conceptText(t['measure']), quantityWords(t['detailQuantity']) || conceptText(t['detailCodeableConcept']) || displayText(t['detailString'])].filter((x) => x !== '').join(': '));
  return base(item, conceptText(r['description']), stringOf(r['lifecycleStatus']), [
    ...fact('chart.fact.achievement', conceptText(r['achievementStatus'])),
    ...fact('chart.fact.target', targets.filter((t) => t !== '').join(' ; ')),
    ...dateFact('chart.fact.due', records(r['target']).map((t) => t['dueDate']).find((d) => typeof d === 'string')),
  ]);
}

export function careTeamItem(item: Item): RecordItem {
  const r = item.resource;
  const members = records(r['participant']).map((p) => [isRecord(p['member']) ? displayText(p['member']['display']) : '', concepts(p['role'])].filter((t) => t !== '').join(' — '));
  return base(item, displayText(r['name']) || concepts(r['category']), stringOf(r['status']), [...fact('chart.fact.members', members.filter((m) => m !== '').join(' ; '))]);
}

export function requestItem(item: Item): RecordItem {
  const r = item.resource;
  const notes = records(r['note']).map((n) => displayText(n['text'], 500)).filter((t) => t !== '').join(' ; ');
  return base(item, conceptText(r['code']) || displayText(r['description'], 300), stringOf(r['status']), [
    ...fact('chart.fact.intent', stringOf(r['intent']) ?? ''),
    ...fact('chart.fact.category', concepts(r['category'])),
    ...fact('chart.fact.reason', [concepts(r['reasonCode']), displays(r['reasonReference'])].filter((t) => t !== '').join(', ')),
    ...fact('chart.fact.note', notes),
  ]);
}

export function deviceItem(item: Item): RecordItem {
  const r = item.resource;
  const name = records(r['deviceName']).map((n) => displayText(n['name'])).find((t) => t !== '') ?? '';
  return base(item, name || conceptText(r['type']) || conceptText(r['code']), stringOf(r['status']), [
    ...fact('chart.fact.type', name !== '' ? conceptText(r['type']) : ''),
    ...fact('chart.fact.udi', records(r['udiCarrier']).map((u) => displayText(u['carrierHRF']) || displayText(u['deviceIdentifier'])).filter((t) => t !== '').join(', ')),
    ...fact('chart.fact.serial', [displayText(r['serialNumber']), displayText(r['lotNumber'])].filter((t) => t !== '').join(' / ')),
    ...dateFact('chart.fact.expires', r['expirationDate']),
    ...fact('chart.fact.manufacturer', displayText(r['manufacturer'])),
  ]);
}

export function familyHistoryItem(item: Item): RecordItem {
  const r = item.resource;
  const conditions = records(r['condition']).map((c) => {
    const onset = quantityWords(c['onsetAge']) || displayText(c['onsetString']);
    return [conceptText(c['code']), onset === '' ? '' : `(${onset})`, c['contributedToDeath'] === true ? '†' : ''].filter((t) => t !== '').join(' ');
  });
  const deceased = r['deceasedBoolean'] === true ? '†' : quantityWords(r['deceasedAge']) !== '' ? `† ${quantityWords(r['deceasedAge'])}` : displayText(r['deceasedString']) || (typeof r['deceasedDate'] === 'string' ? `† ${r['deceasedDate']}` : '');
  return base(item, conceptText(r['relationship']) || displayText(r['name']), stringOf(r['status']), [
    ...fact('chart.fact.conditions', conditions.join(' ; ')),
    ...fact('chart.fact.deceased', deceased),
  ]);
}

/**
 * The study's DICOM Study Instance UID, or null: R4 puts it in an `identifier` of system
 * `urn:dicom:uid`; many systems (Synthea among them) send it as a URI, system `urn:ietf:rfc:3986`
 * and value `urn:oid:…`.
 */
export function studyUidOf(r: Record_): string | null {
  const identifiers = records(r['identifier']);
  const dicom = identifiers.find((i) => i['system'] === 'urn:dicom:uid');
  const uri = identifiers.find((i) => i['system'] === 'urn:ietf:rfc:3986' && typeof i['value'] === 'string' && i['value'].startsWith('urn:oid:'));
  return stringOf((dicom ?? uri)?.['value']);
}

/** An imaging study: what, modality, site, series and images, and the report of each DiagnosticReport that points to it. */
export function imagingStudyItem(item: Item, reports: readonly Record_[] = []): RecordItem {
  const r = item.resource;
  // A report that is not final says so (a preliminary read is not the final one).
  const isFinal = (report: Record_): boolean => ['final', 'amended', 'corrected', 'appended'].includes(String(report['status']));
  const wordsOf = (list: readonly Record_[]): string => list.map((report) => displayText(report['conclusion'], 500) || conceptText(report['code'])).filter((t) => t !== '').join(' ; ');
  const modalities = [...new Set(records(r['series']).map((s) => (isRecord(s['modality']) ? stringOf(s['modality']['display']) ?? stringOf(s['modality']['code']) : null)).filter((m): m is string => m !== null))];
  const sites = [...new Set(records(r['series']).map((s) => (isRecord(s['bodySite']) ? displayText(s['bodySite']['display']) : '')).filter((t) => t !== ''))];
  return base(item, concepts(r['procedureCode']) || displayText(r['description']), stringOf(r['status']), [
    ...fact('chart.fact.modality', modalities.join(', ')),
    ...fact('chart.fact.bodySite', sites.join(', ')),
    ...fact('chart.fact.series', [numberOf(r['numberOfSeries']), numberOf(r['numberOfInstances'])].every((n) => n !== null) ? `${numberOf(r['numberOfSeries'])} / ${numberOf(r['numberOfInstances'])}` : ''),
    ...fact('chart.fact.imagingReport', wordsOf(reports.filter(isFinal))),
    ...fact('chart.fact.imagingReportNotFinal', wordsOf(reports.filter((report) => !isFinal(report)))),
  ]);
}

/** Any resource: its type, date and words, and the status it gives. */
export function otherItem(item: Item): RecordItem {
  const r = item.resource;
  const status = stringOf(r['status']) ?? firstCode(r['clinicalStatus']) ?? stringOf(r['lifecycleStatus']) ?? stringOf(r['actuality']);
  const notes = records(r['note']).map((n) => displayText(n['text'], 500)).filter((t) => t !== '').join(' ; ');
  const answers = records(r['item']).map((i) => {
    const answer = records(i['answer']).map((a) => displayText(a['valueString']) || (typeof a['valueBoolean'] === 'boolean' ? (a['valueBoolean'] ? '✓' : '✗') : '') || String(numberOf(a['valueInteger']) ?? numberOf(a['valueDecimal']) ?? '') || conceptText(a['valueCoding'] === undefined ? undefined : { coding: [a['valueCoding']] })).filter((t) => t !== '').join(', ');
    return [displayText(i['text']) || displayText(i['linkId']), answer].filter((t) => t !== '').join(': ');
  });
  const entries = records(r['entry']).map((e) => (isRecord(e['item']) ? displayText(e['item']['display']) : '')).filter((t) => t !== '');
  return base(item, timelineText(r), status, [
    ...fact('chart.fact.answers', answers.filter((a) => a !== '').join(' ; ')),
    ...fact('chart.fact.entries', entries.join(' ; ')),
    ...fact('chart.fact.qualitativeRisk', records(r['prediction']).map((p) => conceptText(p['qualitativeRisk'])).filter((t) => t !== '').join(', ')),
    ...fact('chart.fact.seriousness', conceptText(r['seriousness'])),
    ...fact('chart.fact.location', conceptText(r['location'])),
    ...fact('chart.fact.note', notes),
  ]);
}

/** A resource's codes in a system, for tests and filters. */
export const codesOf = (r: Record_, element: string, system: string): readonly string[] => codesIn(r[element], system);
