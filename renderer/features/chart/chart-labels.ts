import type { ChartSection } from '../../app/route-store';
import type { AbnormalFlag, ResultGroup, VitalKind } from './observations';

/** i18n keys for coded values the chart shows (literal strings, so the catalogue test checks each). */
export const sectionKey: Readonly<Record<ChartSection, string>> = {
  summary: 'chart.section.summary',
  problems: 'chart.section.problems',
  medications: 'chart.section.medications',
  allergies: 'chart.section.allergies',
  results: 'chart.section.results',
  procedures: 'chart.section.procedures',
  immunizations: 'chart.section.immunizations',
  encounters: 'chart.section.encounters',
  careplans: 'chart.section.careplans',
  documents: 'chart.section.documents',
  other: 'chart.section.other',
  timeline: 'chart.section.timeline',
  charting: 'chart.section.charting',
};

export const chartSections: readonly ChartSection[] = ['summary', 'problems', 'medications', 'allergies', 'results', 'procedures', 'immunizations', 'encounters', 'careplans', 'documents', 'other', 'timeline', 'charting'];

export const flagKey: Readonly<Record<AbnormalFlag, string>> = {
  N: 'chart.flag.N',
  H: 'chart.flag.H',
  L: 'chart.flag.L',
  HH: 'chart.flag.HH',
  LL: 'chart.flag.LL',
  A: 'chart.flag.A',
};

export const vitalKey: Readonly<Record<VitalKind, string>> = {
  bloodPressure: 'chart.vital.bloodPressure',
  heartRate: 'chart.vital.heartRate',
  respiratoryRate: 'chart.vital.respiratoryRate',
  temperature: 'chart.vital.temperature',
  oxygenSaturation: 'chart.vital.oxygenSaturation',
  weight: 'chart.vital.weight',
  height: 'chart.vital.height',
  bmi: 'chart.vital.bmi',
  headCircumference: 'chart.vital.headCircumference',
  glucose: 'chart.vital.glucose',
};

export const resultGroupKey: Readonly<Record<ResultGroup, string>> = {
  'vital-signs': 'chart.results.group.vital-signs',
  laboratory: 'chart.results.group.laboratory',
  survey: 'chart.results.group.survey',
  'social-history': 'chart.results.group.social-history',
  imaging: 'chart.results.group.imaging',
  procedure: 'chart.results.group.procedure',
  exam: 'chart.results.group.exam',
  therapy: 'chart.results.group.therapy',
  activity: 'chart.results.group.activity',
  'other-category': 'chart.results.group.other-category',
  'no-category': 'chart.results.group.no-category',
};

export const severityKey: Readonly<Record<'mild' | 'moderate' | 'severe', string>> = {
  mild: 'chart.allergy.severity.mild',
  moderate: 'chart.allergy.severity.moderate',
  severe: 'chart.allergy.severity.severe',
};

/** HL7 v3 ActCode encounter classes clinicians read. */
export const encounterClassKey: Readonly<Record<string, string>> = {
  AMB: 'chart.encounterClass.AMB',
  EMER: 'chart.encounterClass.EMER',
  IMP: 'chart.encounterClass.IMP',
  ACUTE: 'chart.encounterClass.IMP',
  NONAC: 'chart.encounterClass.IMP',
  HH: 'chart.encounterClass.HH',
  VR: 'chart.encounterClass.VR',
  OBSENC: 'chart.encounterClass.OBSENC',
  SS: 'chart.encounterClass.SS',
};

export const criticalityKey: Readonly<Record<'low' | 'high' | 'unable-to-assess', string>> = {
  low: 'chart.allergy.criticality.low',
  high: 'chart.allergy.criticality.high',
  'unable-to-assess': 'chart.allergy.criticality.unable-to-assess',
};

/** FHIR status codes shown in the chart; an unknown code is shown as sent. */
const statusKeys: Readonly<Record<string, string>> = {
  active: 'chart.status.active',
  inactive: 'chart.status.inactive',
  resolved: 'chart.status.resolved',
  remission: 'chart.status.remission',
  recurrence: 'chart.status.recurrence',
  relapse: 'chart.status.relapse',
  completed: 'chart.status.completed',
  stopped: 'chart.status.stopped',
  cancelled: 'chart.status.cancelled',
  'on-hold': 'chart.status.on-hold',
  draft: 'chart.status.draft',
  finished: 'chart.status.finished',
  'in-progress': 'chart.status.in-progress',
  planned: 'chart.status.planned',
  booked: 'chart.status.booked',
  'entered-in-error': 'chart.status.entered-in-error',
  unknown: 'chart.status.unknown',
  final: 'chart.status.final',
  preliminary: 'chart.status.preliminary',
  amended: 'chart.status.amended',
  corrected: 'chart.status.corrected',
  registered: 'chart.status.registered',
  current: 'chart.status.current',
  superseded: 'chart.status.superseded',
  'not-done': 'chart.status.not-done',
  fulfilled: 'chart.status.fulfilled',
  noshow: 'chart.status.noshow',
  arrived: 'chart.status.arrived',
  requested: 'chart.status.requested',
  accepted: 'chart.status.accepted',
  available: 'chart.status.available',
  revoked: 'chart.status.revoked',
  refuted: 'chart.status.refuted',
  provisional: 'chart.status.provisional',
  unconfirmed: 'chart.status.unconfirmed',
  confirmed: 'chart.status.confirmed',
  'not-taken': 'chart.status.not-taken',
  intended: 'chart.status.intended',
  proposed: 'chart.status.proposed',
  scheduled: 'chart.status.scheduled',
  actual: 'chart.status.actual',
  potential: 'chart.status.potential',
};

export const statusKey = (code: string | null): string | null => (code === null ? null : (statusKeys[code] ?? null));
