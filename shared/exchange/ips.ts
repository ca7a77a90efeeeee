import { sourceLabelOf } from './ips-sources';
import { byWhenDescending, dayOf, whenOfResource, type FhirWhen } from '../fhir/fhir-when';
import { codesIn, conceptText, displayText, firstCode, isRecord, records, stringOf, type Record_ } from '../fhir/fhir-text';
import { vitalKindOf } from '../clinical/vital-codes';
import { absentUnknown, claimableProfile, ipsProfile, loincSection, profileIssues, type SectionKey } from './ips-profiles';

/**
 * An International Patient Summary (HL7 IPS 1.1.0) of one patient, built offline from what the
 * replica holds: a FHIR `document` Bundle whose first entry is a Composition (LOINC 60591-5) with
 * the three required sections (problems, medications, allergies, each with at least one entry: a
 * "no information" entry coded in the IPS absent/unknown system when the record has none) and,
 * when the record has them, past illnesses, immunizations, procedures, results and vital signs
 * (the latest of each test). Narratives are in the clinician's language. Every resource keeps its
 * content; references between the Bundle's resources become its `urn:uuid:` full URLs. A resource
 * that lacks what its IPS profile requires (a condition with no clinical status, say) is still
 * carried — the summary does not hide a fact for want of a field — without claiming the profile,
 * and is listed in `gaps` so the clinician is told.
 */

export type IpsLanguage = 'fr' | 'en';
export type IpsInput = Readonly<{
  patient: Record_;
  /** The patient's resources as the replica holds them (any type; what the IPS has no section for is left out). */
  resources: readonly Record_[];
  /** Shared resources they reference (Medication), by `Type/id`. */
  referenced?: ReadonlyMap<string, Record_>;
  author: Readonly<{ reference: string; display?: string }>;
  /**
   * The HIE's base URL. Absolute references resolve to a resource of the record only on this base
   * (another server's `Medication/1` is not ours); relative references to what the Bundle does not
   * carry (the author, an encounter) are made absolute on it, so a receiver does not read them
   * against its own server.
   */
  fhirBase?: string;
  now: Date;
  language: IpsLanguage;
  /** A fresh UUID (crypto.randomUUID in the app; deterministic in tests). */
  uuid: () => string;
  /**
   * Other FHIR sources whose records are among `resources` (ips-sources.ts, `sourcedForIps`: each
   * carries its address there in `meta.source`): each of their lines names the source.
   */
  sources?: readonly Readonly<{ fhirBase: string; label: string }>[];
}>;

export type IpsSummary = Readonly<{
  bundle: Record_;
  /** Per section, how many entries came from the record (a "no information" entry is not counted). */
  counts: Readonly<Partial<Record<SectionKey, number>>>;
  /** Resources carried without their IPS profile, with what they lack. */
  gaps: readonly string[];
  /** The sections as the narrative says them (title and one line an entry), for the printable summary. */
  sections: readonly Readonly<{ key: SectionKey; title: string; lines: readonly string[] }>[];
}>;

const words: Readonly<Record<IpsLanguage, Readonly<Record<SectionKey | 'title' | 'none' | 'noAllergy' | 'noMedication' | 'noProblem', string>>>> = {
  fr: {
    title: 'Résumé patient international',
    allergies: 'Allergies et intolérances',
    medications: 'Traitements',
    problems: 'Problèmes actifs',
    pastIllness: 'Antécédents',
    immunizations: 'Vaccinations',
    procedures: 'Actes et interventions',
    results: 'Résultats',
    vitalSigns: 'Signes vitaux',
    none: 'Aucune information',
    noAllergy: 'Aucune information sur les allergies',
    noMedication: 'Aucune information sur les traitements',
    noProblem: 'Aucune information sur les problèmes',
  },
  en: {
    title: 'International Patient Summary',
    allergies: 'Allergies and intolerances',
    medications: 'Medication summary',
    problems: 'Active problems',
    pastIllness: 'History of past illness',
    immunizations: 'Immunizations',
    procedures: 'History of procedures',
    results: 'Results',
    vitalSigns: 'Vital signs',
    none: 'No information',
    noAllergy: 'No information about allergies',
    noMedication: 'No information about medications',
    noProblem: 'No information about problems',
  },
};

