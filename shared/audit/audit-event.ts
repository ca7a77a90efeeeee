import type { FhirResource } from '../fhir/resource';

/**
 * AuditEvents as IHE Basic Audit Log Patterns (BALP, R4) describe them: who (the clinician, and
 * this device as the observing source), which patient, what action, when, with what outcome, and
 * why when it was an emergency access ("break the glass", v3-ActReason BTG).
 */
export type AuditAction =
  | 'chart-open' // read of a patient's record (BALP PatientRead)
  | 'search' // a patient search (BALP Query); the text typed is not recorded, only its kind
  | 'create'
  | 'update'
  | 'delete'
  | 'export' // data leaving the app (BALP Export)
  | 'import' // a document file's records added to a chart (DICOM 110107 Import)
  | 'break-the-glass'; // emergency access outside the panel

export type AuditInput = Readonly<{
  id: string;
  action: AuditAction;
  recorded: string;
  practitioner: string;
  practitionerName?: string;
  deviceId: string;
  patient: string | null;
  /** The record acted on (create/update/delete/chart-open), when there is one. */
  resource?: string;
  outcome: 'success' | 'minor-failure' | 'serious-failure';
  /** search: which kind of search ('name' | 'identifier' | 'birthdate'); never the text typed. */
  queryKind?: string;
  /** The break-the-glass access itself, with the reason the clinician gave. */
  emergency?: { reason: string } | null;
  /** An action on a patient the clinician sees only through an emergency grant (purpose BTG, no reason: the access carries it). */
  underEmergencyAccess?: boolean;
  /** Done while offline: the HIE learns of it at the next sync. */
  offline?: boolean;
}>;

const dicom = 'http://dicom.nema.org/resources/ontology/DCM';
const restful = 'http://hl7.org/fhir/restful-interaction';
const auditType = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const actReason = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const participation = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const objectRole = 'http://terminology.hl7.org/CodeSystem/object-role';
const entityType = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
export const relaisAuditExtension = 'https://relais.example.org/fhir/StructureDefinition';

const outcomeCode = { success: '0', 'minor-failure': '4', 'serious-failure': '8' } as const;

function typeAndAction(action: AuditAction): { type: object; subtype: object[]; action: string } {
  switch (action) {
    case 'chart-open':
    case 'break-the-glass':
      return { type: { system: auditType, code: 'rest', display: 'Restful Operation' }, subtype: [{ system: restful, code: 'read' }], action: 'R' };
    case 'search':
      return { type: { system: auditType, code: 'rest', display: 'Restful Operation' }, subtype: [{ system: restful, code: 'search-type' }], action: 'E' };
    case 'create':
      return { type: { system: auditType, code: 'rest', display: 'Restful Operation' }, subtype: [{ system: restful, code: 'create' }], action: 'C' };
    case 'update':
      return { type: { system: auditType, code: 'rest', display: 'Restful Operation' }, subtype: [{ system: restful, code: 'update' }], action: 'U' };
    case 'delete':
      return { type: { system: auditType, code: 'rest', display: 'Restful Operation' }, subtype: [{ system: restful, code: 'delete' }], action: 'D' };
    case 'export':
      return { type: { system: dicom, code: '110106', display: 'Export' }, subtype: [], action: 'R' };
    case 'import':
      return { type: { system: dicom, code: '110107', display: 'Import' }, subtype: [], action: 'C' };
    default: {
      const unreachable: never = action;
      throw new Error(`unknown audit action ${String(unreachable)}`);
    }
  }
}

export function auditEvent(input: AuditInput): FhirResource {
  const { type, subtype, action } = typeAndAction(input.action);
  const emergency = input.emergency ?? null;
  const purposeOfUse = emergency === null && input.underEmergencyAccess !== true ? [] : [{ coding: [{ system: actReason, code: 'BTG', display: 'break the glass' }] }];
  const entity: object[] = [];
  if (input.patient !== null) {
    entity.push({ what: { reference: input.patient }, type: { system: entityType, code: '1', display: 'Person' }, role: { system: objectRole, code: '1', display: 'Patient' } });
  }
  if (input.resource !== undefined && input.resource !== input.patient) {
    entity.push({ what: { reference: input.resource }, type: { system: entityType, code: '2', display: 'System Object' }, role: { system: objectRole, code: '4', display: 'Domain Resource' } });
  }
  if (input.queryKind !== undefined) {
    entity.push({ type: { system: entityType, code: '2', display: 'System Object' }, role: { system: objectRole, code: '24', display: 'Query' }, description: `search by ${input.queryKind}` });
  }
  return {
    resourceType: 'AuditEvent',
    id: input.id,
    type,
    ...(subtype.length > 0 ? { subtype } : {}),
    action,
    recorded: input.recorded,
    outcome: outcomeCode[input.outcome],
    ...(purposeOfUse.length > 0 ? { purposeOfEvent: purposeOfUse } : {}),
    agent: [
      {
        type: { coding: [{ system: participation, code: 'IRCP', display: 'information recipient' }] },
        who: { reference: input.practitioner, ...(input.practitionerName === undefined ? {} : { display: input.practitionerName }) },
        requestor: true,
        ...(purposeOfUse.length > 0 ? { purposeOfUse } : {}),
      },
      {
        type: { coding: [{ system: dicom, code: '110150', display: 'Application' }] },
        who: { identifier: { system: `${relaisAuditExtension}/device-id`, value: input.deviceId }, display: 'Relais' },
        requestor: false,
      },
    ],
    source: { observer: { identifier: { system: `${relaisAuditExtension}/device-id`, value: input.deviceId }, display: 'Relais' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }] },
    ...(entity.length > 0 ? { entity } : {}),
    ...(emergency === null && input.offline !== true
      ? {}
      : {
          extension: [
            ...(emergency === null ? [] : [{ url: `${relaisAuditExtension}/break-the-glass-reason`, valueString: emergency.reason }]),
            ...(input.offline === true ? [{ url: `${relaisAuditExtension}/recorded-offline`, valueBoolean: true }] : []),
          ],
        }),
  };
}

/** The patient an event is about (its entity of role Patient), or null. */
export function auditedPatient(event: Readonly<Record<string, unknown>>): string | null {
  for (const entity of (event['entity'] as unknown[] | undefined) ?? []) {
    const e = entity as { role?: { code?: unknown }; what?: { reference?: unknown } };
    if (e.role?.code === '1' && typeof e.what?.reference === 'string') return e.what.reference;
  }
  return null;
}
