import type { ChartSection } from '../../app/route-store';
import type { AbnormalFlag, VitalKind } from './observations';

/** i18n keys for coded values the chart shows (literal strings, so the catalogue test checks each). */
export const sectionKey: Readonly<Record<ChartSection, string>> = {
  summary: 'chart.section.summary',
  problems: 'chart.section.problems',
  medications: 'chart.section.medications',
  allergies: 'chart.section.allergies',
  results: 'chart.section.results',
  encounters: 'chart.section.encounters',
  documents: 'chart.section.documents',
  timeline: 'chart.section.timeline',
  charting: 'chart.section.charting',
};

export const chartSections: readonly ChartSection[] = ['summary', 'problems', 'medications', 'allergies', 'results', 'encounters', 'documents', 'timeline', 'charting'];

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
  temperature: 'chart.vital.temperature',
  oxygenSaturation: 'chart.vital.oxygenSaturation',
  weight: 'chart.vital.weight',
  glucose: 'chart.vital.glucose',
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
};

export const statusKey = (code: string | null): string | null => (code === null ? null : (statusKeys[code] ?? null));