/** Codes said in words in the narrative (the document's language). */
const codeWords: Readonly<Record<IpsLanguage, Readonly<Record<string, string>>>> = {
  fr: {
    high: 'criticité élevée', low: 'criticité faible', 'unable-to-assess': 'criticité non évaluable',
    active: 'actif', recurrence: 'récidive', relapse: 'rechute', inactive: 'inactif', remission: 'en rémission', resolved: 'résolu',
    H: 'élevé', HH: 'très élevé', L: 'bas', LL: 'très bas', A: 'anormal', AA: 'très anormal', N: 'normal',
    unconfirmed: 'non confirmé', provisional: 'provisoire', differential: 'diagnostic différentiel',
    preliminary: 'résultat provisoire', amended: 'résultat modifié', corrected: 'résultat corrigé', unknown: 'statut inconnu',
    'on-hold': 'suspendu', stopped: 'arrêté', completed: 'terminé', intended: 'prévu', 'not-taken': 'non pris', 'in-progress': 'en cours', 'not-done': 'non fait',
  },
  en: {
    high: 'high criticality', low: 'low criticality', 'unable-to-assess': 'criticality not assessable',
    active: 'active', recurrence: 'recurrence', relapse: 'relapse', inactive: 'inactive', remission: 'in remission', resolved: 'resolved',
    H: 'high', HH: 'critically high', L: 'low', LL: 'critically low', A: 'abnormal', AA: 'critically abnormal', N: 'normal',
    unconfirmed: 'unconfirmed', provisional: 'provisional', differential: 'differential diagnosis',
    preliminary: 'preliminary result', amended: 'amended result', corrected: 'corrected result', unknown: 'status unknown',
    'on-hold': 'on hold', stopped: 'stopped', completed: 'completed', intended: 'intended', 'not-taken': 'not taken', 'in-progress': 'in progress', 'not-done': 'not done',
  },
};

/** A code in words (own keys only: a code from the HIE such as `constructor` is not a lookup into the prototype). */
const say = (language: IpsLanguage, code: string): string => (Object.hasOwn(codeWords[language], code) ? (codeWords[language][code] as string) : code);

const sectionOrder: readonly SectionKey[] = ['allergies', 'medications', 'problems', 'pastIllness', 'immunizations', 'procedures', 'results', 'vitalSigns'];
const loincDisplay: Readonly<Record<SectionKey, string>> = {
  allergies: 'Allergies and adverse reactions Document',
  medications: 'History of Medication use Narrative',
  problems: 'Problem list - Reported',
  pastIllness: 'History of Past illness Narrative',
  immunizations: 'History of Immunization Narrative',
  procedures: 'History of Procedures Document',
  results: 'Relevant diagnostic tests/laboratory data Narrative',
  vitalSigns: 'Vital signs',
};

const statusOf = (resource: Record_, field: string): string | null => {
  const value = resource[field];
  return typeof value === 'string' ? value : firstCode(value);
};
/** Entered in error, by its status or its verification or clinical status (the record says it never was). */
export const inError = (resource: Record_): boolean =>
  resource['status'] === 'entered-in-error' || statusOf(resource, 'verificationStatus') === 'entered-in-error' || statusOf(resource, 'clinicalStatus') === 'entered-in-error';
const categoryCodes = (resource: Record_): readonly string[] => records(resource['category']).flatMap((c) => records(c['coding']).map((x) => String(x['code'] ?? '')));
const isCurrentCondition = (c: Record_): boolean => {
  const status = statusOf(c, 'clinicalStatus');
  // Without a clinical status, an abatement says it is over.
  if (status === null) return !Object.keys(c).some((k) => k.startsWith('abatement'));
  return ['active', 'recurrence', 'relapse'].includes(status);
};

