import type { AuditAction } from '../../../shared/audit/audit-event';
import { auditedPatient, relaisAuditExtension } from '../../../shared/audit/audit-event';
import type { AuditLink } from '../../../shared/audit/chain';

/**
 * The clinician's own audit trail read back from the BALP AuditEvents this device stored: the
 * events are the only record (the input that made them is not kept), so each row is derived from
 * the FHIR resource — action from type/subtype/purpose, patient from the entity of role Patient.
 */
export type AccessOutcome = 'success' | 'minor-failure' | 'serious-failure' | 'unknown';

export type AccessRow = Readonly<{
  seq: number;
  recorded: string | null;
  action: AuditAction | 'unknown';
  patient: string | null;
  outcome: AccessOutcome;
  emergencyReason: string | null;
  /** Done on a patient seen only through an emergency grant (purpose BTG), not the access itself. */
  underEmergency: boolean;
  offline: boolean;
  /** The HIE acknowledged it (its sequence number is past the upload cursor). */
  uploaded: boolean;
  /** About a patient who has left the clinician's scope: the HIE holds it whole, this laptop no longer names them. */
  redacted: boolean;
}>;

/** Past this many rows the screen shows the latest only: a plain table stays quick. */
export const accessLogLimit = 500;

type Coding = Readonly<{ system?: unknown; code?: unknown }>;
const codeOf = (value: unknown): string | null => {
  const code = (value as Coding | null | undefined)?.code;
  return typeof code === 'string' ? code : null;
};
const arrayOf = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);

const hasBtgPurpose = (event: Readonly<Record<string, unknown>>): boolean =>
  arrayOf(event['purposeOfEvent']).some((p) => arrayOf((p as { coding?: unknown }).coding).some((c) => codeOf(c) === 'BTG'));

function actionOf(event: Readonly<Record<string, unknown>>): AccessRow['action'] {
  // Break the glass is a read with purpose BTG and the clinician's reason; a chart opened later
  // under the grant has the purpose but no reason (the access carries it).
  const btg = hasBtgPurpose(event) && extension(event, 'break-the-glass-reason') !== undefined;
  if (codeOf(event['type']) === '110106') return 'export';
  if (codeOf(event['type']) === '110107') return 'import';
  const subtype = codeOf(arrayOf(event['subtype'])[0]);
  switch (subtype) {
    case 'read':
      return btg ? 'break-the-glass' : 'chart-open';
    case 'search-type':
      return 'search';
    case 'create':
    case 'update':
    case 'delete':
      return subtype;
    case null:
    default:
      return 'unknown';
  }
}

const outcomes: Readonly<Record<string, AccessOutcome>> = { '0': 'success', '4': 'minor-failure', '8': 'serious-failure' };

function extension(event: Readonly<Record<string, unknown>>, name: string): Readonly<Record<string, unknown>> | undefined {
  return arrayOf(event['extension']).find((x) => (x as { url?: unknown }).url === `${relaisAuditExtension}/${name}`) as Readonly<Record<string, unknown>> | undefined;
}

export function accessRowOf(link: AuditLink, pendingSeqs: ReadonlySet<number>): AccessRow {
  const event = link.event as Readonly<Record<string, unknown>>;
  const reason = extension(event, 'break-the-glass-reason')?.['valueString'];
  const action = actionOf(event);
  return {
    seq: link.seq,
    recorded: typeof event['recorded'] === 'string' ? event['recorded'] : null,
    action,
    patient: auditedPatient(event),
    outcome: outcomes[String(event['outcome'])] ?? 'unknown',
    emergencyReason: typeof reason === 'string' ? reason : null,
    underEmergency: action !== 'break-the-glass' && hasBtgPurpose(event),
    offline: extension(event, 'recorded-offline')?.['valueBoolean'] === true,
    uploaded: !pendingSeqs.has(link.seq),
    redacted: link.redacted === true,
  };
}

/** Newest first, at most `limit` rows. */
export function accessRows(trail: readonly AuditLink[], pending: readonly AuditLink[], limit = accessLogLimit): readonly AccessRow[] {
  const pendingSeqs = new Set(pending.map((link) => link.seq));
  return [...trail]
    .sort((a, b) => b.seq - a.seq)
    .slice(0, limit)
    .map((link) => accessRowOf(link, pendingSeqs));
}

/** The catalogue key naming each action (literal keys, so the catalogue test sees them). */
export const actionLabelKey: Readonly<Record<AccessRow['action'], string>> = {
  'chart-open': 'accessLog.action.chartOpen',
  search: 'accessLog.action.search',
  create: 'accessLog.action.create',
  update: 'accessLog.action.update',
  delete: 'accessLog.action.delete',
  export: 'accessLog.action.export',
  import: 'accessLog.action.import',
  'break-the-glass': 'accessLog.action.breakTheGlass',
  unknown: 'accessLog.action.unknown',
};

export const outcomeLabelKey: Readonly<Record<AccessOutcome, string>> = {
  success: 'accessLog.outcome.success',
  'minor-failure': 'accessLog.outcome.minorFailure',
  'serious-failure': 'accessLog.outcome.seriousFailure',
  unknown: 'accessLog.outcome.unknown',
};