/** Which section a resource of the record goes to, or null (not in a summary). */
function sectionFor(resource: Record_): SectionKey | null {
  // Errors and what was ruled out are not part of the patient's summary.
  if (inError(resource) || statusOf(resource, 'verificationStatus') === 'refuted') return null;
  switch (resource['resourceType']) {
    case 'AllergyIntolerance':
      return 'allergies';
    // Every medication of the record except unsigned drafts, cancelled orders and errors; the line says its status.
    case 'MedicationStatement':
    case 'MedicationAdministration':
    case 'MedicationDispense':
      return 'medications';
    case 'MedicationRequest':
      return ['draft', 'cancelled'].includes(String(resource['status'])) ? null : 'medications';
    case 'Condition':
      return isCurrentCondition(resource) ? 'problems' : 'pastIllness';
    case 'Immunization':
      return resource['status'] === 'completed' ? 'immunizations' : null;
    case 'Procedure':
      return ['completed', 'in-progress'].includes(String(resource['status'])) ? 'procedures' : null;
    case 'Observation': {
      // As the chart groups them: a vital sign by its category or its code (many systems send none),
      // a result by its category (laboratory, imaging, procedure) or, without any category, as a result.
      if (['cancelled', 'registered'].includes(String(resource['status']))) return null;
      const categories = categoryCodes(resource);
      const kind = vitalKindOf(resource['code']);
      if (categories.includes('vital-signs') || (kind !== null && kind !== 'glucose')) return 'vitalSigns';
      if (categories.length === 0 || categories.some((c) => ['laboratory', 'imaging', 'procedure'].includes(c))) return 'results';
      return null;
    }
    default:
      return null;
  }
}

const number = (n: unknown): string => (typeof n === 'number' && Number.isFinite(n) ? String(n) : '');
const quantityText = (q: unknown): string => {
  if (!isRecord(q) || typeof q['value'] !== 'number') return '';
  const comparator = typeof q['comparator'] === 'string' ? q['comparator'] : '';
  const unit = displayText(q['unit'], 40) || displayText(q['code'], 40);
  return `${comparator}${number(q['value'])}${unit === '' ? '' : ` ${unit}`}`;
};
/** An Observation's (or component's) value in words, whatever its type. */
function valueText(holder: Record_): string {
  if (isRecord(holder['valueQuantity'])) return quantityText(holder['valueQuantity']);
  if (isRecord(holder['valueCodeableConcept'])) return conceptText(holder['valueCodeableConcept']);
  if (typeof holder['valueString'] === 'string') return displayText(holder['valueString']);
  if (typeof holder['valueInteger'] === 'number') return number(holder['valueInteger']);
  if (typeof holder['valueBoolean'] === 'boolean') return holder['valueBoolean'] ? '✓' : '✗';
  if (isRecord(holder['valueRange'])) return [quantityText(holder['valueRange']['low']), quantityText(holder['valueRange']['high'])].filter((t) => t !== '').join(' – ');
  if (isRecord(holder['valueRatio'])) return `${quantityText(holder['valueRatio']['numerator'])} / ${quantityText(holder['valueRatio']['denominator'])}`;
  for (const key of ['valueDateTime', 'valueTime']) if (typeof holder[key] === 'string') return displayText(holder[key]);
  if (isRecord(holder['valuePeriod'])) return [displayText(holder['valuePeriod']['start']), displayText(holder['valuePeriod']['end'])].filter((t) => t !== '').join(' → ');
  if (isRecord(holder['dataAbsentReason'])) return `(${conceptText(holder['dataAbsentReason'])})`;
  return '';
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const whenText = (when: FhirWhen | null, language: IpsLanguage): string => {
  if (when === null) return '';
  const [y, m, d] = dayOf(when).split('-');
  return language === 'fr' ? [d, m, y].filter(Boolean).join('/') : [y, m, d].filter(Boolean).join('-');
};

/** One line of narrative for an entry: what, and the value or status and date that matter. */
export function summaryLineOf(resource: Record_, referenced: ReadonlyMap<string, Record_>, language: IpsLanguage, fhirBase: string | null): string {
  const when = whenText(whenOfResource(resource as Record_ & { resourceType: string }), language);
  const parts: string[] = [];
  switch (resource['resourceType']) {
    case 'AllergyIntolerance': {
      parts.push(conceptText(resource['code']) || '?');
      const clinical = statusOf(resource, 'clinicalStatus');
      if (clinical !== null && clinical !== 'active') parts.push(say(language, clinical));
      const verification = statusOf(resource, 'verificationStatus');
      if (verification === 'unconfirmed') parts.push(say(language, verification));
      if (typeof resource['criticality'] === 'string') parts.push(say(language, resource['criticality']));
      for (const reaction of records(resource['reaction'])) for (const m of records(reaction['manifestation'])) parts.push(conceptText(m));
      break;
    }
    case 'MedicationStatement':
    case 'MedicationRequest':
    case 'MedicationAdministration':
    case 'MedicationDispense': {
      const ref = stringOf(isRecord(resource['medicationReference']) ? resource['medicationReference']['reference'] : null);
      // A contained Medication (`#id`) or a shared one the chart read from the replica.
      const medication =
        ref === null ? undefined : ref.startsWith('#') ? records(resource['contained']).find((c) => c['resourceType'] === 'Medication' && c['id'] === ref.slice(1)) : referenced.get(localKey(ref, fhirBase) ?? '');
      parts.push(conceptText(resource['medicationCodeableConcept']) || (medication === undefined ? '' : conceptText(medication['code'])) || displayText(isRecord(resource['medicationReference']) ? resource['medicationReference']['display'] : '') || '?');
      for (const dosage of records(resource['dosage'] ?? resource['dosageInstruction'])) if (typeof dosage['text'] === 'string') parts.push(displayText(dosage['text']));
      const status = stringOf(resource['status']);
      if (status !== null && status !== 'active') parts.push(say(language, status));
      break;
    }
    case 'Observation': {
      parts.push(conceptText(resource['code']) || '?');
      parts.push(valueText(resource));
      for (const component of records(resource['component'])) {
        const value = valueText(component);
        if (value !== '') parts.push(`${conceptText(component['code'])} ${value}`.trim());
      }
      const flag = records(resource['interpretation']).map((i) => firstCode(i)).find((c) => c !== null);
      if (flag != null) parts.push(`(${say(language, flag)})`);
      const status = stringOf(resource['status']);
      if (status !== null && status !== 'final') parts.push(say(language, status));
      break;
    }
    case 'Immunization':
      parts.push(conceptText(resource['vaccineCode']) || '?');
      break;
    default:
      parts.push(conceptText(resource['code']) || '?');
      if (resource['resourceType'] === 'Condition') {
        const status = statusOf(resource, 'clinicalStatus');
        if (status !== null) parts.push(say(language, status));
        const verification = statusOf(resource, 'verificationStatus');
        if (verification !== null && ['unconfirmed', 'provisional', 'differential'].includes(verification)) parts.push(say(language, verification));
      }
  }
  if (when !== '') parts.push(when);
  // A date the record gives only in words ("Summer 2016, per patient") is said as written.
  else for (const key of ['occurrenceString', 'performedString', 'onsetString']) if (typeof resource[key] === 'string') parts.push(displayText(resource[key], 200));
  if (typeof resource['abatementString'] === 'string') parts.push(displayText(resource['abatementString'], 200));
  return parts.filter((p) => p !== '').join(' — ');
}

/** The "nothing known" entry of a required section (IPS 1.1: a resource coded in the absent/unknown system). */
function absentEntry(key: 'allergies' | 'medications' | 'problems', patientUrl: string, now: Date, language: IpsLanguage, uuid: () => string): Record_ {
  const day = now.toISOString().slice(0, 10);
  const coding = (code: string, display: string) => ({ coding: [{ system: absentUnknown, code, display }], text: display });
  const w = words[language];
  if (key === 'allergies') {
    return {
      resourceType: 'AllergyIntolerance',
      id: uuid(),
      meta: { profile: [ipsProfile.AllergyIntolerance] },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      code: coding('no-allergy-info', w.noAllergy),
      patient: { reference: patientUrl },
    };
  }
  if (key === 'medications') {
    return {
      resourceType: 'MedicationStatement',
      id: uuid(),
      meta: { profile: [ipsProfile.MedicationStatement] },
      status: 'unknown',
      medicationCodeableConcept: coding('no-medication-info', w.noMedication),
      subject: { reference: patientUrl },
      effectiveDateTime: day,
    };
  }
  return {
    resourceType: 'Condition',
    id: uuid(),
    meta: { profile: [ipsProfile.Condition] },
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: coding('no-problem-info', w.noProblem),
    subject: { reference: patientUrl },
  };
}

const relativeRef = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;
/** `Type/id` of a reference to the record: relative, or absolute on the HIE's base; versions dropped. Null for anything else. */
function localKey(reference: string, fhirBase: string | null): string | null {
  const unversioned = reference.replace(/\/_history\/[^/]+$/, '');
  if (relativeRef.test(unversioned)) return unversioned;
  if (fhirBase === null) return null;
  const base = fhirBase.replace(/\/+$/, '');
  if (!unversioned.startsWith(`${base}/`)) return null;
  const rest = unversioned.slice(base.length + 1);
  return relativeRef.test(rest) ? rest : null;
}

/** Every reference to a resource of the Bundle becomes its full URL; a relative one to anything else, absolute on the HIE. */
function rewriteReferences(value: unknown, urls: ReadonlyMap<string, string>, fhirBase: string | null): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, urls, fhirBase));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'reference' && typeof inner === 'string') {
      const local = localKey(inner, fhirBase);
      const inBundle = local === null ? undefined : urls.get(local);
      out[key] = inBundle ?? (fhirBase !== null && relativeRef.test(inner.replace(/\/_history\/[^/]+$/, '')) ? `${fhirBase.replace(/\/+$/, '')}/${inner}` : inner);
    } else out[key] = rewriteReferences(inner, urls, fhirBase);
  }
  return out;
}

const hasValue = (o: Record_): boolean => Object.keys(o).some((k) => k.startsWith('value')) || records(o['component']).some((c) => Object.keys(c).some((k) => k.startsWith('value'))) || records(o['hasMember']).length > 0;

/** The latest of each test (same LOINC code, else same words) that has a value — else its latest — newest first. */
function latestOfEach(observations: readonly Record_[]): Record_[] {
  const sorted = [...observations].sort((a, b) => byWhenDescending(whenOfResource(a as Record_ & { resourceType: string }), whenOfResource(b as Record_ & { resourceType: string })));
  const chosen = new Map<string, Record_>();
  for (const o of sorted) {
    const key = codesIn(o['code'], 'http://loinc.org')[0] ?? conceptText(o['code']);
    const current = chosen.get(key);
    if (current === undefined || (!hasValue(current) && hasValue(o))) chosen.set(key, o);
  }
  return sorted.filter((o) => [...chosen.values()].includes(o));
}

export function buildIps(input: IpsInput): IpsSummary {
  const { now, language, uuid } = input;
  const fhirBase = input.fhirBase ?? null;
  const referenced = input.referenced ?? new Map<string, Record_>();
  const patientKey = `Patient/${String(input.patient['id'])}`;
  const grouped = new Map<SectionKey, Record_[]>();
  for (const original of input.resources) {
    const key = sectionFor(original);
    // Every entry needs its own full URL: a resource without an id (none should reach the replica) gets one.
    const resource = typeof original['id'] === 'string' && original['id'] !== '' ? original : { ...original, id: uuid() };
    if (key !== null) grouped.set(key, [...(grouped.get(key) ?? []), resource]);
  }
  for (const key of ['results', 'vitalSigns'] as const) {
    const list = grouped.get(key);
    if (list !== undefined) grouped.set(key, latestOfEach(list));
  }
  // Medications the statements and requests name, carried in the Bundle so the document stands alone.
  const medications = new Map<string, Record_>();
  for (const resource of grouped.get('medications') ?? []) {
    const ref = stringOf(isRecord(resource['medicationReference']) ? resource['medicationReference']['reference'] : null);
    const key = ref === null ? null : localKey(ref, fhirBase);
    const medication = key === null ? undefined : referenced.get(key);
    if (key !== null && medication !== undefined) medications.set(key, medication);
  }

  const urls = new Map<string, string>([[patientKey, `urn:uuid:${uuid()}`]]);
  const carried: Record_[] = [];
  for (const key of sectionOrder) for (const resource of grouped.get(key) ?? []) carried.push(resource);
  for (const medication of medications.values()) carried.push(medication);
  for (const resource of carried) urls.set(`${String(resource['resourceType'])}/${String(resource['id'])}`, `urn:uuid:${uuid()}`);
  const patientUrl = urls.get(patientKey) ?? '';

  const gaps: string[] = [];
  // A vital sign claims no IPS profile (its section takes the core vital-signs observations as they are).
  const prepared = (resource: Record_, key: SectionKey | null = null): Record_ => {
    const rewritten = rewriteReferences(resource, urls, fhirBase) as Record_;
    const profile = key === 'vitalSigns' ? null : claimableProfile(rewritten);
    if (profile === null && key !== 'vitalSigns' && resource['resourceType'] !== 'Medication') for (const issue of profileIssues(rewritten)) gaps.push(`${String(resource['resourceType'])}/${String(resource['id'])} — ${issue}`);
    const meta = isRecord(rewritten['meta']) ? rewritten['meta'] : {};
    const { versionId: _v, lastUpdated: _l, profile: _p, ...keptMeta } = meta as Record<string, unknown>;
    const { meta: _m, ...rest } = rewritten;
    const kept = { ...keptMeta, ...(profile === null ? {} : { profile: [profile] }) };
    // FHIR JSON has no empty objects: no meta at all when nothing is left of it.
    return Object.keys(kept).length === 0 ? rest : { ...rest, meta: kept };
  };

  const entries: Record_[] = [];
  const patient = prepared(input.patient);
  const w = words[language];
  const counts: Partial<Record<SectionKey, number>> = {};
  const sections: Record_[] = [];
  const said: { key: SectionKey; title: string; lines: readonly string[] }[] = [];
  const sectionEntries: Record_[] = [];
  for (const key of sectionOrder) {
    const list = grouped.get(key) ?? [];
    counts[key] = list.length;
    let lines = list.map((r) => {
      const line = summaryLineOf(r, referenced, language, fhirBase);
      const from = sourceLabelOf(r, input.sources ?? []);
      return from === null ? line : `${line} (${language === 'fr' ? 'source :' : 'source:'} ${from})`;
    });
    let refs = list.map((r) => urls.get(`${String(r['resourceType'])}/${String(r['id'])}`) ?? '');
    if (list.length === 0) {
      if (key !== 'allergies' && key !== 'medications' && key !== 'problems') continue;
      const absent = absentEntry(key, patientUrl, now, language, uuid);
      const url = `urn:uuid:${String(absent['id'])}`;
      sectionEntries.push({ fullUrl: url, resource: absent });
      lines = [conceptText(absent['code'] ?? absent['medicationCodeableConcept'])];
      refs = [url];
    } else {
      for (const r of list) sectionEntries.push({ fullUrl: urls.get(`${String(r['resourceType'])}/${String(r['id'])}`) ?? '', resource: prepared(r, key) });
    }
    said.push({ key, title: w[key], lines });
    sections.push({
      title: w[key],
      code: { coding: [{ system: 'http://loinc.org', code: loincSection[key], display: loincDisplay[key] }] },
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><ul>${lines.map((l) => `<li>${escapeXml(l)}</li>`).join('')}</ul></div>` },
      entry: refs.map((reference) => ({ reference })),
    });
  }
  const patientConforms = profileIssues(patient).length === 0;
  const compositionUrl = `urn:uuid:${uuid()}`;
  const composition: Record_ = {
    resourceType: 'Composition',
    id: compositionUrl.slice('urn:uuid:'.length),
    ...(patientConforms ? { meta: { profile: [ipsProfile.Composition] } } : {}),
    language: language === 'fr' ? 'fr-FR' : 'en',
    status: 'final',
    type: { coding: [{ system: 'http://loinc.org', code: '60591-5', display: 'Patient summary Document' }] },
    subject: { reference: patientUrl },
    date: now.toISOString(),
    author: [rewriteReferences({ reference: input.author.reference, ...(input.author.display === undefined ? {} : { display: input.author.display }) }, urls, fhirBase) as Record_],
    title: w.title,
    confidentiality: 'N',
    section: sections,
  };
  entries.push({ fullUrl: compositionUrl, resource: composition }, { fullUrl: patientUrl, resource: patient }, ...sectionEntries);
  for (const [key, medication] of medications) entries.push({ fullUrl: urls.get(key) ?? '', resource: prepared(medication) });
  const bundleId = uuid();
  return {
    bundle: {
      resourceType: 'Bundle',
      id: bundleId,
      // The Bundle and Composition profiles require an IPS Patient: claimed only when the patient is one.
      ...(patientConforms ? { meta: { profile: [ipsProfile.Bundle] } } : {}),
      language: language === 'fr' ? 'fr-FR' : 'en',
      identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${bundleId}` },
      type: 'document',
      timestamp: now.toISOString(),
      entry: entries,
    },
    counts,
    gaps: [...new Set(gaps)],
    sections: said,
  };
}
